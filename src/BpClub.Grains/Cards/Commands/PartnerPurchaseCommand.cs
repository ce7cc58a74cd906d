using BpClub.Abstractions;
using BpClub.Domain.Earning;
using BpClub.Domain.Ledger;
using BpClub.Domain.Validation;
using static BpClub.Grains.Cards.CardViews;

namespace BpClub.Grains.Cards.Commands;

/// <summary>A purchase at a partner, at the partner's rate.</summary>
public sealed record PartnerPurchaseCommand(RecordPartnerPurchase Purchase) : ICardCommand<PartnerAccrualResult>
{
    public string? OperationKey => $"partner:{Purchase.PartnerId}:{Purchase.PartnerTransactionId}";
    public object? Request => Purchase;

    public ValidationErrors Validate(CommandValidator validator, DateTimeOffset now) =>
        validator.Validate(ToDomain(now), now);

    public CardDecision<PartnerAccrualResult> Decide(CardAccount account, DateTimeOffset now) =>
        CardDecision<PartnerAccrualResult>.From(account.Accrue(ToDomain(now), now), d =>
            new PartnerAccrualResult(Purchase.PartnerTransactionId, d.Events.OfType<PointsEarned>().Single().Points,
                ToModel(d.After.BalanceAt(now))));

    private PartnerPurchase ToDomain(DateTimeOffset now) => new(Purchase.PartnerTransactionId, Purchase.PartnerId,
        Purchase.OccurredAt?.ToUniversalTime() ?? now, Purchase.Amount, Purchase.PointsPerUah);
}
