namespace BpClub.Grains.Cards.Commands;

/// <summary>Paying with points at a till.</summary>
public sealed record RedemptionCommand(RedeemPoints Redemption) : ICardCommand<RedemptionResult>
{
    public string? OperationKey => $"redemption:{Redemption.StationId}:{Redemption.RedemptionId}";
    public object? Request => Redemption;

    public ValidationErrors Validate(CommandValidator validator, DateTimeOffset now) =>
        validator.ValidateRedemption(Redemption.RedemptionId, Redemption.StationId, Redemption.Points);

    public CardDecision<RedemptionResult> Decide(CardAccount account, DateTimeOffset now) =>
        CardDecision<RedemptionResult>.From(
            account.Redeem(Redemption.RedemptionId, Redemption.StationId, Redemption.Points, now),
            d => new RedemptionResult(Redemption.RedemptionId, Redemption.Points, ToModel(d.After.BalanceAt(now))));
}
