namespace BpClub.Grains.Cards.Commands;

/// <summary>The release reminder's tick: records what fell due (points now available, the annual expiry).</summary>
public sealed record ReleaseCommand : ICardCommand<int>
{
    public string? OperationKey => null;
    public object? Request => null;
    public bool IsReminderTick => true;

    public CardDecision<int> Decide(CardAccount account, DateTimeOffset now) =>
        CardDecision<int>.From(
            account.Status == CardStatus.Active ? account.ReleaseHeldPoints(now) : Decision.Nothing(account),
            d => d.Events.Count);
}
