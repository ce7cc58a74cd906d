using BpClub.Abstractions;
using BpClub.Domain.Cards;
using BpClub.Domain.Ledger;
using BpClub.Domain.Programme;
using BpClub.Domain.Validation;
using BpClub.Grains.Cards;
using BpClub.Grains.Cards.Commands;
using BpClub.Grains.Cards.Storage;
using BpClub.Grains.Members;
using BpClub.Grains.Promotions.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Hosting;
using Orleans.Utilities;
using static BpClub.Grains.Cards.CardOutcomes;
using static BpClub.Grains.Cards.CardViews;

namespace BpClub.Grains.Cards;

/// <summary>
/// One card, the only writer of its ledger: an adapter between Orleans and the card's <see cref="CardCommandLog"/>,
/// which decides, commits and answers its commands. The grain loads the account (snapshot, then the ledger's tail),
/// answers queries from the committed account, keeps the release reminder (CardGrain.Reminders.cs) and tells
/// watchers of the live balance.
/// </summary>
[Reentrant]
public sealed partial class CardGrain(
    [PersistentState("card", CardGrain.StorageName)] IPersistentState<CardSnapshot> snapshot,
    ICardLedger ledger,
    CardLedgerStore history,
    ActivePromotions promotions,
    IOptions<ProgrammeRules> options,
    IOptions<ReminderOptions> reminderOptions,
    [FromKeyedServices(ProgrammeClock.Key)] TimeProvider time,
    GrainMetrics metrics,
    ILogger<CardGrain> logger) : Grain, ICardGrain, IRemindable, ICardLogHost
{
    public const string StorageName = "cards";
    /// <summary>A snapshot is written every so many entries (or as many as it holds lots) and on collection.</summary>
    private const int SnapshotEvery = 100;

    private readonly CommandValidator _validator = new(options.Value);
    private CardNumber? _card;
    /// <summary>Null when the key is not a card number: every call then answers so.</summary>
    private CardCommandLog? _log;
    private CardReminder? _reminder;
    /// <summary>Front ends streaming this card's balance to a member; they renew every half minute.</summary>
    private readonly ObserverManager<IBalanceObserver> _watchers = new(TimeSpan.FromMinutes(2), logger);

    private string Key => _card!.Value;
    private CardAccount Account => _log!.Account;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!CardNumber.TryParse(this.GetPrimaryKeyString(), out _card)) return;
        _reminder = new CardReminder(this, () => Account, time, reminderOptions.Value.MinimumReminderPeriod, logger);
        var stored = snapshot.State;
        var readable = !stored.Unreadable && (stored.Account is not null || stored.Sequence == 0)
            && (stored.Card is null || stored.Card == Key);
        _log = new CardCommandLog(Key, ledger, this, _validator, time,
            new CardAccount(options.Value, readable ? stored.Account : null), readable ? stored.Sequence : 0);
        var last = await _log.CatchUp();
        if (!readable || last < stored.Sequence)
        {
            // The ledger is the truth: a snapshot that cannot be read, or claims entries the ledger does not have (a
            // restored backup, a hand edit), is dropped and the card rebuilt from its ledger, and the snapshot
            // replaced at once (otherwise its sequence, ahead of the ledger's, would keep it from being rewritten).
            LogSnapshotDiscarded(Key, readable ? $"its sequence {stored.Sequence} is ahead of the ledger's {last}"
                : "it cannot be read");
            await _log.Rebuild(new CardAccount(options.Value));
            await WriteSnapshot();
        }
    }

    /// <summary>
    /// Writes the snapshot when the grain is collected or moved, not when its silo shuts down: a stopping silo
    /// deactivates every card at once, and a write each would spend its graceful-stop budget on an optimisation
    /// (the ledger is the truth; the next activation replays fewer than 100 entries). Nor after a failed commit:
    /// this activation may not know the ledger's last entries.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_log is { KnowsLedgerEnd: true } log && log.Sequence > snapshot.State.Sequence
            && reason.ReasonCode is not (DeactivationReasonCode.ApplicationError
                or DeactivationReasonCode.ShuttingDown))
            await WriteSnapshot();
    }

    // ---- commands: each a record in Cards/Commands, run through the log ------------------------------------------

    /// <remarks>
    /// Without a phone to check at registration, the card's printed code proves possession: shown once, in the answer
    /// that issues the card (the stored result, which a replay answers, does not carry it), and kept as a hash.
    /// </remarks>
    public async Task<Outcome<CardSummary>> Issue(IssueCard command, CancellationToken cancellationToken = default)
    {
        var code = command is { Phone: null } ? CardCodes.New() : null;
        var issued = await Run(command, c => new IssueCommand(Key, c, code is null ? null : CardCodes.Hash(code)),
            cancellationToken);
        return issued.Status == OutcomeStatus.Done && code is not null
            ? issued with { Value = issued.Value! with { CardCode = code } }
            : issued;
    }

    public async Task<Outcome<PurchaseResult>> Accrue(RecordPurchase command,
        CancellationToken cancellationToken = default)
    {
        var active = command is null || _log is null ? [] : await promotions.Current();
        return await Run(command, c => new PurchaseCommand(c, active), cancellationToken);
    }

    public Task<Outcome<PartnerAccrualResult>> AccruePartner(RecordPartnerPurchase command,
        CancellationToken cancellationToken = default) =>
        Run(command, c => new PartnerPurchaseCommand(c), cancellationToken);

    public Task<Outcome<RedemptionResult>> Redeem(RedeemPoints command,
        CancellationToken cancellationToken = default) =>
        Run(command, c => new RedemptionCommand(c), cancellationToken);

    public Task<Outcome<RedemptionReversalResult>> ReverseRedemption(ReverseRedemption command,
        CancellationToken cancellationToken = default) =>
        Run(command, c => new RedemptionReversalCommand(c), cancellationToken);

    public async Task<Outcome<RefundResult>> Refund(RefundPurchase command,
        CancellationToken cancellationToken = default) =>
        (_log is not null && command is not null ? await ForwardRefund(command, cancellationToken) : null)
        ?? await Run(command, c => new RefundCommand(c) { Predecessors = Account.Predecessors }, cancellationToken);

    public Task<Outcome<PartnerRefundResult>> RefundPartner(RefundPartnerTransaction command,
        CancellationToken cancellationToken = default) =>
        Run(command, c => new PartnerRefundCommand(c), cancellationToken);

    public Task<Outcome<SpendingModel>> SwitchSpending(bool enabled) =>
        _log is null ? Task.FromResult(NotACard<SpendingModel>()) : _log.Run(new SpendingCommand(enabled));

    public Task<Outcome<TerminationResult>> Terminate(TerminateParticipation command) =>
        Run(command, c => new TerminationCommand(c), default);

    public Task<Outcome<AdjustmentResult>> Adjust(AdjustPoints command) =>
        Run(command, c => new AdjustmentCommand(c), default);

    public Task<Outcome<HoldReleaseResult>> ReleaseHeldPoints(ReleaseHeldPoints command) =>
        Run(command, c => new EarlyReleaseCommand(c), default);

    private Task<Outcome<T>> Run<TRequest, T>(TRequest? request, Func<TRequest, ICardCommand<T>> command,
        CancellationToken cancellation) where TRequest : class
    {
        if (_log is null) return Task.FromResult(NotACard<T>());
        if (request is null) return Task.FromResult(Outcome<T>.Invalid(new() { ["body"] = ["Required."] }));
        return _log.Run(command(request), cancellation);
    }

    // ---- queries: the committed account ----------------------------------------------------------------------------

    public async Task<Outcome<PurchaseQuoteResult>> Quote(RecordPurchase command)
    {
        if (_log is null) return NotACard<PurchaseQuoteResult>();
        if (command is null) return Outcome<PurchaseQuoteResult>.Invalid("body", "Required.");
        var now = time.GetUtcNow();
        var purchase = PurchaseCommand.ToDomain(command, now);
        if (_validator.Validate(purchase, now) is { IsEmpty: false } errors)
            return Outcome<PurchaseQuoteResult>.Invalid(errors.ToDictionary());
        // Rated on the committed state, as a purchase arriving now would be; nothing is queued.
        var quote = Account.Quote(purchase, await promotions.Current());
        return quote.Earning is { } earning
            ? Outcome<PurchaseQuoteResult>.Done(new PurchaseQuoteResult(earning.Total, ToModel(earning.Breakdown)))
            : Refuse<PurchaseQuoteResult>(quote.Rejection!);
    }

    public Task<Outcome<BalanceModel>> GetBalance() =>
        Task.FromResult(Query(a => ToModel(a.BalanceAt(time.GetUtcNow()))));

    public Task<Outcome<TierModel>> GetTier() => Task.FromResult(Query(a => ToModel(a.TierAt(time.GetUtcNow()))));

    public Task<Outcome<CardSummary>> GetSummary() => Task.FromResult(Query(a => Summary(Key, a, time.GetUtcNow())));

    public Task<Outcome<HistoryPage>> GetHistory(int limit, string? cursor) =>
        QueryHistory(new HistoryQuery(limit, cursor));

    public async Task<Outcome<HistoryPage>> QueryHistory(HistoryQuery query)
    {
        if (_log is null) return NotACard<HistoryPage>();
        if (query is null) return Outcome<HistoryPage>.Invalid("body", "Required.");
        // This card's entries, then those of the cards it replaced (CardGrain.Replacement.cs).
        return await QueryChainedHistory(query);
    }

    /// <summary>For support: the last operations with who made them.</summary>
    public async Task<Outcome<IReadOnlyList<SupportHistoryItem>>> GetRecentOperations(int limit)
    {
        if (_log is null) return NotACard<IReadOnlyList<SupportHistoryItem>>();
        if (Account.Status == CardStatus.NotIssued)
            return Outcome<IReadOnlyList<SupportHistoryItem>>.Fail(OutcomeStatus.NotFound, "Unknown card.");
        return Outcome<IReadOnlyList<SupportHistoryItem>>.Done(
            await history.ReadSupportHistory(Key, Math.Clamp(limit, 1, 100)));
    }

    public Task<Outcome<BalanceModel>> Subscribe(IBalanceObserver observer)
    {
        var balance = Query(a => ToModel(a.BalanceAt(time.GetUtcNow())));
        if (balance.Succeeded) _watchers.Subscribe(observer, observer);
        return Task.FromResult(balance);
    }

    public Task Unsubscribe(IBalanceObserver observer)
    {
        _watchers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    private Outcome<T> Query<T>(Func<CardAccount, T> read) =>
        _log is null ? NotACard<T>()
        : Account.Status == CardStatus.NotIssued ? Outcome<T>.Fail(OutcomeStatus.NotFound, "Unknown card.")
        : Outcome<T>.Done(read(Account));

    // ---- after a commit -------------------------------------------------------------------------------------------

    async Task ICardLogHost.Committed(IReadOnlyList<CardEvent> events, ReminderRow? reminder)
    {
        _reminder!.Committed(reminder);
        foreach (var e in events)
        {
            if (e is PointsEarned earned) metrics.PurchaseRecorded(earned.Points);
            else if (e is PointsRedeemed redeemed) metrics.RedemptionRecorded(redeemed.Points);
        }
        if (_watchers.Count > 0)
        {
            var balance = ToModel(Account.BalanceAt(time.GetUtcNow()));
            await _watchers.Notify(watcher => watcher.BalanceChanged(balance));
        }
        // A snapshot costs its size (the lots on hold); writing it no more often than that many
        // entries keeps its cost per entry constant however many lots a busy card holds.
        if (_log!.Sequence - snapshot.State.Sequence >= Math.Max(SnapshotEvery, Account.HeldLots))
            await WriteSnapshot();
        await _reminder.TryEnsure();
    }

    void ICardLogHost.Stale(Exception e)
    {
        LogWriteFailed(e, Key);
        DeactivateOnIdle();
    }

    void ICardLogHost.WriteFailed(Exception e) => LogWriteFailed(e, Key);

    private async Task WriteSnapshot()
    {
        try
        {
            snapshot.State = new CardSnapshot { Card = Key, Sequence = _log!.Sequence, Account = Account.ToState() };
            await snapshot.WriteStateAsync();
        }
        catch (Exception e)
        {
            // Harmless: the ledger holds everything; activation just replays a little more.
            LogSnapshotFailed(e, Key);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Card {Card}: recorded {Count} release/expiry entries")]
    private partial void LogReleased(string card, int count);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Card {Card}: ledger write failed; the grain will rebuild from the ledger")]
    private partial void LogWriteFailed(Exception e, string card);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Card {Card}: snapshot discarded because {Reason}; rebuilt from the ledger")]
    private partial void LogSnapshotDiscarded(string card, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Card {Card}: snapshot write failed")]
    private partial void LogSnapshotFailed(Exception e, string card);
}
