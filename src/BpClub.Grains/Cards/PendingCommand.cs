using System.Text.Json;

namespace BpClub.Grains.Cards;

/// <summary>A command waiting in a card's log, and the answer its caller awaits.</summary>
internal abstract class PendingCommand
{
    private const int Waiting = 0, Claimed = 1, Abandoned = 2;
    /// <summary>Waiting, claimed by the writer, or abandoned by its caller: whichever comes first wins.</summary>
    private int _state;
    private CancellationTokenRegistration _abandon;

    public abstract string? OperationKey { get; }
    public abstract bool ReadsLedger { get; }
    public abstract bool IsReminderTick { get; }

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

    public abstract Task Prepare(ICardLedger ledger, string card);

    /// <summary>Decides on the account; when accepted, the write that records it from sequence
    /// <paramref name="next"/> on.</summary>
    public abstract Verdict Decide(CardAccount account, DateTimeOffset now, long next);

    /// <summary>Answers the result the command's decision computed (accepted and committed, or a replay).</summary>
    public abstract void Succeed();

    /// <summary>Answers from an earlier result of the same operation id: a replay, or a conflict when the request
    /// differs.</summary>
    public abstract void Answer(OperationRecord? earlier);

    public abstract void Refuse(Rejection rejection);
    public abstract void Fail(Exception e);
    protected abstract void Cancel(CancellationToken cancellation);

    /// <summary>What the log does with a decided command.</summary>
    public readonly record struct Verdict(LedgerWrite? Write, CardAccount? After, Rejection? Rejection, bool Replayed);
}

internal sealed class PendingCommand<T>(ICardCommand<T> command) : PendingCommand
{
    private readonly byte[]? _requestHash = command.Request is { } request ? CardOutcomes.RequestHash(request) : null;
    private readonly TaskCompletionSource<Outcome<T>> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ICardCommand<T> _command = command;
    private T _result = default!;
    private bool _replayed;

    public Task<Outcome<T>> Answered => _answer.Task;
    public override string? OperationKey => _command.OperationKey;
    public override bool ReadsLedger => _command.ReadsLedger;
    public override bool IsReminderTick => _command.IsReminderTick;

    public override async Task Prepare(ICardLedger ledger, string card) =>
        _command = await _command.Prepare(ledger, card);

    public override Verdict Decide(CardAccount account, DateTimeOffset now, long next)
    {
        switch (_command.Decide(account, now))
        {
            case CardDecision<T>.Accepted accepted:
                _result = accepted.Result;
                var operation = OperationKey is { } key
                    ? new OperationRecord(key, _requestHash!, JsonSerializer.Serialize(_result, LedgerJson.Options))
                    : null;
                var write = new LedgerWrite(next, accepted.Events, operation, accepted.NewHolder,
                    accepted.ErasesHolder);
                return new Verdict(write, accepted.After, null, false);
            case CardDecision<T>.Rejected rejected:
                return new Verdict(null, null, rejected.Problem, false);
            case CardDecision<T>.Replayed replayed:
                (_result, _replayed) = (replayed.Result, true);
                return new Verdict(null, null, null, true);
            default:
                throw new InvalidOperationException("Unknown decision.");
        }
    }

    public override void Succeed() =>
        _answer.TrySetResult(_replayed ? Outcome<T>.Replayed(_result) : Outcome<T>.Done(_result));

    public override void Answer(OperationRecord? earlier) => _answer.TrySetResult(earlier is null
        ? Outcome<T>.Fail(OutcomeStatus.Conflict, "This operation id was already used.")
        : CardOutcomes.Replay<T>(earlier, _requestHash!));

    public override void Refuse(Rejection rejection) => _answer.TrySetResult(CardOutcomes.Refuse<T>(rejection));
    public override void Fail(Exception e) => _answer.TrySetException(e);
    protected override void Cancel(CancellationToken cancellation) => _answer.TrySetCanceled(cancellation);
}
