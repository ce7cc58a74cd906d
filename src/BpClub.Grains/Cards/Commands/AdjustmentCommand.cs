namespace BpClub.Grains.Cards.Commands;

/// <summary>An operator's manual correction with a reason, recorded with who made it.</summary>
public sealed record AdjustmentCommand(AdjustPoints Adjustment) : ICardCommand<AdjustmentResult>
{
    public string? OperationKey => $"adjustment:{Adjustment.AdjustmentId}";

    /// <summary>Who sends it is not part of the request: another operator retrying it is answered its result.</summary>
    public object? Request => Adjustment with { OperatorId = "" };

    public ValidationErrors Validate(CommandValidator validator, DateTimeOffset now) => validator.ValidateAdjustment(
        Adjustment.AdjustmentId, Adjustment.Points, Adjustment.Reason, Adjustment.OperatorId);

    public CardDecision<AdjustmentResult> Decide(CardAccount account, DateTimeOffset now) =>
        CardDecision<AdjustmentResult>.From(
            account.Adjust(Adjustment.AdjustmentId, Adjustment.Points, Adjustment.Reason.Trim(), Adjustment.OperatorId,
                now),
            d => new AdjustmentResult(Adjustment.AdjustmentId, Adjustment.Points, ToModel(d.After.BalanceAt(now))));
}
