using Orleans.Concurrency;

namespace BpClub.Abstractions;

/// <summary>
/// Where a partner's transactions are, keyed by partner id: a partner's refund names its transaction, not the card.
/// </summary>
public interface IPartnerTransactionsGrain : IGrainWithStringKey
{
    /// <summary>
    /// The card a refund goes to: the one that has the refund id already, else the one the partner recorded the
    /// transaction on; null when there is neither.
    /// </summary>
    [AlwaysInterleave]
    Task<string?> FindCard(string partnerTransactionId, string partnerRefundId);
}
