namespace BpClub.Domain.Ledger;

/// <summary>
/// What a command decided on an account: accepted, with the events to record and the account they leave
/// (no events when nothing changes), or rejected, with the reason. Nothing else.
/// </summary>
public abstract record Decision
{
    private Decision() { }

    public sealed record Accepted(IReadOnlyList<CardEvent> Events, CardAccount After) : Decision;

    public sealed record Rejected(Rejection Problem) : Decision;

    public bool IsRejected => this is Rejected;

    /// <summary>The reason of a rejection; null when accepted.</summary>
    public Rejection? Rejection => (this as Rejected)?.Problem;

    public static Decision Reject(RejectionKind kind, string detail) => new Rejected(new Rejection(kind, detail));

    public static Decision Nothing(CardAccount current) => new Accepted([], current);
}

/// <summary>A command's own result before settlement is prepended: its events, or a rejection.</summary>
public readonly struct DecisionOr
{
    private DecisionOr(IReadOnlyList<CardEvent> events, Rejection? rejection) =>
        (Events, Rejection) = (events, rejection);

    public IReadOnlyList<CardEvent> Events { get; }
    public Rejection? Rejection { get; }

    public static DecisionOr Record(IReadOnlyList<CardEvent> events) => new(events, null);
    public static implicit operator DecisionOr(Decision rejected) => new([], rejected.Rejection);
}
