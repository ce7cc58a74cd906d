using Orleans.Concurrency;

namespace BpClub.Abstractions;

/// <summary>
/// One card, keyed by its 16-digit number: the only writer of its ledger, level and points on
/// hold. Commands answer only after their ledger entries are committed in PostgreSQL. Queries
/// interleave with commands, so a busy till never makes a member's balance wait.
/// </summary>
/// <remarks>
/// A command's <see cref="CancellationToken"/> is its caller giving up (a till that timed out and will send the
/// receipt again): a command still waiting for the card's writer is then dropped unanswered instead of being
/// committed for nobody. One already being committed is not stopped; its retry gets the first result.
/// </remarks>
public interface ICardGrain : IGrainWithStringKey
{
    Task<Outcome<CardSummary>> Issue(IssueCard command, CancellationToken cancellationToken = default);

    Task<Outcome<PurchaseResult>> Accrue(RecordPurchase command, CancellationToken cancellationToken = default);

    Task<Outcome<PartnerAccrualResult>> AccruePartner(RecordPartnerPurchase command,
        CancellationToken cancellationToken = default);

    Task<Outcome<RedemptionResult>> Redeem(RedeemPoints command, CancellationToken cancellationToken = default);

    /// <summary>Undoes a payment with points of the same station, once; its points come back available.</summary>
    Task<Outcome<RedemptionReversalResult>> ReverseRedemption(ReverseRedemption command,
        CancellationToken cancellationToken = default);

    Task<Outcome<RefundResult>> Refund(RefundPurchase command, CancellationToken cancellationToken = default);

    /// <summary>A partner's purchase returned, whole or in part; only the partner that recorded it refunds
    /// it.</summary>
    Task<Outcome<PartnerRefundResult>> RefundPartner(RefundPartnerTransaction command,
        CancellationToken cancellationToken = default);

    Task<Outcome<SpendingModel>> SwitchSpending(bool enabled);

    Task<Outcome<TerminationResult>> Terminate(TerminateParticipation command);
    /// <summary>An operator's manual correction; idempotent on its adjustment id.</summary>
    Task<Outcome<AdjustmentResult>> Adjust(AdjustPoints command);

    /// <summary>An operator releases held points early; idempotent on its release id.</summary>
    Task<Outcome<HoldReleaseResult>> ReleaseHeldPoints(ReleaseHeldPoints command);

    /// <summary>
    /// Moves everything of this card to a new card issued at a till (a lost or damaged card), exactly once: this card
    /// records the hand-over, the registration moves, the new card receives it keyed by the transfer id, then this
    /// card is closed. A step cut short is resumed by a retry, by the release reminder or on the next call.
    /// </summary>
    Task<Outcome<ReplacementResult>> Replace(ReplaceCard command);

    /// <summary>
    /// The replacement's second step, called by the old card: what <paramref name="oldCard"/> recorded as handed over
    /// under <paramref name="transferId"/> (read from its ledger, never from the caller) is added to this card, once.
    /// </summary>
    Task<Outcome<BalanceModel>> ReceiveTransfer(string transferId, string oldCard);

    /// <summary>
    /// What the purchase would earn if recorded now, with its breakdown. A query: it writes nothing (no ledger
    /// or operation row), so it interleaves with commands and the receipt can be recorded afterwards as usual.
    /// </summary>
    [AlwaysInterleave]
    Task<Outcome<PurchaseQuoteResult>> Quote(RecordPurchase command);

    [AlwaysInterleave]
    Task<Outcome<BalanceModel>> GetBalance();

    [AlwaysInterleave]
    Task<Outcome<TierModel>> GetTier();

    [AlwaysInterleave]
    Task<Outcome<CardSummary>> GetSummary();

    /// <summary>
    /// Sends every later change of the balance to <paramref name="observer"/> and answers the balance now.
    /// A subscription lapses after a couple of minutes unless renewed by calling this again.
    /// </summary>
    [AlwaysInterleave]
    Task<Outcome<BalanceModel>> Subscribe(IBalanceObserver observer);

    [AlwaysInterleave]
    Task Unsubscribe(IBalanceObserver observer);

    /// <summary>Newest first; <paramref name="cursor"/> is the previous page's <see
    /// cref="HistoryPage.NextCursor"/>.</summary>
    [AlwaysInterleave]
    Task<Outcome<HistoryPage>> GetHistory(int limit, string? cursor);

    /// <summary>Newest first, only the entries of the query's kinds and period.</summary>
    [AlwaysInterleave]
    Task<Outcome<HistoryPage>> QueryHistory(HistoryQuery query);

    /// <summary>The newest entries for support, each with who made it when an operator did.</summary>
    [AlwaysInterleave]
    Task<Outcome<IReadOnlyList<SupportHistoryItem>>> GetRecentOperations(int limit);
}
