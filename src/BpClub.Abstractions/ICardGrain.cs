using Orleans.Concurrency;

namespace BpClub.Abstractions;

/// <summary>
/// One card, keyed by its 16-digit number: the only writer of its ledger, level and points on
/// hold. Commands answer only after their ledger entries are committed in PostgreSQL. Queries
/// interleave with commands, so a busy till never makes a member's balance wait.
/// </summary>
public interface ICardGrain : IGrainWithStringKey
{
    Task<Outcome<CardSummary>> Issue(IssueCard command);

    Task<Outcome<PurchaseResult>> Accrue(RecordPurchase command);

    Task<Outcome<PartnerAccrualResult>> AccruePartner(RecordPartnerPurchase command);

    Task<Outcome<RedemptionResult>> Redeem(RedeemPoints command);

    Task<Outcome<RefundResult>> Refund(RefundPurchase command);

    Task<Outcome<SpendingModel>> SwitchSpending(bool enabled);

    Task<Outcome<TerminationResult>> Terminate(TerminateParticipation command);

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

    /// <summary>Newest first; <paramref name="cursor"/> is the previous page's <see cref="HistoryPage.NextCursor"/>.</summary>
    [AlwaysInterleave]
    Task<Outcome<HistoryPage>> GetHistory(int limit, string? cursor);
}
