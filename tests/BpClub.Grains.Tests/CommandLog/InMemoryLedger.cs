using BpClub.Abstractions;
using BpClub.Domain.Ledger;
using BpClub.Grains.Cards;
using BpClub.Grains.Cards.Storage;

namespace BpClub.Grains.Tests.CommandLog;

/// <summary>
/// One card's ledger as a list, with PostgreSQL's rules: the write is fenced on the last sequence, an operation id
/// recorded before leaves the whole write out. A test can hold the next write, or make it fail after or before it
/// happened.
/// </summary>
internal sealed class InMemoryLedger : ICardLedger
{
    public List<(long Seq, CardEvent Event)> Entries { get; } = [];
    public Dictionary<string, OperationRecord> Operations { get; } = [];
    public List<IReadOnlyList<LedgerWrite>> Appends { get; } = [];
    public int Reads { get; private set; }

    /// <summary>Set: the next write waits for it.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Set: the next write throws it, having first happened when <see cref="FailAfterWriting"/>.</summary>
    public Exception? NextFailure { get; set; }
    public bool FailAfterWriting { get; set; }

    public long Last => Entries.Count == 0 ? 0 : Entries[^1].Seq;

    public Task<(IReadOnlyList<(long Seq, CardEvent Event)> Events, long Last)> ReadTail(string card, long sequence)
    {
        Reads++;
        return Task.FromResult<(IReadOnlyList<(long, CardEvent)>,
            long)>((Entries.Where(e => e.Seq > sequence).ToList(), Last));
    }

    public async Task<AppendResult> Append(string card, long lastSeq, IReadOnlyList<LedgerWrite> writes,
        ReminderRow? reminder)
    {
        if (Gate is { } gate)
        {
            Gate = null;
            await gate.Task;
        }
        if (NextFailure is { } failure && !FailAfterWriting)
        {
            NextFailure = null;
            throw failure;
        }
        if (lastSeq != Last) throw new StaleActivationException($"The ledger is at {Last}, not {lastSeq}.");
        var recorded = writes.Select(w => w.Operation?.Key).OfType<string>().Where(Operations.ContainsKey).ToList();
        if (recorded.Count > 0) return new AppendResult(recorded, []);
        Appends.Add(writes);
        foreach (var write in writes)
        {
            for (var i = 0; i < write.Events.Count; i++) Entries.Add((write.FirstSeq + i, write.Events[i]));
            if (write.Operation is { } operation) Operations[operation.Key] = operation;
        }
        if (NextFailure is { } late)
        {
            NextFailure = null;
            throw late;
        }
        return AppendResult.Committed;
    }

    public Task<OperationRecord?> FindOperation(string card, string key) =>
        Task.FromResult(Operations.GetValueOrDefault(key));

    public Task<(PointsEarned? Purchase, IReadOnlyList<PurchaseRefunded> Refunds,
        LateReceiptAnnulled? Annulled)> FindReceipt(
        string card, string receiptId, string stationId) =>
        Task.FromResult<(PointsEarned?, IReadOnlyList<PurchaseRefunded>, LateReceiptAnnulled?)>((
            Entries.Select(e => e.Event).OfType<PointsEarned>().FirstOrDefault(p => p.OperationId == receiptId),
            Entries.Select(e => e.Event).OfType<PurchaseRefunded>().Where(r => r.ReceiptId == receiptId).ToList(),
            Entries.Select(e => e.Event).OfType<LateReceiptAnnulled>()
                .FirstOrDefault(a => a.OperationId == receiptId)));

    public Task<(PointsRedeemed? Redemption, bool Reversed)> FindRedemption(string card, string redemptionId,
        string stationId) =>
        Task.FromResult((
            Entries.Select(e => e.Event).OfType<PointsRedeemed>().FirstOrDefault(r => r.OperationId == redemptionId),
            Entries.Select(e => e.Event).OfType<RedemptionReversed>().Any(r => r.RedemptionId == redemptionId)));

    public Task<(PointsEarned? Transaction, IReadOnlyList<PartnerTransactionRefunded> Refunds,
        LateReceiptAnnulled? Annulled)> FindPartnerTransaction(string card, string transactionId, string partnerId) =>
        Task.FromResult<(PointsEarned?, IReadOnlyList<PartnerTransactionRefunded>, LateReceiptAnnulled?)>((
            Entries.Select(e => e.Event).OfType<PointsEarned>()
                .FirstOrDefault(p => p.OperationId == transactionId && p.SourceId == partnerId),
            Entries.Select(e => e.Event).OfType<PartnerTransactionRefunded>()
                .Where(r => r.TransactionId == transactionId && r.PartnerId == partnerId).ToList(),
            Entries.Select(e => e.Event).OfType<LateReceiptAnnulled>()
                .FirstOrDefault(a => a.OperationId == transactionId && a.SourceId == partnerId)));
}

/// <summary>A host that only counts what the log tells it.</summary>
internal sealed class RecordingHost : ICardLogHost
{
    public List<IReadOnlyList<CardEvent>> Commits { get; } = [];
    public int CatchUps { get; private set; }
    public Exception? StaleWith { get; private set; }
    public List<Exception> Failures { get; } = [];

    public ReminderRow? ReminderFor(CardAccount after, bool reminderTick) => null;

    public Task Committed(IReadOnlyList<CardEvent> events, ReminderRow? reminder)
    {
        Commits.Add(events);
        return Task.CompletedTask;
    }

    public void CaughtUp() => CatchUps++;
    public void Stale(Exception e) => StaleWith = e;
    public void WriteFailed(Exception e) => Failures.Add(e);
}
