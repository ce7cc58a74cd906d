using BpClub.Domain.Earning;

namespace BpClub.Grains.Cards.Commands;

/// <summary>A purchase at a station, rated with the promotions running when it arrived.</summary>
public sealed record PurchaseCommand(RecordPurchase Purchase, IReadOnlyList<Promotion> Promotions)
    : ICardCommand<PurchaseResult>
{
    public string? OperationKey => $"purchase:{Purchase.StationId}:{Purchase.ReceiptId}";
    public object? Request => Purchase;

    public ValidationErrors Validate(CommandValidator validator, DateTimeOffset now) =>
        validator.Validate(ToDomain(Purchase, now), now);

    public CardDecision<PurchaseResult> Decide(CardAccount account, DateTimeOffset now) =>
        CardDecision<PurchaseResult>.From(account.Accrue(ToDomain(Purchase, now), Promotions, now), d =>
        {
            var earned = d.Events.OfType<PointsEarned>().Single();
            return new PurchaseResult(Purchase.ReceiptId, earned.Points, ToModel(earned.Breakdown),
                ToModel(d.After.BalanceAt(now)), ToModel(d.After.TierAt(now)));
        });

    /// <summary>Instants are kept in UTC; a till may date its receipt with a Kyiv offset.</summary>
    public static Purchase ToDomain(RecordPurchase purchase, DateTimeOffset now) =>
        new(purchase.ReceiptId, purchase.StationId, purchase.OccurredAt?.ToUniversalTime() ?? now,
            purchase.PaymentMethod,
            purchase.Lines?.Select(l => l is null
                    ? null!
                    : new PurchaseLine(l.Type, l.ProductCode, l.Category, l.Litres, l.Amount))
                .ToList() ?? []);
}
