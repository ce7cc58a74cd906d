using System.Text.Json;
using BpClub.Abstractions;
using BpClub.Domain.Ledger;
using BpClub.Grains.Storage;
using static BpClub.Grains.CardOutcomes;
using static BpClub.Grains.CardViews;

namespace BpClub.Grains;

// The write path. Commands queue up and one writer loop drains the queue: it decides every
// waiting command in arrival order, each on the state the ones before it leave, commits all their
// ledger and operation rows in ONE transaction (shared with the other cards of the silo that have
// writes waiting: LedgerGroupCommit), then adopts the state and answers them. Nothing is answered
// before its commit.
// Only the writer loop changes _account and _sequence, so the grain can take calls reentrantly.
public sealed partial class CardGrain
{
    /// <summary>Enough to amortise the round trip; small enough that one transaction stays short.</summary>
    private const int MaxBatch = 256;
    private readonly LinkedList<PendingCommand> _queue = new();
    private Task? _writer;
    /// <summary>Set when another activation wrote this card's ledger: this one answers nothing more and goes.</summary>
    private Exception? _stale;
    /// <summary>
    /// Set when a commit failed without telling whether it happened (PostgreSQL went away): the next batch first
    /// reads the ledger's entries after the last one this activation knows. Catching up in place costs one query;
    /// deactivating would cost every card of the silo a snapshot write, a state read and a reminder write at the
    /// moment PostgreSQL comes back, which is what kept a cluster from recovering from a short outage under load.
    /// </summary>
    private bool _mustCatchUp;
    /// <summary>
    /// The last operations this activation committed, by id: a till's retry of one of them (it timed out while the
    /// first attempt was being committed) is answered from memory, with no round trip and without spoiling the
    /// batch of the card's other commands. Bounded: an older retry is found in card_operations as before.
    /// </summary>
    private readonly RecentOperations _recent = new(256);

    /// <summary>Queues a command under its operation id (or none) and answers once it is committed.</summary>
    private Task<Outcome<T>> Run<T>(string? operationKey, object? request, Func<CardAccount, DateTimeOffset, Decision> decide,
        Func<Decision, DateTimeOffset, T> result, CardHolderRecord? holder = null, bool eraseHolder = false, Func<Task>? prepare = null,
        CancellationToken cancellation = default, bool fromReminder = false)
    {
        if (_card is null) return Task.FromResult(NotACard<T>());
        if (cancellation.IsCancellationRequested) return Task.FromCanceled<Outcome<T>>(cancellation);
        var command = new PendingCommand<T>(operationKey, request is null ? null : RequestHash(request), decide, result)
        {
            Holder = holder,
            EraseHolder = eraseHolder,
            Prepare = prepare,
            FromReminder = fromReminder,
        };
        if (_stale is { } stale) return Task.FromException<Outcome<T>>(stale);
        command.AbandonWhen(cancellation);
        _queue.AddLast(command);
        _writer ??= Drain();
        return command.Answered;
    }

    private async Task Drain()
    {
        try
        {
            // Let the calls already delivered to this activation join the first batch.
            await Task.Yield();
            while (_queue.Count > 0) await WriteBatch();
        }
        catch (Exception e)
        {
            // Unreachable by design; if it happens, no till may wait forever.
            LogWriteFailed(e, Key);
            while (_queue.Count > 0) Take().Fail(e);
        }
        finally
        {
            _writer = null;
        }
    }

