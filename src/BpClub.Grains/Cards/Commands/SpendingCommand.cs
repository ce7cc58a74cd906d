namespace BpClub.Grains.Cards.Commands;

/// <summary>The member switches paying with points on or off.</summary>
public sealed record SpendingCommand(bool Enabled) : ICardCommand<SpendingModel>
{
    public string? OperationKey => null;
    public object? Request => null;

    public CardDecision<SpendingModel> Decide(CardAccount account, DateTimeOffset now) =>
        CardDecision<SpendingModel>.From(account.SwitchSpending(Enabled, now),
            d => new SpendingModel(d.After.SpendingEnabled));
}
