using BpClub.Domain.Units;

namespace BpClub.Abstractions;

/// <summary>
/// A partner's purchase returned: <see cref="Amount"/> of its money, or all that is left of it when null. Idempotent
/// on <see cref="PartnerRefundId"/> per partner.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RefundPartnerTransaction(
    [property: Id(0)] string PartnerRefundId,
    [property: Id(1)] string PartnerTransactionId,
    [property: Id(2)] string PartnerId,
    [property: Id(3)] Money? Amount);

/// <summary>What a partner's refund took back: <see cref="Amount"/> is the money refunded this time.</summary>
[GenerateSerializer, Immutable]
public sealed record PartnerRefundResult(
    [property: Id(0)] string PartnerRefundId,
    [property: Id(1)] string PartnerTransactionId,
    [property: Id(2)] Money Amount,
    [property: Id(3)] Points PointsReversed,
    [property: Id(4)] BalanceModel Balance);
