namespace BpClub.Domain.Ledger;

/// <summary>Replacing: handing everything over to a new card (see <see cref="ReplacementStarted"/>); Replaced: closed,
/// its successor holds everything.</summary>
public enum CardStatus { NotIssued, Active, Terminated, Replacing, Replaced }

/// <summary>
/// Everything a card's rules need, in plain data — compact by construction: open lots (bounded by
/// the hold period's purchases, lots releasing at the same second merged), litres for the current
/// and previous month, and scalars. It never grows with the length of the card's history.
/// </summary>
public sealed record CardAccountState
{
    public CardStatus Status { get; init; }
    public bool SpendingEnabled { get; init; }
    /// <summary>Available points already folded in (released lots, less spending, refunds and expiry).</summary>
    public long Settled { get; init; }
    /// <summary>Open lots: release instant → points.</summary>
    public IReadOnlyList<HeldLot> Lots { get; init; } = [];
    /// <summary>Fuel litres per month key (see ProgrammeCalendar.MonthKey): the months a level or a late receipt still
    /// needs.</summary>
    public IReadOnlyDictionary<int, decimal> MonthLitres { get; init; } = new Dictionary<int, decimal>();
    /// <summary>Releases and expiry up to this instant are recorded in the ledger.</summary>
    public DateTimeOffset SettledThrough { get; init; }
    public DateTimeOffset? IssuedAt { get; init; }
    public DateTimeOffset? TerminatedAt { get; init; }
    /// <summary>
    /// Per annual expiry, the points it annulled that no refund has matched yet: a refund of a receipt that
    /// expiry met takes from these first, so annulled points are never taken twice. One entry a year.
    /// </summary>
    public IReadOnlyList<AnnulledPoints> Annulled { get; init; } = [];
    /// <summary>The replacement in progress (status Replacing).</summary>
    public PendingReplacement? Replacing { get; init; }
    /// <summary>The card that replaced this one (status Replaced).</summary>
    public string? ReplacedBy { get; init; }
    /// <summary>The cards this one replaced, the latest first, and the ones they had replaced.</summary>
    public IReadOnlyList<string>? Predecessors { get; init; }
}

public sealed record AnnulledPoints(DateTimeOffset ExpiryAt, long Points);

public sealed record HeldLot(DateTimeOffset AvailableAt, long Points);
