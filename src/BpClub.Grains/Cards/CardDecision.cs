namespace BpClub.Grains.Cards;

/// <summary>How a card command ends: accepted with its events and result, rejected, or replaying a result.</summary>
public abstract record CardDecision<T>
{
    private CardDecision() { }

    /// <param name="Events">What to record; none when the command changes nothing.</param>
    /// <param name="After">The account once they are recorded.</param>
    public sealed record Accepted(IReadOnlyList<CardEvent> Events, CardAccount After, T Result) : CardDecision<T>
    {
        /// <summary>The holder's questionnaire, written with the events (an issue).</summary>
        public CardHolderRecord? NewHolder { get; init; }

        /// <summary>True when the holder's personal data is erased with the events (a termination).</summary>
        public bool ErasesHolder { get; init; }
    }

    public sealed record Rejected(Rejection Problem) : CardDecision<T>;

    public sealed record Replayed(T Result) : CardDecision<T>;

    /// <summary>
    /// A command that names a ledger entry (a receipt, a payment) the card does not hold from this caller: an unknown
    /// card when it was never issued, else the entry's own not-found.
    /// </summary>
    public static CardDecision<T> EntryNotFound(CardAccount account, string detail) => new Rejected(new Rejection(
        account.Status == CardStatus.NotIssued ? RejectionKind.NotIssued : RejectionKind.ReceiptNotFound, detail));

    /// <summary>The account's decision, with the command's result computed from it when accepted.</summary>
    public static CardDecision<T> From(Decision decision, Func<Decision.Accepted, T> result) => decision switch
    {
        Decision.Accepted accepted => new Accepted(accepted.Events, accepted.After, result(accepted)),
        Decision.Rejected rejected => new Rejected(rejected.Problem),
        _ => throw new InvalidOperationException($"Unknown decision {decision.GetType().Name}."),
    };
}
