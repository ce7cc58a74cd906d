using BpClub.Domain.Earning;

namespace BpClub.Grains.Cards.Commands;

/// <summary>A purchase at a partner, at the partner's rate.</summary>
public sealed record PartnerPurchaseCommand(RecordPartnerPurchase Purchase) : ICardCommand<PartnerAccrualResult>
{
    public string? OperationKey => $"partner:{Purchase.PartnerId}:{Purchase.PartnerTransactionId}";
    /// <summary>
    /// What the partner sent: its rate is the server's, and an operator may change it between the first attempt and
    /// the retry, which must still answer the first result.
    /// </summary>
    public object? Request
        => new Sent(Purchase.PartnerTransactionId, Purchase.PartnerId, Purchase.Amount, Purchase.OccurredAt);

    public ValidationErrors Validate(CommandValidator validator, DateTimeOffset now) =>
        validator.Validate(ToDomain(now), now);

    public CardDecision<PartnerAccrualResult> Decide(CardAccount account, DateTimeOffset now) =>
        CardDecision<PartnerAccrualResult>.From(account.Accrue(ToDomain(now), now), d =>
            new PartnerAccrualResult(Purchase.PartnerTransactionId, d.Events.OfType<PointsEarned>().Single().Points,
                ToModel(d.After.BalanceAt(now))));

    private sealed record Sent(string TransactionId, string PartnerId, Domain.Units.Money Amount,
        DateTimeOffset? OccurredAt);

    private PartnerPurchase ToDomain(DateTimeOffset now) => new(Purchase.PartnerTransactionId, Purchase.PartnerId,
        Purchase.OccurredAt?.ToUniversalTime() ?? now, Purchase.Amount, Purchase.PointsPerUah);
}
