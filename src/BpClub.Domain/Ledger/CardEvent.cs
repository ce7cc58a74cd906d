using BpClub.Domain.Earning;
using BpClub.Domain.Units;

namespace BpClub.Domain.Ledger;

/// <summary>
/// A fact recorded in a card's ledger. <see cref="At"/> is when it took effect: the time of
/// recording for commands, the scheduled instant for releases and expiry. Replaying a card's
/// events in order through <see cref="CardAccount.Apply"/> rebuilds its state exactly.
/// </summary>
public abstract record CardEvent(DateTimeOffset At);

public sealed record CardIssued(DateTimeOffset At) : CardEvent(At);

/// <summary>Points credited on hold for a purchase at a station or a partner.</summary>
public sealed record PointsEarned(
    DateTimeOffset At,
    EarningSource Source,
    string OperationId,
    string SourceId,
    Points Points,
    Litres Litres,
    Money Amount,
    DateTimeOffset OccurredAt,
    DateTimeOffset AvailableAt,
    int MonthKey,
    IReadOnlyList<PurchaseLine> Lines,
    IReadOnlyList<LineEarning> LineEarnings,
    IReadOnlyList<EarningPart> Breakdown) : CardEvent(At);

public enum EarningSource { Station, Partner }

/// <summary>A lot's hold ended: its points became available to spend.</summary>
public sealed record PointsReleased(DateTimeOffset At, Points Points) : CardEvent(At);

/// <summary>Available points annulled on the annual expiry day (points on hold are left alone).</summary>
public sealed record PointsExpired(DateTimeOffset At, Points Points) : CardEvent(At);

/// <summary>
/// The points of a receipt reported late, annulled as it is recorded: reported at once they would have
/// come off hold before the annual expiry at <see cref="ExpiryAt"/> and been annulled then if unspent,
/// while held from their recording they could not be spent before it.
/// </summary>
public sealed record LateReceiptAnnulled(
    DateTimeOffset At,
    string OperationId,
    string SourceId,
    Points Points,
    DateTimeOffset LotAvailableAt,
    DateTimeOffset ExpiryAt) : CardEvent(At);

public sealed record PointsRedeemed(DateTimeOffset At, string OperationId, string StationId, Points Points)
    : CardEvent(At);

/// <summary>
/// Points of a returned purchase taken back: from the lot while it is still on hold, otherwise
/// from the available balance (which may then go below zero). Receipt ids are unique only per
/// station, so the purchase is <see cref="ReceiptId"/> at <see cref="PurchaseStationId"/>;
/// <see cref="StationId"/> is the station that took the goods back.
/// Points already annulled are not taken twice: <see cref="FromAnnulled"/> of the refund are points an annual
/// expiry (at <see cref="AnnulledOn"/>) or the late receipt's own annulment (<see cref="AnnulledLate"/>) took
/// already; they leave nothing more.
/// </summary>
public sealed record PurchaseRefunded(
    DateTimeOffset At,
    string OperationId,
    string ReceiptId,
    string StationId,
    Points FromHold,
    DateTimeOffset LotAvailableAt,
    Points FromAvailable,
    Litres Litres,
    int MonthKey,
    IReadOnlyList<int> Lines,
    string? PurchaseStationId = null,
    Points FromAnnulled = default,
    DateTimeOffset? AnnulledOn = null,
    bool AnnulledLate = false) : CardEvent(At)
{
    /// <summary>What the returned lines had earned, annulled points included.</summary>
    public Points Total => FromHold + FromAvailable + FromAnnulled;

    /// <summary>What leaves the card now: the ledger's signed change is its negative.</summary>
    public Points Taken => FromHold + FromAvailable;

    public bool Refunds(PointsEarned purchase) =>
        ReceiptId == purchase.OperationId && (PurchaseStationId is null || PurchaseStationId == purchase.SourceId);
}

/// <summary>
/// A partner's purchase returned, whole or for part of its money (<see cref="Amount"/>): the points it earned are
/// taken back in proportion, so that all its refunds together take back exactly what it earned. Only the partner
/// that recorded the transaction (<see cref="PartnerId"/>) refunds it. As for a station's refund, points still on
/// hold come from the lot, points annulled already are not taken again, the rest comes from the available balance.
/// </summary>
public sealed record PartnerTransactionRefunded(
    DateTimeOffset At,
    string OperationId,
    string TransactionId,
    string PartnerId,
    Money Amount,
    Points FromHold,
    DateTimeOffset LotAvailableAt,
    Points FromAvailable,
    Points FromAnnulled = default,
    DateTimeOffset? AnnulledOn = null,
    bool AnnulledLate = false) : CardEvent(At)
{
    /// <summary>What the returned money had earned, annulled points included.</summary>
    public Points Total => FromHold + FromAvailable + FromAnnulled;

    /// <summary>What leaves the card now: the ledger's signed change is its negative.</summary>
    public Points Taken => FromHold + FromAvailable;

    public bool Refunds(PointsEarned transaction) => transaction.Source == EarningSource.Partner
        && TransactionId == transaction.OperationId && PartnerId == transaction.SourceId;
}

/// <summary>
/// A payment with points undone by the station that took it (<see cref="RedemptionId"/>): the points come back
/// to the available balance. Once per redemption.
/// </summary>
public sealed record RedemptionReversed(DateTimeOffset At, string OperationId, string StationId, string RedemptionId,
    Points Points)
    : CardEvent(At);

public sealed record SpendingSwitched(DateTimeOffset At, bool Enabled) : CardEvent(At);

/// <summary>Participation ended; what was left is forfeited. The application's reference is not kept: it may name the
/// member, and the ledger outlives the erasure of personal data.</summary>
public sealed record ParticipationTerminated(DateTimeOffset At, Points Forfeited) : CardEvent(At);

/// <summary>
/// A manual correction by an operator (support): <see cref="Points"/> added to the available balance, or taken
/// from it when negative, never below zero. <see cref="OperatorId"/> names the operator's key, not a person's data.
/// </summary>
public sealed record PointsAdjusted(DateTimeOffset At, string OperationId, Points Points, string Reason,
    string OperatorId)
    : CardEvent(At);

/// <summary>
/// Points on hold made available before their time by an operator (a goodwill gesture, a resolved dispute): the
/// <see cref="Lots"/> taken, each whole or in part, soonest release first.
/// </summary>
public sealed record HeldPointsReleasedEarly(DateTimeOffset At, string OperationId, Points Points,
    IReadOnlyList<HeldLot> Lots, string OperatorId) : CardEvent(At);
