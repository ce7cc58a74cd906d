using BpClub.Domain.Cards;
using BpClub.Domain.Earning;
using BpClub.Domain.Units;

namespace BpClub.Abstractions;

// Commands a card grain takes. Operation ids (receipt, redemption, refund, partner transaction)
// are unique per station or partner; replaying one returns the first result.

[GenerateSerializer, Immutable]
public sealed record IssueCard(
    [property: Id(0)] string FirstName,
    [property: Id(1)] string LastName,
    [property: Id(2)] PhoneNumber? Phone,
    [property: Id(3)] DateOnly? BirthDate,
    [property: Id(4)] bool Consent,
    [property: Id(5)] string StationId);

[GenerateSerializer, Immutable]
public sealed record PurchaseLineModel(
    [property: Id(0)] LineType Type,
    [property: Id(1)] string? ProductCode,
    [property: Id(2)] string? Category,
    [property: Id(3)] Litres Litres,
    [property: Id(4)] Money Amount);

[GenerateSerializer, Immutable]
public sealed record RecordPurchase(
    [property: Id(0)] string ReceiptId,
    [property: Id(1)] string StationId,
    [property: Id(2)] DateTimeOffset? OccurredAt,
    [property: Id(3)] PaymentMethod PaymentMethod,
    [property: Id(4)] IReadOnlyList<PurchaseLineModel> Lines);

[GenerateSerializer, Immutable]
public sealed record RecordPartnerPurchase(
    [property: Id(0)] string PartnerTransactionId,
    [property: Id(1)] string PartnerId,
    [property: Id(2)] decimal PointsPerUah,
    [property: Id(3)] Money Amount,
    [property: Id(4)] DateTimeOffset? OccurredAt);

[GenerateSerializer, Immutable]
public sealed record RedeemPoints(
    [property: Id(0)] string RedemptionId,
    [property: Id(1)] string StationId,
    [property: Id(2)] Points Points);

/// <summary>A payment with points undone by the station that took it.</summary>
[GenerateSerializer, Immutable]
public sealed record ReverseRedemption(
    [property: Id(0)] string ReversalId,
    [property: Id(1)] string RedemptionId,
    [property: Id(2)] string StationId);

/// <summary>A returned purchase; <see cref="Lines"/> are 1-based line numbers of the receipt, empty for all of
/// it.</summary>
[GenerateSerializer, Immutable]
public sealed record RefundPurchase(
    [property: Id(0)] string RefundId,
    [property: Id(1)] string ReceiptId,
    [property: Id(2)] string StationId,
    [property: Id(3)] IReadOnlyList<int> Lines);

[GenerateSerializer, Immutable]
public sealed record TerminateParticipation(
    [property: Id(0)] DateTimeOffset ApplicationReceivedAt,
    [property: Id(1)] string Reference);

/// <summary>
/// An operator's manual correction (positive or negative); <see cref="OperatorId"/> is who made it and is not part
/// of the payload that makes a retry the same operation.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AdjustPoints(
    [property: Id(0)] string AdjustmentId,
    [property: Id(1)] Points Points,
    [property: Id(2)] string Reason,
    [property: Id(3)] string OperatorId);

/// <summary>Held points released early by an operator: <see cref="Points"/> of them, or all when null.</summary>
[GenerateSerializer, Immutable]
public sealed record ReleaseHeldPoints(
    [property: Id(0)] string ReleaseId,
    [property: Id(1)] Points? Points,
    [property: Id(2)] string OperatorId);

// Results and views.

[GenerateSerializer, Immutable]
public sealed record NextReleaseModel([property: Id(0)] Points Points, [property: Id(1)] DateTimeOffset At);

/// <summary>What the next annual expiry annuls unless spent, and its day in the programme's time zone.</summary>
[GenerateSerializer, Immutable]
public sealed record ExpiringModel([property: Id(0)] Points Points, [property: Id(1)] DateOnly On);

/// <remarks><see cref="Expiring"/> came later: results stored before it read back with null.</remarks>
[GenerateSerializer, Immutable]
public sealed record BalanceModel(
    [property: Id(0)] Points Available,
    [property: Id(1)] Points Total,
    [property: Id(2)] Points OnHold,
    [property: Id(3)] NextReleaseModel? NextRelease,
    [property: Id(4)] DateTimeOffset AsOf,
    [property: Id(5)] ExpiringModel? Expiring);

/// <remarks>
/// <see cref="LitresToKeepLevel"/> (0 once this month's litres keep the level) and <see cref="LevelNextMonth"/> (the
/// level's name if no more fuel is bought) came later: results stored before them read back with 0 and null.
/// </remarks>
[GenerateSerializer, Immutable]
public sealed record TierModel(
    [property: Id(0)] int Level,
    [property: Id(1)] string Name,
    [property: Id(2)] Litres QualifyingLitres,
    [property: Id(3)] string? NextLevel,
    [property: Id(4)] Litres? LitresToNextLevel,
    [property: Id(5)] DateTimeOffset PeriodEndsAt,
    [property: Id(6)] Litres LitresToKeepLevel,
    [property: Id(7)] string? LevelNextMonth);

