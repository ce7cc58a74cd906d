namespace BpClub.Domain.Ledger;

/// <summary>
/// Everything a replaced card hands over to its successor: the available points, the lots on hold with their
/// release instants, the litres of the months a level or a late receipt still needs, the points annual expiries
/// annulled that refunds have not matched yet, and the cards it had itself replaced (for one history).
/// </summary>
public sealed record MovedAccount(
    long Settled,
    IReadOnlyList<HeldLot> Lots,
    IReadOnlyDictionary<int, decimal> MonthLitres,
    IReadOnlyList<AnnulledPoints> Annulled,
    IReadOnlyList<string> Predecessors)
{
    public long OnHold() => Lots.Sum(l => l.Points);

    public long Total() => Settled + OnHold();
}

/// <summary>A replacement the old card has started and not yet completed or aborted (the durable step).</summary>
public sealed record PendingReplacement(string TransferId, string NewCard, MovedAccount Moved,
    bool MovesRegistration = false);

/// <summary>
/// Step 1 of a card replacement, on the old card: everything it holds leaves it, in transit to
/// <see cref="NewCard"/> under <see cref="TransferId"/>; the card takes no more purchases or payments.
/// <see cref="MovesRegistration"/>: the card had a cabinet account, which moves too (and back, if aborted);
/// <see cref="OperatorId"/>: the operator who asked for it (null: the member).
/// </summary>
public sealed record ReplacementStarted(DateTimeOffset At, string TransferId, string NewCard, MovedAccount Moved,
    bool MovesRegistration = false, string? OperatorId = null) : CardEvent(At);

/// <summary>Step 2, on the new card, once per transfer id: what the old card handed over is added to it.</summary>
public sealed record TransferReceived(DateTimeOffset At, string TransferId, string OldCard, MovedAccount Moved)
    : CardEvent(At);

/// <summary>Step 3, on the old card: the new card holds everything; the old one is closed for good.</summary>
public sealed record ReplacementCompleted(DateTimeOffset At, string TransferId, string NewCard) : CardEvent(At);

/// <summary>
/// Instead of step 3, when the new card refused the transfer before receiving anything (it was registered or
/// closed meanwhile): the old card gets back what it handed over and is active again.
/// </summary>
public sealed record ReplacementAborted(DateTimeOffset At, string TransferId, string Reason, MovedAccount Restored)
    : CardEvent(At);
