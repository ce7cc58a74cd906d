using BpClub.Domain.Ledger;

namespace BpClub.Grains.Cards.Storage;

/// <summary>What a card's command log reads and writes: PostgreSQL in a silo, a list in its tests.</summary>
public interface ICardLedger
{
    /// <summary>The card's ledger entries after <paramref name="sequence"/>, in order.</summary>
    Task<IReadOnlyList<(long Seq, CardEvent Event)>> ReadAfter(string card, long sequence);

    /// <summary>
    /// Commits the writes, fenced on <paramref name="lastSeq"/> being the ledger's last entry (else a
    /// <see cref="StaleActivationException"/>), with the reminder row if any; or, when operation ids among them
    /// were recorded before, nothing, and those ids.
    /// </summary>
    Task<IReadOnlyList<string>> Append(string card, long lastSeq, IReadOnlyList<LedgerWrite> writes,
        ReminderRow? reminder);

    Task<OperationRecord?> FindOperation(string card, string key);

    /// <summary>A receipt of the station on this card, and the refunds of it so far.</summary>
    Task<(PointsEarned? Purchase, IReadOnlyList<PurchaseRefunded> Refunds)> FindReceipt(string card, string receiptId,
        string stationId);
}

/// <summary>The silo's ledger: reads with <see cref="CardLedgerStore"/>, writes through the group commit.</summary>
public sealed class PostgresCardLedger(CardLedgerStore store, LedgerGroupCommit groupCommit) : ICardLedger
{
    public Task<IReadOnlyList<(long Seq, CardEvent Event)>> ReadAfter(string card, long sequence) =>
        store.ReadAfter(card, sequence);

    public Task<IReadOnlyList<string>> Append(string card, long lastSeq, IReadOnlyList<LedgerWrite> writes,
        ReminderRow? reminder) => groupCommit.Append(card, lastSeq, writes, reminder);

    public Task<OperationRecord?> FindOperation(string card, string key) => store.FindOperation(card, key);

    public Task<(PointsEarned? Purchase, IReadOnlyList<PurchaseRefunded> Refunds)> FindReceipt(string card,
        string receiptId, string stationId) => store.FindReceipt(card, receiptId, stationId);
}