[GenerateSerializer, Immutable]
public sealed record BreakdownItem([property: Id(0)] string Reason, [property: Id(1)] Points Points);

[GenerateSerializer, Immutable]
public sealed record PurchaseResult(
    [property: Id(0)] string ReceiptId,
    [property: Id(1)] Points PointsEarned,
    [property: Id(2)] IReadOnlyList<BreakdownItem> Breakdown,
    [property: Id(3)] BalanceModel Balance,
    [property: Id(4)] TierModel Tier);

/// <summary>What a purchase would earn, answered before it is recorded.</summary>
[GenerateSerializer, Immutable]
public sealed record PurchaseQuoteResult(
    [property: Id(0)] Points PointsEarned,
    [property: Id(1)] IReadOnlyList<BreakdownItem> Breakdown);

[GenerateSerializer, Immutable]
public sealed record PartnerAccrualResult(
    [property: Id(0)] string PartnerTransactionId,
    [property: Id(1)] Points PointsEarned,
    [property: Id(2)] BalanceModel Balance);

[GenerateSerializer, Immutable]
public sealed record RedemptionResult(
    [property: Id(0)] string RedemptionId,
    [property: Id(1)] Points PointsSpent,
    [property: Id(2)] BalanceModel Balance);

[GenerateSerializer, Immutable]
public sealed record RedemptionReversalResult(
    [property: Id(0)] string ReversalId,
    [property: Id(1)] string RedemptionId,
    [property: Id(2)] Points PointsReturned,
    [property: Id(3)] BalanceModel Balance);

[GenerateSerializer, Immutable]
public sealed record RefundResult(
    [property: Id(0)] string RefundId,
    [property: Id(1)] Points PointsReversed,
    [property: Id(2)] BalanceModel Balance);

[GenerateSerializer, Immutable]
public sealed record AdjustmentResult(
    [property: Id(0)] string AdjustmentId,
    [property: Id(1)] Points Points,
    [property: Id(2)] BalanceModel Balance);

[GenerateSerializer, Immutable]
public sealed record HoldReleaseResult(
    [property: Id(0)] string ReleaseId,
    [property: Id(1)] Points PointsReleased,
    [property: Id(2)] BalanceModel Balance);

[GenerateSerializer, Immutable]
public sealed record TerminationResult([property: Id(0)] Points ForfeitedPoints);

[GenerateSerializer, Immutable]
public sealed record SpendingModel([property: Id(0)] bool Enabled);

/// <remarks>
/// <see cref="CardCode"/> is the secret printed on a card issued without a phone: set only in the answer that
/// issued the card, never stored with it (a replayed issue, and every other read, carry null).
/// </remarks>
[GenerateSerializer, Immutable]
public sealed record CardSummary(
    [property: Id(0)] string CardNumber,
    [property: Id(1)] string Status,
    [property: Id(2)] bool SpendingEnabled,
    [property: Id(3)] BalanceModel Balance,
    [property: Id(4)] TierModel Tier,
    [property: Id(5)] DateTimeOffset? IssuedAt,
    [property: Id(6)] DateTimeOffset? TerminatedAt,
    [property: Id(7)] string? CardCode = null,
    [property: Id(8)] string? ReplacedBy = null);

[GenerateSerializer, Immutable]
public sealed record HistoryItem(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Kind,
    [property: Id(3)] Points Points,
    [property: Id(4)] Litres? Litres,
    [property: Id(5)] Money? Amount,
    [property: Id(6)] string? StationId,
    [property: Id(7)] string Description,
    [property: Id(8)] DateTimeOffset? AvailableAt,
    [property: Id(9)] string? Reason,
    [property: Id(10)] string? StationName = null);

/// <summary>A history entry as support sees it: with the operator who made it, for adjustments and early
/// releases.</summary>
[GenerateSerializer, Immutable]
public sealed record SupportHistoryItem([property: Id(0)] HistoryItem Item, [property: Id(1)] string? By);

/// <remarks><see cref="TimeZone"/>: the programme's, in which the days of a query's period are counted.</remarks>
[GenerateSerializer, Immutable]
public sealed record HistoryPage(
    [property: Id(0)] IReadOnlyList<HistoryItem> Items,
    [property: Id(1)] string? NextCursor,
    [property: Id(2)] string? TimeZone = null);

/// <summary>
/// A page of history: <see cref="Kinds"/> (none: every kind) recorded from the start of the day
/// <see cref="From"/> to the end of the day <see cref="To"/> on the programme's calendar (either may be open).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record HistoryQuery(
    [property: Id(0)] int Limit,
    [property: Id(1)] string? Cursor,
    [property: Id(2)] IReadOnlyList<string>? Kinds = null,
    [property: Id(3)] DateOnly? From = null,
    [property: Id(4)] DateOnly? To = null);

/// <summary>The kinds of history entry, as the history and its filter name them.</summary>
public static class HistoryKinds
{
    public static readonly IReadOnlyList<string> All =
    [
        "issued", "purchase", "partner", "released", "releasedEarly", "redemption", "reversal", "refund", "expired",
        "annulled", "adjustment", "spending", "terminated",
        "replacing", "transferred", "replaced", "replacementAborted",
    ];
}
