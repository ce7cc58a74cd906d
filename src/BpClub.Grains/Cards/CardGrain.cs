using BpClub.Domain.Programme;
using BpClub.Grains.Cards.Commands;
using BpClub.Grains.Cards.Replacement;
using BpClub.Grains.Members;
using BpClub.Grains.Promotions.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Utilities;
using static BpClub.Grains.Cards.CardOutcomes;

namespace BpClub.Grains.Cards;

/// <summary>
/// One card, the only writer of its ledger: an adapter between Orleans and the card's <see cref="CardCommandLog"/>,
/// which decides, commits and answers its commands (Cards/Commands). The grain loads the account (snapshot, then
/// the ledger's tail: <see cref="CardSnapshots"/>), hands queries to <see cref="CardQueries"/> and a replacement to its
/// <see cref="ReplacementSaga"/>, keeps the release reminder (CardGrain.Reminders.cs) and tells watchers of the
/// live balance.
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

    private CardNumber? _card;
    /// <summary>Null when the key is not a card number: every call then answers so.</summary>
    private CardCommandLog? _log;
    private CardQueries? _queries;
    private ReplacementSaga? _saga;
    private CardReminder? _reminder;
    private CardSnapshots? _snapshots;
    /// <summary>Front ends streaming this card's balance to a member; they renew every half minute.</summary>
    private readonly ObserverManager<IBalanceObserver> _watchers = new(TimeSpan.FromMinutes(2), logger);

    private string Key => _card!.Value;
    private CardAccount Account => _log!.Account;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!CardNumber.TryParse(this.GetPrimaryKeyString(), out _card)) return;
        _reminder = new CardReminder(this, () => Account, time, reminderOptions.Value.MinimumReminderPeriod, logger);
        _snapshots = new CardSnapshots(snapshot, Key, logger);
        var validator = new CommandValidator(options.Value);
        _log = new CardCommandLog(Key, ledger, this, validator, time,
            new CardAccount(options.Value, _snapshots.Account), _snapshots.Start);
        _queries = new CardQueries(Key, _log, history, promotions, validator, options.Value, time);
        _saga = new ReplacementSaga(Key, _log, ledger, new GrainReplacementParties(GrainFactory, ServiceProvider,
            history), logger);
        if (_snapshots.Contradicted(await _log.CatchUp()))
        {
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
        if (_log is { KnowsLedgerEnd: true } log && log.Sequence > _snapshots!.Sequence
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
        CancellationToken cancellation = default) => Run(command, c => new PartnerPurchaseCommand(c), cancellation);

    public Task<Outcome<RedemptionResult>> Redeem(RedeemPoints command, CancellationToken cancellation = default) =>
        Run(command, c => new RedemptionCommand(c), cancellation);

    public Task<Outcome<RedemptionReversalResult>> ReverseRedemption(ReverseRedemption command,
        CancellationToken cancellation = default) => Run(command, c => new RedemptionReversalCommand(c), cancellation);

    public async Task<Outcome<RefundResult>> Refund(RefundPurchase command,
        CancellationToken cancellationToken = default) =>
        (_saga is not null && command is not null ? await _saga.ForwardRefund(command, cancellationToken) : null)
        ?? await Run(command, c => new RefundCommand(c) { Predecessors = Account.Predecessors }, cancellationToken);

    public Task<Outcome<PartnerRefundResult>> RefundPartner(RefundPartnerTransaction command,
        CancellationToken cancellation = default) => Run(command, c => new PartnerRefundCommand(c), cancellation);

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

    // ---- a replacement: the saga (Cards/Replacement) ---------------------------------------------------------------

    public Task<Outcome<ReplacementResult>> Replace(ReplaceCard command) =>
        _saga is null ? Task.FromResult(NotACard<ReplacementResult>()) : _saga.Replace(command);

    public Task<Outcome<BalanceModel>> ReceiveTransfer(string transferId, string oldCard) =>
        _saga is null ? Task.FromResult(NotACard<BalanceModel>()) : _saga.Receive(transferId, oldCard);

    // ---- queries: the committed account and the ledger (CardQueries) -----------------------------------------------

    public Task<Outcome<PurchaseQuoteResult>> Quote(RecordPurchase command) => Ask(q => q.Quote(command));

    public Task<Outcome<BalanceModel>> GetBalance() => Ask(q => q.Read((a, now) => ToModel(a.BalanceAt(now))));

    public Task<Outcome<TierModel>> GetTier() => Ask(q => q.Read((a, now) => ToModel(a.TierAt(now))));

    public Task<Outcome<CardSummary>> GetSummary() => Ask(q => q.Read((a, now) => Summary(Key, a, now)));

    public Task<Outcome<HistoryPage>> GetHistory(int limit, string? cursor) =>
        QueryHistory(new HistoryQuery(limit, cursor));

    public Task<Outcome<HistoryPage>> QueryHistory(HistoryQuery query) => Ask(q => q.History(query));

    public Task<Outcome<IReadOnlyList<SupportHistoryItem>>> GetRecentOperations(int limit) =>
        Ask(q => q.RecentOperations(limit));

    public async Task<Outcome<BalanceModel>> Subscribe(IBalanceObserver observer)
    {
        var balance = await GetBalance();
        if (balance.Succeeded) _watchers.Subscribe(observer, observer);
        return balance;
    }

    public Task Unsubscribe(IBalanceObserver observer)
    {
        _watchers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    private Task<Outcome<T>> Ask<T>(Func<CardQueries, Outcome<T>> ask) => Ask(q => Task.FromResult(ask(q)));

    private Task<Outcome<T>> Ask<T>(Func<CardQueries, Task<Outcome<T>>> ask) =>
        _queries is null ? Task.FromResult(NotACard<T>()) : ask(_queries);

    // ---- after a commit -------------------------------------------------------------------------------------------

    async Task ICardLogHost.Committed(IReadOnlyList<CardEvent> events, ReminderRow? reminder)
    {
        _reminder!.Committed(reminder);
        metrics.Committed(events);
        if (_watchers.Count > 0)
        {
            var balance = ToModel(Account.BalanceAt(time.GetUtcNow()));
            await _watchers.Notify(watcher => watcher.BalanceChanged(balance));
        }
        if (_snapshots!.Due(_log!.Sequence, Account.HeldLots)) await WriteSnapshot();
        await _reminder.TryEnsure();
    }

    void ICardLogHost.Stale(Exception e)
    {
        LogWriteFailed(e, Key);
        DeactivateOnIdle();
    }

    void ICardLogHost.WriteFailed(Exception e) => LogWriteFailed(e, Key);

    private Task WriteSnapshot() => _snapshots!.Write(_log!.Sequence, Account);

    [LoggerMessage(Level = LogLevel.Information, Message = "Card {Card}: recorded {Count} release/expiry entries")]
    private partial void LogReleased(string card, int count);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Card {Card}: ledger write failed; the grain will rebuild from the ledger")]
    private partial void LogWriteFailed(Exception e, string card);
}
