using BpClub.Domain.Ledger;

namespace BpClub.Grains.Cards.Storage;

public sealed partial class CardLedgerStore
{
    /// <summary>
    /// A transaction of <paramref name="partnerId"/> on this card, the partner's refunds of it so far, and its
    /// annulment when it was reported so late that its points were annulled as it was recorded.
    /// </summary>
    public async Task<(PointsEarned? Transaction, IReadOnlyList<PartnerTransactionRefunded> Refunds,
        LateReceiptAnnulled? Annulled)> FindPartnerTransaction(string card, string transactionId, string partnerId)
    {
        PointsEarned? transaction = null;
        var refunds = new List<PartnerTransactionRefunded>();
        LateReceiptAnnulled? annulled = null;
        CardEvent? previous = null;
        foreach (var e in await EventsWhere(card, transactionId, """
            (operation_id = @id and kind in ('partner', 'annulled')) or (receipt_id = @id and kind = 'refund')
            """))
        {
            switch (e)
            {
                // Transaction ids are unique only per partner: another partner's is not this one.
                case PointsEarned { Source: EarningSource.Partner } earned when earned.SourceId == partnerId:
                    transaction = earned;
                    break;
                case PartnerTransactionRefunded refund when refund.PartnerId == partnerId:
                    refunds.Add(refund);
                    break;
                // A transaction's annulment is written right after it (a station's receipt may share the id).
                case LateReceiptAnnulled late when late.SourceId == partnerId && transaction is not null
                    && ReferenceEquals(previous, transaction):
                    annulled = late;
                    break;
            }
            previous = e;
        }
        return transaction is null ? (null, [], null)
            : (transaction, refunds.Where(r => r.Refunds(transaction)).ToList(), annulled);
    }

    /// <summary>
    /// The card a partner's refund goes to: the card that has its <paramref name="refundId"/> already (a retry, or
    /// the same id reused for another transaction, which that card refuses), else the card the partner recorded the
    /// transaction on (the first, should it have sent one id for two cards); null when neither exists.
    /// </summary>
    public async Task<string?> FindPartnerCard(string partnerId, string transactionId, string refundId)
    {
        await using var command = database.CreateCommand("""
            select card_number::text from (
                select card_number, 0 as rank, at from card_ledger
                where kind = 'refund' and operation_id = @refund
                  and event->>'$kind' = 'partnerRefund' and event->>'partnerId' = @partner
                union all
                select card_number, 1 as rank, at from card_ledger
                where kind = 'partner' and operation_id = @transaction and event->>'sourceId' = @partner
            ) found
            order by rank, at
            limit 1
            """);
        command.Parameters.AddWithValue("partner", partnerId);
        command.Parameters.AddWithValue("transaction", transactionId);
        command.Parameters.AddWithValue("refund", refundId);
        return await command.ExecuteScalarAsync() as string;
    }
}
