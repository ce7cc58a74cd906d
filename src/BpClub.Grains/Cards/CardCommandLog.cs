using BpClub.Abstractions;
using BpClub.Domain.Ledger;
using BpClub.Domain.Validation;
using BpClub.Grains.Cards.Storage;

namespace BpClub.Grains.Cards;

/// <summary>
/// One card's commands, from the call to the answer. Commands queue up and one writer drains the queue: it decides
/// every waiting command in arrival order, each on the account the ones before it leave, commits all their ledger
/// and operation rows in ONE write (which the silo shares with its other cards: <see cref="LedgerGroupCommit"/>),
/// then adopts the account and answers them. Nothing is answered before its commit; nothing but the writer changes
/// <see cref="Account"/>, so the grain can take calls reentrantly and queries read committed state.
/// </summary>
/// <remarks>
/// Not thread-safe: the host calls it from one logical thread (an Orleans activation's scheduler).
/// </remarks>
public sealed class CardCommandLog(string card, ICardLedger ledger, ICardLogHost host, CommandValidator validator,
    TimeProvider time, CardAccount account, long sequence)
{
    /// <summary>Enough to amortise the round trip; small enough that one transaction stays short.</summary>
    private const int MaxBatch = 256;
    private readonly LinkedList<PendingCommand> _queue = new();
    /// <summary>
    /// The last operations committed here, by id: a till's retry of one (it timed out while the first attempt was
    /// being committed) is answered from memory, with no round trip and without spoiling the batch of the card's
    /// other commands. Bounded: an older retry is found in the ledger's operation rows.
    /// </summary>
    private readonly RecentOperations _recent = new(256);
    private Task? _writer;
    /// <summary>Set when another activation wrote the card: this log answers nothing more.</summary>
    private Exception? _stale;
    /// <summary>
    /// Set when a commit failed without telling whether it happened (the database went away): the next batch first
    /// reads the ledger's entries after the last one this log knows. Catching up in place costs one query; throwing
    /// the activation away would cost every card of the silo a reload at the moment the database comes back.
    /// </summary>
    private bool _mustCatchUp;

    /// <summary>The committed account, as of ledger entry <see cref="Sequence"/>.</summary>
    public CardAccount Account { get; private set; } = account;

    public long Sequence { get; private set; } = sequence;

    /// <summary>False after a failed commit (until caught up) and once stale: the log may not know the ledger's end.
    /// </summary>
    public bool KnowsLedgerEnd => _stale is null && !_mustCatchUp;

    /// <summary>Queues a command and answers once it is committed (or refused, or replayed).</summary>
    public Task<Outcome<T>> Run<T>(ICardCommand<T> command, CancellationToken cancellation = default)
    {
        if (cancellation.IsCancellationRequested) return Task.FromCanceled<Outcome<T>>(cancellation);
        if (command.Validate(validator, time.GetUtcNow()) is { IsEmpty: false } errors)
            return Task.FromResult(Outcome<T>.Invalid(errors.ToDictionary()));
        if (_stale is { } stale) return Task.FromException<Outcome<T>>(stale);
        var pending = new PendingCommand<T>(command);
        pending.AbandonWhen(cancellation);
        _queue.AddLast(pending);
        _writer ??= Drain();
        return pending.Answered;
    }

    /// <summary>Applies the ledger's entries after the last one the log knows (on activation, after a failed commit);
    /// answers the ledger's last sequence number.
    /// </summary>
    public async Task<long> CatchUp()
    {
        var (events, last) = await ledger.ReadTail(card, Sequence);
        foreach (var (seq, e) in events)
        {
            Account.Apply(e);
            Sequence = seq;
        }
        _mustCatchUp = false;
        host.CaughtUp();
        return last;
    }

    /// <summary>
    /// Starts again from an empty account and the whole ledger: what the host does when the snapshot it loaded
    /// cannot be trusted. Only before any command ran.
    /// </summary>
    public Task<long> Rebuild(CardAccount empty)
    {
        Account = empty;
        Sequence = 0;
        return CatchUp();
    }

    private async Task Drain()
    {
        try
        {
            // Let the calls already delivered join the first batch.
            await Task.Yield();
            while (_queue.Count > 0) await WriteBatch();
        }
        catch (Exception e)
        {
            // Unreachable by design; if it happens, no caller may wait forever.
            host.WriteFailed(e);
            while (_queue.Count > 0) Take().Fail(e);
        }
        finally
        {
            _writer = null;
        }
    }

    private async Task WriteBatch()
    {
        // Commands whose callers gave up are dropped here, before anything is decided for them.
        while (_queue.First is { } first && !first.Value.Claim()) _queue.RemoveFirst();
        if (_queue.Count == 0) return;
        if (_mustCatchUp)
        {
            try { await CatchUp(); }
            catch (Exception e)
            {
                // Still unreachable: what waits fails as the batch before it did, and the caller retries.
                while (_queue.Count > 0) Take().Fail(e);
                return;
            }
        }
        if (await TakeBatch() is not { } batch) return;

        var decided = Decide(batch, time.GetUtcNow());
        if (decided.Accepted.Count > 0 && !await Commit(batch, decided)) return;
        await Answer(decided);
    }

    /// <summary>
    /// The head of the queue and what may join it. A command that reads the ledger first (a refund, its receipt)
    /// heads a batch of its own, so that everything queued before it is committed when it reads.
    /// </summary>
    private async Task<List<PendingCommand>?> TakeBatch()
    {
        var head = Take();
        if (head.ReadsLedger)
        {
            try { await head.Prepare(ledger, card); }
            catch (Exception e)
            {
                head.Fail(e);
                return null;
            }
        }
        var batch = new List<PendingCommand> { head };
        while (batch.Count < MaxBatch && _queue.First is { Value.ReadsLedger: false } next)
        {
            _queue.RemoveFirst();
            if (next.Value.Claim()) batch.Add(next.Value);
        }
        return batch;
    }

    private Decided Decide(List<PendingCommand> batch, DateTimeOffset now)
    {
        var decided = new Decided(Account, Sequence);
        var firstByKey = new Dictionary<string, OperationRecord>();
        foreach (var command in batch)
        {
            // The same operation id twice in one batch, or one committed lately: a retry of the first.
            if (command.OperationKey is { } key
                && (firstByKey.TryGetValue(key, out var first) || _recent.TryGet(key, out first)))
            {
                decided.Duplicates.Add((command, first));
                continue;
            }
            PendingCommand.Verdict verdict;
            try { verdict = command.Decide(decided.Working, now, decided.Sequence + 1); }
            catch (Exception e)
            {
                command.Fail(e);
                continue;
            }
            if (verdict.Rejection is { } rejection) decided.Rejected.Add((command, rejection));
            else if (verdict.Replayed) decided.Replayed.Add(command);
            else if (verdict is { Write: { } write, After: { } after })
            {
                decided.Accepted.Add((command, write));
                if (write.Operation is { } operation) firstByKey[operation.Key] = operation;
                decided.Sequence += write.Events.Count;
                decided.Working = after;
            }
        }
        return decided;
    }

    /// <summary>Commits the accepted commands' writes; false when the batch is not to be answered as decided.</summary>
    private async Task<bool> Commit(List<PendingCommand> batch, Decided decided)
    {
        var reminder = host.ReminderFor(decided.Working, batch.Any(c => c.IsReminderTick));
        AppendResult appended;
        try
        {
            var writes = decided.Accepted.Select(a => a.Write).ToList();
            appended = await ledger.Append(card, Sequence, writes, reminder);
        }
        catch (StaleActivationException e)
        {
            // Another activation has written the card since this one read it: the retry reaches a new one.
            _stale = e;
            foreach (var command in batch) command.Fail(e);
            while (_queue.Count > 0) Take().Fail(e);
            host.Stale(e);
            return false;
        }
        catch (Exception e)
        {
            // The commit may or may not have happened: answer nothing as done; catch up before the next batch.
            host.WriteFailed(e);
            _mustCatchUp = true;
            foreach (var command in batch) command.Fail(e);
            return false;
        }
        if (appended.LeftOut)
        {
            await AnswerEarlierAndRequeue(batch, appended.RecordedBefore.ToHashSet(),
                appended.ReceiptsTaken.ToHashSet());
            return false;
        }
        foreach (var (_, write) in decided.Accepted)
        {
            if (write.Operation is { } recorded) _recent.Add(recorded);
            if (write.EraseHolder) _recent.Forget(CardLedgerStore.IssueOperationKey);
        }
        Account = decided.Working;
        Sequence = decided.Sequence;
        try { await host.Committed(decided.Accepted.SelectMany(a => a.Write.Events).ToList(), reminder); }
        catch (Exception e) { host.WriteFailed(e); }
        return true;
    }

    /// <summary>
    /// Retries of operations an earlier activation committed answer from their first result; purchases of a receipt
    /// the station recorded on another card are refused (409); nothing of the batch was kept, so the rest is queued
    /// again, to be decided and written anew.
    /// </summary>
    private async Task AnswerEarlierAndRequeue(List<PendingCommand> batch, HashSet<string> keys, HashSet<string> taken)
    {
        bool Retry(PendingCommand c) => c.OperationKey is { } key && (keys.Contains(key) || taken.Contains(key));
        var earlier = new Dictionary<string, OperationRecord?>();
        foreach (var command in batch.Where(Retry))
        {
            if (!keys.Contains(command.OperationKey!))
            {
                command.Refuse(new Rejection(RejectionKind.ReceiptElsewhere,
                    "This station recorded this receipt on another card: a receipt earns on one card only."));
                continue;
            }
            try
            {
                if (!earlier.TryGetValue(command.OperationKey!, out var first))
                {
                    earlier[command.OperationKey!] = first = await ledger.FindOperation(card, command.OperationKey!);
                    if (first is not null) _recent.Add(first);
                }
                command.Answer(first);
            }
            catch (Exception e) { command.Fail(e); }
        }
        foreach (var command in Enumerable.Reverse(batch).Where(c => !Retry(c)))
        {
            command.Unclaim();
            _queue.AddFirst(command);
        }
    }

    private async Task Answer(Decided decided)
    {
        foreach (var (command, _) in decided.Accepted) command.Succeed();
        foreach (var command in decided.Replayed) command.Succeed();
        foreach (var (command, first) in decided.Duplicates) command.Answer(first);
        foreach (var (command, rejection) in decided.Rejected)
        {
            // A refused command may be the retry of one committed before: then it answers the first result.
            try
            {
                if (command.OperationKey is { } key && await ledger.FindOperation(card, key) is { } earlier)
                {
                    _recent.Add(earlier);
                    command.Answer(earlier);
                }
                else command.Refuse(rejection);
            }
            catch (Exception e) { command.Fail(e); }
        }
    }

    private PendingCommand Take()
    {
        var command = _queue.First!.Value;
        _queue.RemoveFirst();
        return command;
    }

    /// <summary>A batch once decided: the account and sequence its accepted commands leave, how each ended.</summary>
    private sealed class Decided(CardAccount working, long sequence)
    {
        public CardAccount Working { get; set; } = working;
        public long Sequence { get; set; } = sequence;
        public List<(PendingCommand Command, LedgerWrite Write)> Accepted { get; } = [];
        public List<(PendingCommand Command, Rejection Rejection)> Rejected { get; } = [];
        public List<PendingCommand> Replayed { get; } = [];
        public List<(PendingCommand Command, OperationRecord First)> Duplicates { get; } = [];
    }
}
