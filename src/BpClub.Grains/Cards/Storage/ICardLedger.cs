using BpClub.Domain.Ledger;

namespace BpClub.Grains.Cards.Storage;

/// <summary>What a card's command log reads and writes: PostgreSQL in a silo, a list in its tests.</summary>
public interface ICardLedger
{
    /// <summary>
    /// The card's ledger entries after <paramref name="sequence"/>, in order, and the ledger's last sequence number
    /// (0 for none): one below <paramref name="sequence"/> means entries are claimed that the ledger does not have.
    /// </summary>
    Task<(IReadOnlyList<(long Seq, CardEvent Event)> Events, long Last)> ReadTail(string card, long sequence);

    /// <summary>
    /// Commits the writes, fenced on <paramref name="lastSeq"/> being the ledger's last entry (else a
    /// <see cref="StaleActivationException"/>), with the reminder row if any; or, when operation ids among them
    /// were recorded before, or purchases' receipts were recorded by their station on another card, nothing, and
    /// those ids.
    /// </summary>
    Task<AppendResult> Append(string card, long lastSeq, IReadOnlyList<LedgerWrite> writes,
        ReminderRow? reminder);

    Task<OperationRecord?> FindOperation(string card, string key);

    /// <summary>A receipt of the station on this card, the refunds of it so far, and its annulment as a late
    /// receipt.</summary>
    Task<(PointsEarned? Purchase, IReadOnlyList<PurchaseRefunded> Refunds, LateReceiptAnnulled? Annulled)> FindReceipt(
        string card, string receiptId, string stationId);

    /// <summary>A payment with points of the station on this card, and whether it was reversed already.</summary>
    Task<(PointsRedeemed? Redemption, bool Reversed)> FindRedemption(string card, string redemptionId,
        string stationId);

    /// <summary>A transaction of the partner on this card, the partner's refunds of it so far, and its annulment as a
    /// late transaction.</summary>
    Task<(PointsEarned? Transaction, IReadOnlyList<PartnerTransactionRefunded> Refunds, LateReceiptAnnulled? Annulled)>
        FindPartnerTransaction(string card, string transactionId, string partnerId);
}

/// <summary>The silo's ledger: tails read in groups, other reads with <see cref="CardLedgerStore"/>, writes through the
/// group commit.</summary>
public sealed class PostgresCardLedger(
    CardLedgerStore store, LedgerTailReads tails, LedgerGroupCommit groupCommit) : ICardLedger
{
    public Task<(IReadOnlyList<(long Seq, CardEvent Event)> Events, long Last)> ReadTail(string card, long sequence) =>
        tails.ReadTail(card, sequence);

    public Task<AppendResult> Append(string card, long lastSeq, IReadOnlyList<LedgerWrite> writes,
        ReminderRow? reminder) => groupCommit.Append(card, lastSeq, writes, reminder);

    public Task<OperationRecord?> FindOperation(string card, string key) => store.FindOperation(card, key);

    public Task<(PointsEarned? Purchase, IReadOnlyList<PurchaseRefunded> Refunds,
        LateReceiptAnnulled? Annulled)> FindReceipt(
        string card, string receiptId, string stationId) => store.FindReceipt(card, receiptId, stationId);

    public Task<(PointsRedeemed? Redemption, bool Reversed)> FindRedemption(string card, string redemptionId,
        string stationId) => store.FindRedemption(card, redemptionId, stationId);

    public Task<(PointsEarned? Transaction, IReadOnlyList<PartnerTransactionRefunded> Refunds,
        LateReceiptAnnulled? Annulled)> FindPartnerTransaction(string card, string transactionId, string partnerId) =>
        store.FindPartnerTransaction(card, transactionId, partnerId);
}