    private async Task WriteBatch()
    {
        var batch = new List<PendingCommand>();
        // Commands whose callers gave up are dropped here, before anything is decided for them.
        while (_queue.First is { } first && !first.Value.Claim()) _queue.RemoveFirst();
        if (_queue.Count == 0) return;
        if (_mustCatchUp)
        {
            try { await CatchUp(); }
            catch (Exception e)
            {
                // Still unreachable: what waits fails as the batch before it did, and the till retries.
                while (_queue.Count > 0) Take().Fail(e);
                return;
            }
        }
        // A command that must read the ledger first (a refund, its receipt) heads its own batch, so
        // that everything queued before it is committed when it reads.
        var head = Take();
        if (head.Prepare is { } prepare)
        {
            try { await prepare(); }
            catch (Exception e) { head.Fail(e); return; }
        }
        batch.Add(head);
        while (batch.Count < MaxBatch && _queue.First is { Value.Prepare: null } next)
        {
            _queue.RemoveFirst();
            if (next.Value.Claim()) batch.Add(next.Value);
        }

        var now = time.GetUtcNow();
        var working = _account;
        var sequence = _sequence;
        var decided = new List<(PendingCommand Command, Decision Decision, LedgerWrite Write)>();
        var rejected = new List<(PendingCommand Command, Rejection Rejection)>();
        var firstByKey = new Dictionary<string, OperationRecord>();
        var duplicates = new List<(PendingCommand Command, OperationRecord First)>();
        foreach (var command in batch)
        {
            // The same operation id twice in one batch, or one this activation committed: a retry of the first.
            if (command.OperationKey is { } key && (firstByKey.TryGetValue(key, out var first) || _recent.TryGet(key, out first)))
            {
                duplicates.Add((command, first));
                continue;
            }
            Decision decision;
            OperationRecord? operation;
            try
            {
                decision = command.Decide(working, now);
                if (decision.Rejection is { } rejection)
                {
                    rejected.Add((command, rejection));
                    continue;
                }
                operation = command.Record(decision, now);
            }
            catch (Exception e)
            {
                command.Fail(e);
                continue;
            }
            decided.Add((command, decision, new LedgerWrite(sequence + 1, decision.Events, operation, command.Holder, command.EraseHolder)));
            if (operation is not null) firstByKey[operation.Key] = operation;
            sequence += decision.Events.Count;
            working = decision.After!;
        }

        if (decided.Count > 0)
        {
            // A lot is never committed without a reminder due no later than its release: when the batch
            // needs one armed or moved earlier, its row is written in the same transaction as the lots.
            // (A reminder's own tick moves it through the reminder service afterwards instead: the service's
            // timer for it must learn the new time now, not at its next read of the table.)
            DateTimeOffset? arm = working.NextDueAt() is { } due && !batch.Any(c => c.FromReminder)
                && (!_reminderKnown || _reminderDueAt is null || due < _reminderDueAt) ? due : null;
            AppendResult appended;
            try
            {
                appended = await groupCommit.Append(Key, _sequence, decided.Select(d => d.Write).ToList(),
                    arm is { } at ? ReleaseReminderRow(at) : null);
            }
            catch (StaleActivationException e)
            {
                // Another activation has written the card since this one read it: the retry reaches a new one.
                LogWriteFailed(e, Key);
                _stale = e;
                foreach (var command in batch) command.Fail(e);
                while (_queue.Count > 0) Take().Fail(e);
                DeactivateOnIdle();
                return;
            }
            catch (Exception e)
            {
                // The commit may or may not have happened: answer nothing as done; catch up before the next batch.
                LogWriteFailed(e, Key);
                _mustCatchUp = true;
                foreach (var command in batch) command.Fail(e);
                return;
            }
            if (appended.LeftOut)
            {
                // Retries of operations an earlier activation committed: they answer from their first
                // result; purchases of a receipt the station recorded on another card are refused (409);
                // nothing of this batch was kept, so the rest is decided and written again.
                var keys = appended.RecordedBefore.ToHashSet();
                var taken = appended.ReceiptsTaken.ToHashSet();
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
                            earlier[command.OperationKey!] = first = await ledger.FindOperation(Key, command.OperationKey!);
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
                return;
            }
            if (arm is not null) (_reminderKnown, _reminderDueAt) = (true, arm);
            foreach (var (_, _, write) in decided)
            {
                if (write.Operation is { } recorded) _recent.Add(recorded);
                if (write.EraseHolder) _recent.Forget(CardLedgerStore.IssueOperationKey);
            }
            await Adopt(working, sequence, decided.Select(d => d.Decision.Events));
        }

        foreach (var (command, _, _) in decided) command.Succeed();
        foreach (var (command, first) in duplicates) command.Answer(first);
        foreach (var (command, rejection) in rejected)
        {
            // A refused command may be the retry of one committed before: then it answers the first result.
            try
            {
                if (command.OperationKey is { } key && await ledger.FindOperation(Key, key) is { } earlier)
                {
                    _recent.Add(earlier);
                    command.Answer(earlier);
                }
                else command.Refuse(rejection);
            }
            catch (Exception e) { command.Fail(e); }
        }
    }

    /// <summary>Applies what the ledger holds after the last entry this activation knows (a commit that did happen).</summary>
    private async Task CatchUp()
    {
        await ApplyLedgerTail();
        _mustCatchUp = false;
        AssumeReminder();
    }

    /// <summary>
    /// Folds in the ledger's entries after the last one the account holds (on activation, and to catch up);
    /// answers the ledger's last sequence number.
    /// </summary>
    private async Task<long> ApplyLedgerTail()
    {
        var (events, last) = await ledger.ReadTail(Key, _sequence);
        foreach (var (seq, e) in events)
        {
            _account.Apply(e);
            _sequence = seq;
        }
        return last;
    }

    private PendingCommand Take()
    {
        var command = _queue.First!.Value;
        _queue.RemoveFirst();
        return command;
    }

