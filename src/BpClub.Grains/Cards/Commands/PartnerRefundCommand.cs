namespace BpClub.Grains.Cards.Commands;

/// <summary>
/// A partner's purchase returned, whole or for part of its money: like a station's refund, it reads the partner's
/// transaction and its earlier refunds from the ledger before it decides.
/// </summary>
public sealed record PartnerRefundCommand(RefundPartnerTransaction Refund) : ICardCommand<PartnerRefundResult>
{
    /// <summary>The transaction as read by <see cref="Prepare"/>; null when this partner has none on the
    /// card.</summary>
    public PointsEarned? Transaction { get; init; }
    public IReadOnlyList<PartnerTransactionRefunded> EarlierRefunds { get; init; } = [];
    /// <summary>The transaction's annulment when it was reported so late that its points were annulled as
    /// recorded.</summary>
    public LateReceiptAnnulled? Annulled { get; init; }

    public string? OperationKey => $"partner-refund:{Refund.PartnerId}:{Refund.PartnerRefundId}";
    public object? Request => Refund;
    public bool ReadsLedger => true;

    public ValidationErrors Validate(CommandValidator validator, DateTimeOffset now) =>
        validator.ValidatePartnerRefund(Refund.PartnerRefundId, Refund.PartnerTransactionId, Refund.PartnerId,
            Refund.Amount);

    public async Task<ICardCommand<PartnerRefundResult>> Prepare(ICardLedger ledger, string card)
    {
        var (transaction, refunds, annulled) =
            await ledger.FindPartnerTransaction(card, Refund.PartnerTransactionId, Refund.PartnerId);
        return this with { Transaction = transaction, EarlierRefunds = refunds, Annulled = annulled };
    }

    public CardDecision<PartnerRefundResult> Decide(CardAccount account, DateTimeOffset now)
    {
        if (Transaction is null)
            return CardDecision<PartnerRefundResult>.EntryNotFound(account,
                $"This partner has no transaction {Refund.PartnerTransactionId}.");
        return CardDecision<PartnerRefundResult>.From(
            account.RefundPartner(Refund.PartnerRefundId, Refund.PartnerId, Transaction, EarlierRefunds,
                Refund.Amount, now, Annulled),
            d =>
            {
                var refunded = d.Events.OfType<PartnerTransactionRefunded>().Single();
                return new PartnerRefundResult(Refund.PartnerRefundId, Refund.PartnerTransactionId, refunded.Amount,
                    refunded.Total, ToModel(d.After.BalanceAt(now)));
            });
    }
}
