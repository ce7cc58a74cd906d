namespace BpClub.Grains.Cards.Commands;

/// <summary>An operator releases held points before their day: some of them, or all when no amount is given.</summary>
public sealed record EarlyReleaseCommand(ReleaseHeldPoints Release) : ICardCommand<HoldReleaseResult>
{
    public string? OperationKey => $"hold-release:{Release.ReleaseId}";

    /// <summary>Who sends it is not part of the request: another operator retrying it is answered its result.</summary>
    public object? Request => Release with { OperatorId = "" };

    public ValidationErrors Validate(CommandValidator validator, DateTimeOffset now) =>
        validator.ValidateEarlyRelease(Release.ReleaseId, Release.Points, Release.OperatorId);

    public CardDecision<HoldReleaseResult> Decide(CardAccount account, DateTimeOffset now) =>
        CardDecision<HoldReleaseResult>.From(
            account.ReleaseEarly(Release.ReleaseId, Release.Points, Release.OperatorId, now),
            d => new HoldReleaseResult(Release.ReleaseId, d.Events.OfType<HeldPointsReleasedEarly>().Single().Points,
                ToModel(d.After.BalanceAt(now))));
}