    /// <summary>After the commit: the new state, the meters, the live balance, the snapshot, the reminder.</summary>
    private async Task Adopt(CardAccount account, long sequence, IEnumerable<IReadOnlyList<CardEvent>> committed)
    {
        _account = account;
        _sequence = sequence;
        foreach (var e in committed.SelectMany(events => events))
        {
            if (e is PointsEarned earned) metrics.PurchaseRecorded(earned.Points);
            else if (e is PointsRedeemed redeemed) metrics.RedemptionRecorded(redeemed.Points);
        }
        if (_watchers.Count > 0)
        {
            var balance = ToModel(_account.BalanceAt(time.GetUtcNow()));
            await _watchers.Notify(watcher => watcher.BalanceChanged(balance));
        }
        // A snapshot costs its size (the lots on hold); writing it no more often than that many
        // entries keeps its cost per entry constant however many lots a busy card holds.
        if (_sequence - snapshot.State.Sequence >= Math.Max(SnapshotEvery, _account.HeldLots)) await WriteSnapshot();
        await TryEnsureReminder();
    }

    /// <summary>A command waiting for the writer.</summary>
    private abstract class PendingCommand(string? operationKey, byte[]? requestHash)
    {
        public string? OperationKey { get; } = operationKey;
        protected byte[]? RequestHash { get; } = requestHash;
        public CardHolderRecord? Holder { get; init; }
        public bool EraseHolder { get; init; }
        /// <summary>Reads what the decision needs from the ledger once everything before it is committed.</summary>
        public Func<Task>? Prepare { get; init; }
        /// <summary>The release reminder's tick: the reminder is moved after it, through the reminder service.</summary>
        public bool FromReminder { get; init; }

        private const int Waiting = 0, Claimed = 1, Abandoned = 2;
        /// <summary>Waiting, claimed by the writer, or abandoned by its caller: whichever comes first wins.</summary>
        private int _state;
        private CancellationTokenRegistration _abandon;

        /// <summary>
        /// The caller's token, which may fire on any thread: it only marks the command abandoned (and answers it
        /// cancelled); the writer then drops it. A command the writer claimed first is decided and committed.
        /// </summary>
        public void AbandonWhen(CancellationToken cancellation)
        {
            if (!cancellation.CanBeCanceled) return;
            _abandon = cancellation.Register(() =>
            {
                if (Interlocked.CompareExchange(ref _state, Abandoned, Waiting) == Waiting) Cancel(cancellation);
            });
        }

        /// <summary>The writer takes the command; false when its caller gave up first.</summary>
        public bool Claim()
        {
            var claimed = Interlocked.CompareExchange(ref _state, Claimed, Waiting) == Waiting;
            if (claimed) _abandon.Dispose();
            return claimed;
        }

        /// <summary>Back in the queue (its batch was left out whole), to be claimed again.</summary>
        public void Unclaim() => Volatile.Write(ref _state, Waiting);

        protected abstract void Cancel(CancellationToken cancellation);

        public abstract Decision Decide(CardAccount account, DateTimeOffset now);
        /// <summary>Computes the result; the operation row that remembers it, when the command has an id.</summary>
        public abstract OperationRecord? Record(Decision decision, DateTimeOffset now);
        public abstract void Succeed();
        /// <summary>Answers from an earlier result of the same operation id: a replay, or a conflict when the payload differs.</summary>
        public abstract void Answer(OperationRecord? earlier);
        public abstract void Refuse(Rejection rejection);
        public abstract void Fail(Exception e);
    }

    private sealed class PendingCommand<T>(string? operationKey, byte[]? requestHash,
        Func<CardAccount, DateTimeOffset, Decision> decide, Func<Decision, DateTimeOffset, T> result) : PendingCommand(operationKey, requestHash)
    {
        private T _value = default!;
        private readonly TaskCompletionSource<Outcome<T>> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<Outcome<T>> Answered => _answer.Task;

        public override Decision Decide(CardAccount account, DateTimeOffset now) => decide(account, now);

        public override OperationRecord? Record(Decision decision, DateTimeOffset now)
        {
            _value = result(decision, now);
            return OperationKey is null ? null : new OperationRecord(OperationKey, RequestHash!, JsonSerializer.Serialize(_value, LedgerJson.Options));
        }

        public override void Succeed() => _answer.TrySetResult(Outcome<T>.Done(_value));

        public override void Answer(OperationRecord? earlier) => _answer.TrySetResult(earlier is null
            ? Outcome<T>.Fail(OutcomeStatus.Conflict, "This operation id was already used.")
            : CardOutcomes.Replay<T>(earlier, RequestHash!));

        public override void Refuse(Rejection rejection) => _answer.TrySetResult(CardOutcomes.Refuse<T>(rejection));

        public override void Fail(Exception e) => _answer.TrySetException(e);

        protected override void Cancel(CancellationToken cancellation) => _answer.TrySetCanceled(cancellation);
    }
}
