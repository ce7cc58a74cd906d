namespace BpClub.Domain.Ledger;

/// <summary>What a command decided: events to record and the state they lead to, or why not.</summary>
public sealed record Decision(IReadOnlyList<CardEvent> Events, CardAccount? After, Rejection? Rejection)
{
    public bool IsRejected => Rejection is not null;

    public static Decision Reject(RejectionKind kind, string detail) => new([], null, new Rejection(kind, detail));

    public static Decision Nothing(CardAccount current) => new([], current, null);
}

/// <summary>A command's own result before settlement is prepended: its events, or a rejection.</summary>
public readonly struct DecisionOr
{
    private DecisionOr(IReadOnlyList<CardEvent> events, Rejection? rejection) => (Events, Rejection) =
        (events, rejection);

    public IReadOnlyList<CardEvent> Events { get; }
    public Rejection? Rejection { get; }

    public static DecisionOr Record(IReadOnlyList<CardEvent> events) => new(events, null);
    public static implicit operator DecisionOr(Decision rejected) => new([], rejected.Rejection);
}
