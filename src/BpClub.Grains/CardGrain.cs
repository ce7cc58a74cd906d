using System.Text.Json;
using BpClub.Abstractions;
using BpClub.Domain.Cards;
using BpClub.Domain.Earning;
using BpClub.Domain.Ledger;
using BpClub.Domain.Programme;
using BpClub.Domain.Validation;
using static BpClub.Grains.CardOutcomes;
using static BpClub.Grains.CardViews;
using BpClub.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Hosting;
using Orleans.Utilities;

namespace BpClub.Grains;

/// <summary>
/// One card: the only writer of its ledger. A command decides on the in-memory account, commits
/// the resulting ledger rows (and its operation id) in one PostgreSQL transaction, and only then
/// adopts the new state and answers — so a crash at any instant loses nothing acknowledged and
/// leaves nothing half-applied. Commands waiting on the same card are committed together
/// (CardGrain.Writer.cs); calls interleave, and queries see only committed state.
/// </summary>
[Reentrant]
public sealed partial class CardGrain(
    [PersistentState("card", CardGrain.StorageName)] IPersistentState<CardSnapshot> snapshot,
    CardLedgerStore ledger,
    LedgerGroupCommit groupCommit,
    ActivePromotions promotions,
    IOptions<ProgrammeRules> options,
    IOptions<ReminderOptions> reminderOptions,
    [FromKeyedServices(ProgrammeClock.Key)] TimeProvider time,
    GrainMetrics metrics,
    ILogger<CardGrain> logger) : Grain, ICardGrain, IRemindable
{
    public const string StorageName = "cards";
    private const string ReleaseReminder = "release-held-points";
    /// <summary>Snapshots are written every so many ledger entries, or as many as it holds lots (and on deactivation).</summary>
    private const int SnapshotEvery = 100;
    /// <summary>
    /// A reminder re-fires after this if a tick could not finish its work, or if its silo died and
    /// the silo taking over loaded it only after its due time (Orleans skips a missed tick and
    /// waits for the next period). The shortest period Orleans allows keeps that lag short.
    /// </summary>
    private readonly TimeSpan _reminderRetryPeriod = reminderOptions.Value.MinimumReminderPeriod;

    private readonly ProgrammeRules _rules = options.Value;
    private readonly CommandValidator _validator = new(options.Value);
    private CardNumber? _card;
    private CardAccount _account = null!;
    private long _sequence;
    private bool _reminderKnown;
    /// <summary>Front ends streaming this card's balance to a member; they renew every half minute.</summary>
    private readonly ObserverManager<IBalanceObserver> _watchers = new(TimeSpan.FromMinutes(2), logger);
    private DateTimeOffset? _reminderDueAt;
    /// <summary>Re-arms the reminder when arming it failed (see TryEnsureReminder).</summary>
    private IGrainTimer? _reminderRetry;

    private string Key => _card!.Value;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!CardNumber.TryParse(this.GetPrimaryKeyString(), out _card)) return;
        _account = new CardAccount(_rules, snapshot.State.Account);
        _sequence = snapshot.State.Sequence;
        await ApplyLedgerTail();
        AssumeReminder();
    }

    /// <summary>
    /// Writes the snapshot when the grain is collected or moved, not when its silo shuts down: a stopping
    /// silo deactivates every card at once, and a write each would spend its graceful-stop budget on an
    /// optimisation (the ledger is the truth; the next activation replays fewer than 100 entries).
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Nor after a failed commit: this activation may not know the ledger's last entries.
        if (_card is not null && _sequence > snapshot.State.Sequence && _stale is null && !_mustCatchUp
            && reason.ReasonCode is not (DeactivationReasonCode.ApplicationError or DeactivationReasonCode.ShuttingDown))
            await WriteSnapshot();
    }

    // ---- commands --------------------------------------------------------------------------

    public Task<Outcome<CardSummary>> Issue(IssueCard command, CancellationToken cancellationToken = default)
    {
        if (command is null) return Task.FromResult(Missing<CardSummary>());
        var issuedAt = time.GetUtcNow();
        var errors = _validator.ValidateQuestionnaire(command.FirstName, command.LastName, command.StationId, command.Consent, command.BirthDate, issuedAt);
        if (Refuse<CardSummary>(errors) is { } invalid) return Task.FromResult(invalid);

        var holder = new CardHolderRecord(command.FirstName.Trim(), command.LastName.Trim(), command.Phone?.Value,
            command.BirthDate, issuedAt, command.StationId);
        return Run(CardLedgerStore.IssueOperationKey, command, (account, now) => account.Issue(now), (decided, now) => Summary(decided.After!, now), holder,
            cancellation: cancellationToken);
    }

    public async Task<Outcome<PurchaseResult>> Accrue(RecordPurchase command, CancellationToken cancellationToken = default)
    {
        if (command is null) return Missing<PurchaseResult>();
        var now = time.GetUtcNow();
        var purchase = ToPurchase(command, now);
        if (Refuse<PurchaseResult>(_validator.Validate(purchase, now)) is { } invalid) return invalid;

        var active = await promotions.Current();
        return await Run($"purchase:{command.StationId}:{command.ReceiptId}", command,
            (account, at) => account.Accrue(purchase, active, at),
            (decided, at) =>
            {
                var earned = decided.Events.OfType<PointsEarned>().Single();
                return new PurchaseResult(command.ReceiptId, earned.Points, ToModel(earned.Breakdown),
                    ToModel(decided.After!.BalanceAt(at)), ToModel(decided.After!.TierAt(at)));
            }, cancellation: cancellationToken);
    }

    public Task<Outcome<PartnerAccrualResult>> AccruePartner(RecordPartnerPurchase command,
        CancellationToken cancellationToken = default)
    {
        if (command is null) return Task.FromResult(Missing<PartnerAccrualResult>());
        var now = time.GetUtcNow();
        var purchase = new PartnerPurchase(command.PartnerTransactionId, command.PartnerId, command.OccurredAt?.ToUniversalTime() ?? now,
            command.Amount, command.PointsPerUah);
        if (Refuse<PartnerAccrualResult>(_validator.Validate(purchase, now)) is { } invalid) return Task.FromResult(invalid);

        return Run($"partner:{command.PartnerId}:{command.PartnerTransactionId}", command,
            (account, at) => account.Accrue(purchase, at),
            (decided, at) => new PartnerAccrualResult(command.PartnerTransactionId,
                decided.Events.OfType<PointsEarned>().Single().Points, ToModel(decided.After!.BalanceAt(at))),
            cancellation: cancellationToken);
    }

    public Task<Outcome<RedemptionResult>> Redeem(RedeemPoints command, CancellationToken cancellationToken = default)
    {
        if (command is null) return Task.FromResult(Missing<RedemptionResult>());
        if (Refuse<RedemptionResult>(_validator.ValidateRedemption(command.RedemptionId, command.StationId, command.Points)) is { } invalid)
            return Task.FromResult(invalid);
        return Run($"redemption:{command.StationId}:{command.RedemptionId}", command,
            (account, at) => account.Redeem(command.RedemptionId, command.StationId, command.Points, at),
            (decided, at) => new RedemptionResult(command.RedemptionId, command.Points, ToModel(decided.After!.BalanceAt(at))),
            cancellation: cancellationToken);
    }

    public async Task<Outcome<RefundResult>> Refund(RefundPurchase command, CancellationToken cancellationToken = default)
    {
        if (command is null) return Missing<RefundResult>();
        var lines = command.Lines ?? [];
        if (Refuse<RefundResult>(_validator.ValidateRefund(command.RefundId, command.ReceiptId, command.StationId, lines)) is { } invalid)
            return invalid;

        PointsEarned? purchase = null;
        IReadOnlyList<PurchaseRefunded> refunds = [];
        var zeroBased = lines.Select(l => l - 1).ToHashSet();
        return await Run($"refund:{command.StationId}:{command.RefundId}", command,
            (account, at) => purchase is null
                ? Decision.Reject(account.Status == CardStatus.NotIssued ? RejectionKind.NotIssued : RejectionKind.ReceiptNotFound,
                    $"This station has no receipt {command.ReceiptId} on this card.")
                : account.Refund(command.RefundId, command.StationId, purchase, refunds, zeroBased, at),
            (decided, at) => new RefundResult(command.RefundId,
                decided.Events.OfType<PurchaseRefunded>().Single().Total, ToModel(decided.After!.BalanceAt(at))),
            prepare: async () => (purchase, refunds) = await ledger.FindReceipt(Key, command.ReceiptId, command.StationId),
            cancellation: cancellationToken);
    }

    public Task<Outcome<SpendingModel>> SwitchSpending(bool enabled) =>
        Run(operationKey: null, request: null, (account, at) => account.SwitchSpending(enabled, at),
            (decided, _) => new SpendingModel(decided.After!.SpendingEnabled));

    public Task<Outcome<TerminationResult>> Terminate(TerminateParticipation command)
    {
        if (command is null) return Task.FromResult(Missing<TerminationResult>());
        var errors = _validator.ValidateTermination(command.Reference, command.ApplicationReceivedAt, time.GetUtcNow());
        if (Refuse<TerminationResult>(errors) is { } invalid) return Task.FromResult(invalid);

        return Run("terminate", command,
            (account, at) => account.Terminate(command.Reference, at),
            (decided, _) => new TerminationResult(decided.Events.OfType<ParticipationTerminated>().Single().Forfeited),
            eraseHolder: true);
    }

    public Task<Outcome<AdjustmentResult>> Adjust(AdjustPoints command)
    {
        if (command is null) return Task.FromResult(Missing<AdjustmentResult>());
        var errors = _validator.ValidateAdjustment(command.AdjustmentId, command.Points, command.Reason, command.OperatorId);
        if (Refuse<AdjustmentResult>(errors) is { } invalid) return Task.FromResult(invalid);
        var reason = command.Reason.Trim();
        // Who sends it is not part of the payload: another operator retrying the same adjustment gets its result.
        return Run($"adjustment:{command.AdjustmentId}", command with { OperatorId = "" },
            (account, at) => account.Adjust(command.AdjustmentId, command.Points, reason, command.OperatorId, at),
            (decided, at) => new AdjustmentResult(command.AdjustmentId, command.Points, ToModel(decided.After!.BalanceAt(at))));
    }

    public Task<Outcome<HoldReleaseResult>> ReleaseHeldPoints(ReleaseHeldPoints command)
    {
        if (command is null) return Task.FromResult(Missing<HoldReleaseResult>());
        var errors = _validator.ValidateEarlyRelease(command.ReleaseId, command.Points, command.OperatorId);
        if (Refuse<HoldReleaseResult>(errors) is { } invalid) return Task.FromResult(invalid);
        return Run($"hold-release:{command.ReleaseId}", command with { OperatorId = "" },
            (account, at) => account.ReleaseEarly(command.ReleaseId, command.Points, command.OperatorId, at),
            (decided, at) => new HoldReleaseResult(command.ReleaseId,
                decided.Events.OfType<HeldPointsReleasedEarly>().Single().Points, ToModel(decided.After!.BalanceAt(at))));
    }

    // ---- queries ---------------------------------------------------------------------------

    public async Task<Outcome<PurchaseQuoteResult>> Quote(RecordPurchase command)
    {
        if (command is null) return Missing<PurchaseQuoteResult>();
        var now = time.GetUtcNow();
        var purchase = ToPurchase(command, now);
        if (Refuse<PurchaseQuoteResult>(_validator.Validate(purchase, now)) is { } invalid) return invalid;

        var active = await promotions.Current();
        // Rated on the committed state, as a purchase arriving now would be; nothing is queued for the writer.
        var quote = _account.Quote(purchase, active);
        return quote.Earning is { } earning
            ? Outcome<PurchaseQuoteResult>.Done(new PurchaseQuoteResult(earning.Total, ToModel(earning.Breakdown)))
            : CardOutcomes.Refuse<PurchaseQuoteResult>(quote.Rejection!);
    }

    public Task<Outcome<BalanceModel>> GetBalance() =>
        Task.FromResult(Query(() => ToModel(_account.BalanceAt(time.GetUtcNow()))));

    public Task<Outcome<TierModel>> GetTier() =>
        Task.FromResult(Query(() => ToModel(_account.TierAt(time.GetUtcNow()))));

    public Task<Outcome<CardSummary>> GetSummary() =>
        Task.FromResult(Query(() => Summary(_account, time.GetUtcNow())));

    public Task<Outcome<HistoryPage>> GetHistory(int limit, string? cursor) => QueryHistory(new HistoryQuery(limit, cursor));

    public async Task<Outcome<HistoryPage>> QueryHistory(HistoryQuery query)
    {
        if (query is null) return Missing<HistoryPage>();
        var errors = new ValidationErrors();
        if (query.Limit is < 1 or > 100) errors.Add("limit", "Must be between 1 and 100.");
        long? before = null;
        if (query.Cursor is not null)
        {
            if (long.TryParse(query.Cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq)) before = seq;
            else errors.Add("cursor", "Not a cursor from a previous page.");
        }
        var kinds = query.Kinds is { Count: > 0 } some ? some.Distinct().ToList() : null;
        if (kinds?.FirstOrDefault(k => !HistoryKinds.All.Contains(k)) is { } unknown)
            errors.Add("kind", $"Unknown kind '{(unknown.Length > 20 ? unknown[..20] + "…" : unknown)}'; one of {string.Join(", ", HistoryKinds.All)}.");
        if (query.From is { } from && query.To is { } to && from > to) errors.Add("to", "Must not be before from.");
        if (Refuse<HistoryPage>(errors) is { } invalid) return invalid;
        if (_account.Status == CardStatus.NotIssued) return Outcome<HistoryPage>.Fail(OutcomeStatus.NotFound, "Unknown card.");
        var calendar = new ProgrammeCalendar(_rules);
        var page = await ledger.ReadHistory(Key, query.Limit, before, kinds,
            query.From is { } start ? calendar.DayStart(start) : null,
            query.To is { } end && end < DateOnly.MaxValue ? calendar.DayStart(end.AddDays(1)) : null);
        return Outcome<HistoryPage>.Done(page with { TimeZone = _rules.TimeZone });
    }

    public async Task<Outcome<IReadOnlyList<SupportHistoryItem>>> GetRecentOperations(int limit)
    {
        if (_card is null) return NotACard<IReadOnlyList<SupportHistoryItem>>();
        if (_account.Status == CardStatus.NotIssued)
            return Outcome<IReadOnlyList<SupportHistoryItem>>.Fail(OutcomeStatus.NotFound, "Unknown card.");
        return Outcome<IReadOnlyList<SupportHistoryItem>>.Done(await ledger.ReadSupportHistory(Key, Math.Clamp(limit, 1, 100)));
    }

    public Task<Outcome<BalanceModel>> Subscribe(IBalanceObserver observer)
    {
        var balance = Query(() => ToModel(_account.BalanceAt(time.GetUtcNow())));
        if (balance.Succeeded) _watchers.Subscribe(observer, observer);
        return Task.FromResult(balance);
    }

    public Task Unsubscribe(IBalanceObserver observer)
    {
        _watchers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    // ---- the write path ----------------------------------------------------------------------

    private async Task WriteSnapshot()
    {
        try
        {
            snapshot.State = new CardSnapshot { Card = Key, Sequence = _sequence, Account = _account.ToState() };
            await snapshot.WriteStateAsync();
        }
        catch (Exception e)
        {
            // Harmless: the ledger holds everything; activation just replays a little more.
            LogSnapshotFailed(e, Key);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private Outcome<T> Query<T>(Func<T> read)
    {
        if (_card is null) return NotACard<T>();
        return _account.Status == CardStatus.NotIssued
            ? Outcome<T>.Fail(OutcomeStatus.NotFound, "Unknown card.")
            : Outcome<T>.Done(read());
    }

    private Outcome<T>? Refuse<T>(ValidationErrors errors) =>
        _card is null ? NotACard<T>() : errors.IsEmpty ? null : Outcome<T>.Invalid(errors.ToDictionary());

    /// <summary>Instants are kept in UTC; a till may date its receipt with a Kyiv offset.</summary>
    private static Purchase ToPurchase(RecordPurchase command, DateTimeOffset now) =>
        new(command.ReceiptId, command.StationId, command.OccurredAt?.ToUniversalTime() ?? now, command.PaymentMethod,
            command.Lines?.Select(l => l is null
                    ? null!
                    : new PurchaseLine(l.Type, l.ProductCode, l.Category, l.Litres, l.Amount))
                .ToList() ?? []);

    private Outcome<T> Missing<T>() =>
        _card is null ? NotACard<T>() : Outcome<T>.Invalid(new() { ["body"] = ["Required."] });

    private CardSummary Summary(CardAccount account, DateTimeOffset now) => CardViews.Summary(Key, account, now);

    [LoggerMessage(Level = LogLevel.Information, Message = "Card {Card}: recorded {Count} release/expiry entries")]
    private partial void LogReleased(string card, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Card {Card}: ledger write failed; the grain will rebuild from the ledger")]
    private partial void LogWriteFailed(Exception e, string card);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Card {Card}: could not re-arm the release reminder")]
    private partial void LogReminderFailed(Exception e, string card);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Card {Card}: snapshot write failed")]
    private partial void LogSnapshotFailed(Exception e, string card);
}
