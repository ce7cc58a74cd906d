using System.Collections.Immutable;
using BpClub.Domain.Earning;
using BpClub.Domain.Programme;
using BpClub.Domain.Units;

namespace BpClub.Domain.Ledger;

/// <summary>
/// A card's points, holds and level. Commands return a <see cref="Decision"/>: the events to
/// record and the state after them, leaving this instance untouched until the caller has made
/// the events durable and adopts <see cref="Decision.Accepted.After"/>.
/// Every command first records what fell due since the last event (releases, annual expiry),
/// so the ledger tells the story in time order.
/// </summary>
public sealed partial class CardAccount
{
    private readonly ProgrammeRules _rules;
    private readonly ProgrammeCalendar _calendar;

    /// <summary>The programme's calendar (its zone, months and expiry dates), built once per account.</summary>
    public ProgrammeCalendar Calendar => _calendar;
    private readonly LevelLadder _ladder;
    // Immutable, so that deciding a command on a copy costs the same with one lot or ten thousand
    // (a busy fleet card holds a lot per purchase for the whole hold period).
    private ImmutableSortedDictionary<DateTimeOffset, long> _lots = ImmutableSortedDictionary<DateTimeOffset,
        long>.Empty;
    /// <summary>The sum of <see cref="_lots"/>, kept so that a balance does not walk every lot.</summary>
    private long _lotsTotal;
    private readonly Dictionary<int, decimal> _monthLitres = new();
    /// <summary>Per annual expiry, what it annulled and refunds have not matched yet (see <see
    /// cref="CardAccountState.Annulled"/>).</summary>
    private ImmutableSortedDictionary<DateTimeOffset, long> _annulled = ImmutableSortedDictionary<DateTimeOffset,
        long>.Empty;

    public CardAccount(ProgrammeRules rules, CardAccountState? state = null)
    {
        _rules = rules;
        _calendar = new ProgrammeCalendar(rules);
        _ladder = new LevelLadder(rules);
        if (state is null) return;
        Status = state.Status;
        SpendingEnabled = state.SpendingEnabled;
        Settled = new Points(state.Settled);
        SettledThrough = state.SettledThrough;
        IssuedAt = state.IssuedAt;
        TerminatedAt = state.TerminatedAt;
        foreach (var lot in state.Lots) SetLot(lot.AvailableAt, lot.Points);
        foreach (var (month, litres) in state.MonthLitres) _monthLitres[month] = litres;
        foreach (var annulled in state.Annulled ?? []) _annulled =
            _annulled.SetItem(annulled.ExpiryAt, annulled.Points);
        Replacing = state.Replacing;
        ReplacedBy = state.ReplacedBy;
        Predecessors = state.Predecessors ?? [];
    }

    public CardStatus Status { get; private set; }
    public bool SpendingEnabled { get; private set; }
    public Points Settled { get; private set; }
    public DateTimeOffset SettledThrough { get; private set; }
    public DateTimeOffset? IssuedAt { get; private set; }
    public DateTimeOffset? TerminatedAt { get; private set; }
    /// <summary>The replacement this card has started and not finished (status Replacing).</summary>
    public PendingReplacement? Replacing { get; private set; }
    /// <summary>The card that replaced this one (status Replaced).</summary>
    public string? ReplacedBy { get; private set; }
    /// <summary>The cards this one replaced, the latest first, then the ones those had replaced.</summary>
    public IReadOnlyList<string> Predecessors { get; private set; } = [];

    public CardAccountState ToState() => new()
    {
        Status = Status,
        SpendingEnabled = SpendingEnabled,
        Settled = Settled.Value,
        Lots = _lots.Select(l => new HeldLot(l.Key, l.Value)).ToList(),
        MonthLitres = new Dictionary<int, decimal>(_monthLitres),
        SettledThrough = SettledThrough,
        IssuedAt = IssuedAt,
        TerminatedAt = TerminatedAt,
        Annulled = _annulled.Select(a => new AnnulledPoints(a.Key, a.Value)).ToList(),
        Replacing = Replacing,
        ReplacedBy = ReplacedBy,
        Predecessors = Predecessors,
    };

    private CardAccount(CardAccount other)
    {
        _rules = other._rules;
        _calendar = other._calendar;
        _ladder = other._ladder;
        Status = other.Status;
        SpendingEnabled = other.SpendingEnabled;
        Settled = other.Settled;
        SettledThrough = other.SettledThrough;
        IssuedAt = other.IssuedAt;
        TerminatedAt = other.TerminatedAt;
        _lots = other._lots;
        _lotsTotal = other._lotsTotal;
        _monthLitres = new Dictionary<int, decimal>(other._monthLitres);
        _annulled = other._annulled;
        Replacing = other.Replacing;
        ReplacedBy = other.ReplacedBy;
        Predecessors = other.Predecessors;
    }

    public CardAccount Clone() => new(this);

    /// <summary>Points on hold are kept per release instant; the snapshot's size grows with their number.</summary>
    public int HeldLots => _lots.Count;

    // ---- queries -------------------------------------------------------------------------

    /// <summary>The balance at <paramref name="now"/>, exact even when no reminder has fired yet.</summary>
    public Balance BalanceAt(DateTimeOffset now)
    {
        var settlement = Settle(now, events: null);
        var onHold = _lotsTotal - _lots.TakeWhile(l => l.Key <= now).Sum(l => l.Value);
        NextRelease? next = _lots.Where(l => l.Key > now).Select(l => new NextRelease(new Points(l.Value), l.Key))
            .FirstOrDefault();
        return new Balance(settlement, new Points(onHold), next, now, ExpiringAfter(now));
    }

    /// <summary>
    /// What the next annual expiry after <paramref name="now"/> annuls if nothing is spent before it: the points
    /// available then, those coming off hold by that moment included; null when it would annul nothing.
    /// Worked out by the same fold that records the expiry, so the forecast is what the ledger will say.
    /// </summary>
    public ExpiringPoints? ExpiringAfter(DateTimeOffset now)
    {
        if (Status != CardStatus.Active || _calendar.NextExpiryAfter(now) is not { } expiry) return null;
        Settle(expiry, events: null, out var last);
        return last is { } annulled && annulled.At == expiry && annulled.Points > Points.Zero
            ? new ExpiringPoints(annulled.Points, _calendar.LocalDate(expiry))
            : null;
    }

    public TierStatus TierAt(DateTimeOffset now)
    {
        var month = _calendar.MonthKey(now);
        var litres = _monthLitres.GetValueOrDefault(month);
        var level = LevelAt(now);
        var next = _ladder.Above(level);
        // Next month's level is the higher of this month's litres and next month's, which start at none:
        // so, if nothing more is bought, what this month's litres reach; keeping today's needs its threshold.
        var projected = _ladder.For(litres);
        return new TierStatus(
            level.Level,
            level.Name,
            new Litres(litres),
            next?.Name,
            next is null ? null : new Litres(Math.Max(0m, next.FromLitres - litres)),
            _calendar.MonthStart(month + 1),
            new Litres(Math.Max(0m, level.FromLitres - litres)),
            projected.Name);
    }

    /// <summary>
    /// Reaching a threshold raises the level for the rest of that month and the whole next one,
    /// so the level in force is the higher of last month's and this month's.
    /// </summary>
    public LevelRule LevelAt(DateTimeOffset now)
    {
        var month = _calendar.MonthKey(now);
        return LevelLadder.Higher(
            _ladder.For(_monthLitres.GetValueOrDefault(month - 1)),
            _ladder.For(_monthLitres.GetValueOrDefault(month)));
    }

    /// <summary>
    /// What a purchase would earn if it were recorded now, rated exactly as <c>Accrue</c> rates it; records
    /// nothing, so a till can print it before payment and the receipt can still be recorded later.
    /// </summary>
    public PurchaseQuote Quote(Purchase purchase, IEnumerable<Promotion> promotions) =>
        WhenActive() is { Rejection: { } refused }
            ? new PurchaseQuote(null, refused)
            : new PurchaseQuote(Rate(purchase, promotions), null);

    /// <summary>When the ledger next has something to record on its own: a release or the annual expiry.</summary>
    public DateTimeOffset? NextDueAt()
    {
        // A replacement in progress is due at once: the release reminder drives it to its end.
        if (Status == CardStatus.Replacing) return SettledThrough;
        if (Status != CardStatus.Active) return null;
        DateTimeOffset? due = _lots.Count > 0 ? _lots.First().Key : null;
        if (Settled > Points.Zero && _calendar.NextExpiryAfter(SettledThrough) is { } expiry
            && (due is null || expiry < due))
            due = expiry;
        return due;
    }

    // ---- commands ------------------------------------------------------------------------

    public Decision Issue(DateTimeOffset now) => Status == CardStatus.NotIssued
        ? Decide(now, _ => Record(new CardIssued(now)))
        : Decision.Reject(RejectionKind.AlreadyIssued, "This card has already been issued.");

    /// <summary>Records what fell due by <paramref name="now"/>; what the reminder does.</summary>
    public Decision ReleaseHeldPoints(DateTimeOffset now) =>
        Status == CardStatus.Active ? Decide(now, _ => Record()) : Decision.Nothing(this);

    public Decision Accrue(Purchase purchase, IEnumerable<Promotion> promotions, DateTimeOffset now) =>
        WhenActive() ?? Decide(now, account =>
        {
            var earning = account.Rate(purchase, promotions);
            return Earned(EarningSource.Station, purchase.ReceiptId, purchase.StationId, earning.Total,
                purchase.FuelLitres, purchase.TotalAmount, purchase.OccurredAt, purchase.Lines, earning.Lines,
                    earning.Breakdown, now);
        });

    public Decision Accrue(PartnerPurchase purchase, DateTimeOffset now) =>
        WhenActive() ?? Decide(now, account =>
        {
            var points = new EarningCalculator(_rules).Rate(purchase);
            return Earned(EarningSource.Partner, purchase.PartnerTransactionId, purchase.PartnerId, points,
                Litres.Zero, purchase.Amount, purchase.OccurredAt, [], [], [new EarningPart("partner", points)], now);
        });

    public Decision Redeem(string redemptionId, string stationId, Points points, DateTimeOffset now) =>
        WhenActive() ?? Decide(now, account =>
        {
            if (!account.SpendingEnabled)
                return Decision.Reject(RejectionKind.RuleViolated,
                    "Spending points is switched off for this card; the member can switch it on in the cabinet.");
            if (points > account.Settled)
                return Decision.Reject(RejectionKind.RuleViolated,
                    $"Not enough available points: {account.Settled.Value} available, {points.Value} requested.");
            return Record(new PointsRedeemed(now, redemptionId, stationId, points));
        });

    /// <summary>
    /// Undoes a payment with points: its points come back to the available balance, once. Not after an annual
    /// expiry that fell since the payment: points spent before it would otherwise come back to dodge it.
    /// </summary>
    public Decision ReverseRedemption(string reversalId, string stationId, PointsRedeemed redemption,
        bool reversedBefore,
        DateTimeOffset now) =>
        WhenActive() ?? Decide(now, account =>
        {
            if (reversedBefore)
                return Decision.Reject(RejectionKind.RuleViolated,
                    "This payment with points has already been reversed.");
            if (_calendar.NextExpiryAfter(redemption.At) is { } expiry && expiry <= now)
                return Decision.Reject(RejectionKind.RuleViolated,
                    "This payment was made before the last annual expiry; it can no longer be reversed.");
            return Record(new RedemptionReversed(now, reversalId, stationId, redemption.OperationId,
                redemption.Points));
        });

    /// <summary>
    /// Takes back the points of a returned purchase — the whole receipt when <paramref name="lines"/>
    /// is empty, otherwise those lines (zero-based) — and stops its litres counting for the level.
    /// </summary>
    /// <remarks>
    /// Points already annulled are not taken again. For a receipt annulled as it was recorded
    /// (<paramref name="lateAnnulled"/>), its annulled points are matched first; for one whose points came off hold
    /// before an annual expiry that has passed, the points that expiry annulled (and no refund matched yet) are.
    /// Only the rest is taken from the available balance.
    /// </remarks>
    public Decision Refund(string refundId, string stationId, PointsEarned original,
        IReadOnlyCollection<PurchaseRefunded> earlierRefunds, IReadOnlySet<int> lines, DateTimeOffset now,
        LateReceiptAnnulled? lateAnnulled = null) =>
        WhenActive() ?? Decide(now, account =>
        {
            var before = earlierRefunds.Where(r => r.Refunds(original)).SelectMany(r => r.Lines).ToHashSet();
            var requested = lines.Count == 0 ? Enumerable.Range(0, original.Lines.Count).Where(i => !before.Contains(i))
                .ToHashSet() : lines;
            if (requested.Any(i => i < 0 || i >= original.Lines.Count))
                return Decision.Reject(RejectionKind.RuleViolated, $"The receipt has {original.Lines.Count} lines.");
            if (requested.Count == 0 || requested.Any(before.Contains))
                return Decision.Reject(RejectionKind.RuleViolated,
                    "These lines of the receipt have already been refunded.");

            var reversed = EarningCalculator.Reversal(original.LineEarnings, before, requested);
            var litres = new Litres(requested.Where(i => original.Lines[i].Type == LineType.Fuel)
                .Sum(i => original.Lines[i].Litres.Value));
            var matchedLate = earlierRefunds.Where(r => r.Refunds(original) && r.AnnulledLate)
                .Aggregate(Points.Zero, (sum, r) => sum + r.FromAnnulled);
            var share = ShareRefund(account, reversed, original.AvailableAt, lateAnnulled, matchedLate, now);
            return Record(new PurchaseRefunded(now, refundId, original.OperationId, stationId, share.FromHold,
                original.AvailableAt, share.FromAvailable, litres, original.MonthKey, requested.Order().ToList(),
                original.SourceId, share.FromAnnulled, share.AnnulledOn, share.AnnulledLate));
        });

    /// <summary>
    /// An operator's manual correction: positive points become available at once; negative ones are taken from the
    /// available balance and never take it below zero.
    /// </summary>
    public Decision Adjust(string adjustmentId, Points points, string reason, string operatorId, DateTimeOffset now) =>
        WhenActive() ?? Decide(now, account =>
        {
            if (points < Points.Zero && -points > Points.Max(account.Settled, Points.Zero))
                return Decision.Reject(RejectionKind.RuleViolated,
                    $"Not enough available points: {Points.Max(account.Settled, Points.Zero).Value} available, "
                    + $"{(-points).Value} to take; an adjustment never takes the available balance below zero.");
            return Record(new PointsAdjusted(now, adjustmentId, points, reason, operatorId));
        });

    /// <summary>
    /// An operator releases held points early: <paramref name="points"/> of them (all when null), taken from the
    /// lots that would come off hold soonest.
    /// </summary>
    public Decision ReleaseEarly(string releaseId, Points? points, string operatorId, DateTimeOffset now) =>
        WhenActive() ?? Decide(now, account =>
        {
            // Settled up to now, so every lot left is still on hold.
            var held = new Points(account._lotsTotal);
            if (held <= Points.Zero) return Decision.Reject(RejectionKind.RuleViolated, "No points are on hold.");
            var wanted = points ?? held;
            if (wanted > held)
                return Decision.Reject(RejectionKind.RuleViolated,
                    $"Only {held.Value} points are on hold, {wanted.Value} requested.");
            var taken = new List<HeldLot>();
            var left = wanted.Value;
            foreach (var (availableAt, lot) in account._lots)
            {
                if (left == 0) break;
                var share = Math.Min(lot, left);
                taken.Add(new HeldLot(availableAt, share));
                left -= share;
            }
            return Record(new HeldPointsReleasedEarly(now, releaseId, wanted, taken, operatorId));
        });

    public Decision SwitchSpending(bool enabled, DateTimeOffset now) =>
        WhenActive() ?? (SpendingEnabled == enabled ? Decision.Nothing(this)
            : Decide(now, _ => Record(new SpendingSwitched(now, enabled))));

    /// <summary>Ends participation: whatever is left, available or on hold, is forfeited.</summary>
    public Decision Terminate(DateTimeOffset now) =>
        WhenActive() ?? Decide(now, account =>
        {
            var left = account.Settled + new Points(account._lotsTotal);
            return Record(new ParticipationTerminated(now, Points.Max(left, Points.Zero)));
        });

    // ---- replacement: a saga of two cards (docs/rules.md, "Lost or damaged card") --------

    /// <summary>
    /// Step 1 on the old card: what fell due is recorded, then everything it holds leaves it, in transit to
    /// <paramref name="newCard"/>; from now on it takes no purchase, payment or refund.
    /// </summary>
    public Decision StartReplacement(string transferId, string newCard, bool movesRegistration, string? operatorId,
        DateTimeOffset now) =>
        WhenActive() ?? Decide(now, account => Record(new ReplacementStarted(now, transferId, newCard,
            new MovedAccount(account.Settled.Value, account._lots.Select(l => new HeldLot(l.Key, l.Value)).ToList(),
                new Dictionary<int, decimal>(account._monthLitres),
                account._annulled.Select(a => new AnnulledPoints(a.Key, a.Value)).ToList(),
                account.Predecessors), movesRegistration, operatorId)));

    /// <summary>Step 2 on the new card: what the old card handed over is added to what it holds.</summary>
    public Decision ReceiveTransfer(string transferId, string oldCard, MovedAccount moved, DateTimeOffset now) =>
        WhenActive() ?? Decide(now, _ => Record(new TransferReceived(now, transferId, oldCard, moved)));

    /// <summary>Step 3 on the old card: the new card holds everything; this one is closed.</summary>
    public Decision CompleteReplacement(string transferId, DateTimeOffset now) => Status switch
    {
        CardStatus.Replacing when Replacing!.TransferId == transferId
            => Decide(now, _ => Record(new ReplacementCompleted(now, transferId, Replacing.NewCard))),
        CardStatus.Replaced => Decision.Nothing(this),
        _ => Decision.Reject(RejectionKind.RuleViolated, "No replacement with this id is in progress."),
    };

    /// <summary>
    /// When the new card refused the transfer (it received nothing): the old card takes back what it handed over.
    /// </summary>
    public Decision AbortReplacement(string transferId, string reason, DateTimeOffset now) =>
        Status == CardStatus.Replacing && Replacing!.TransferId == transferId
            ? Decide(now, _ => Record(new ReplacementAborted(now, transferId, reason, Replacing.Moved)))
            : Decision.Reject(RejectionKind.RuleViolated, "No replacement with this id is in progress.");

    private void Receive(MovedAccount moved)
    {
        Settled += new Points(moved.Settled);
        foreach (var lot in moved.Lots)
            SetLot(lot.AvailableAt, (_lots.TryGetValue(lot.AvailableAt, out var same) ? same : 0) + lot.Points);
        foreach (var (month, litres) in moved.MonthLitres)
            _monthLitres[month] = _monthLitres.GetValueOrDefault(month) + litres;
        foreach (var annulled in moved.Annulled)
            _annulled = _annulled.SetItem(annulled.ExpiryAt,
                (_annulled.TryGetValue(annulled.ExpiryAt, out var before) ? before : 0) + annulled.Points);
    }

    private void HandOver()
    {
        Settled = Points.Zero;
        _lots = _lots.Clear();
        _lotsTotal = 0;
        _monthLitres.Clear();
        _annulled = _annulled.Clear();
    }

    // ---- applying events ----------------------------------------------------------------

    public void Apply(CardEvent e)
    {
        switch (e)
        {
            case CardIssued:
                Status = CardStatus.Active;
                IssuedAt = e.At;
                break;
            case PointsEarned earned:
                if (earned.Points > Points.Zero)
                    SetLot(earned.AvailableAt,
                        (_lots.TryGetValue(earned.AvailableAt, out var same) ? same : 0) + earned.Points.Value);
                if (earned.Litres > Litres.Zero)
                    _monthLitres[earned.MonthKey] = _monthLitres.GetValueOrDefault(earned.MonthKey)
                        + earned.Litres.Value;
                break;
            case PointsReleased released:
                RemoveLot(released.At);
                Settled += released.Points;
                break;
            case PointsExpired expired:
                Settled -= expired.Points;
                _annulled = _annulled.SetItem(expired.At,
                    (_annulled.TryGetValue(expired.At, out var before) ? before : 0) + expired.Points.Value);
                break;
            case LateReceiptAnnulled annulled when _lots.TryGetValue(annulled.LotAvailableAt, out var heldLot):
                if (heldLot > annulled.Points.Value) SetLot(annulled.LotAvailableAt, heldLot - annulled.Points.Value);
                else RemoveLot(annulled.LotAvailableAt);
                break;
            case LateReceiptAnnulled:
                break;
            case PointsRedeemed redeemed:
                Settled -= redeemed.Points;
                break;
            case RedemptionReversed reversed:
                Settled += reversed.Points;
                break;
            case PurchaseRefunded refunded:
                if (refunded.FromHold > Points.Zero && _lots.TryGetValue(refunded.LotAvailableAt, out var lot))
                {
                    var rest = lot - refunded.FromHold.Value;
                    if (rest > 0) SetLot(refunded.LotAvailableAt, rest);
                    else RemoveLot(refunded.LotAvailableAt);
                }
                Settled -= refunded.FromAvailable;
                if (refunded is { AnnulledLate: false, AnnulledOn: { } on } && _annulled.TryGetValue(on, out var pool))
                    _annulled = _annulled.SetItem(on, Math.Max(0, pool - refunded.FromAnnulled.Value));
                if (_monthLitres.TryGetValue(refunded.MonthKey, out var litres))
                    _monthLitres[refunded.MonthKey] = Math.Max(0m, litres - refunded.Litres.Value);
                break;
            case PartnerTransactionRefunded partnerRefund:
                if (partnerRefund.FromHold > Points.Zero
                    && _lots.TryGetValue(partnerRefund.LotAvailableAt, out var partnerLot))
                {
                    var rest = partnerLot - partnerRefund.FromHold.Value;
                    if (rest > 0) SetLot(partnerRefund.LotAvailableAt, rest);
                    else RemoveLot(partnerRefund.LotAvailableAt);
                }
                Settled -= partnerRefund.FromAvailable;
                if (partnerRefund is { AnnulledLate: false, AnnulledOn: { } expiredOn }
                    && _annulled.TryGetValue(expiredOn, out var expiredPool))
                    _annulled = _annulled.SetItem(expiredOn,
                        Math.Max(0, expiredPool - partnerRefund.FromAnnulled.Value));
                break;
            case PointsAdjusted adjusted:
                Settled += adjusted.Points;
                break;
            case HeldPointsReleasedEarly early:
                foreach (var taken in early.Lots)
                {
                    if (!_lots.TryGetValue(taken.AvailableAt, out var heldPoints)) continue;
                    if (heldPoints > taken.Points) SetLot(taken.AvailableAt, heldPoints - taken.Points);
                    else RemoveLot(taken.AvailableAt);
                    Settled += new Points(Math.Min(heldPoints, taken.Points));
                }
                break;
            case SpendingSwitched switched:
                SpendingEnabled = switched.Enabled;
                break;
            case ReplacementStarted started:
                Status = CardStatus.Replacing;
                Replacing = new PendingReplacement(started.TransferId, started.NewCard, started.Moved,
                    started.MovesRegistration);
                HandOver();
                break;
            case TransferReceived received:
                Receive(received.Moved);
                Predecessors = [received.OldCard, ..received.Moved.Predecessors.Where(c => c != received.OldCard),
                    ..Predecessors.Where(c => c != received.OldCard && !received.Moved.Predecessors.Contains(c))];
                break;
            case ReplacementCompleted completed:
                Status = CardStatus.Replaced;
                ReplacedBy = completed.NewCard;
                Replacing = null;
                break;
            case ReplacementAborted aborted:
                Status = CardStatus.Active;
                Replacing = null;
                Receive(aborted.Restored);
                break;
            case ParticipationTerminated:
                Status = CardStatus.Terminated;
                TerminatedAt = e.At;
                Settled = Points.Zero;
                _lots = _lots.Clear();
                _lotsTotal = 0;
                _monthLitres.Clear();
                _annulled = _annulled.Clear();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Unknown card event.");
        }
        if (e.At > SettledThrough) SettledThrough = e.At;
        // Only this month and the last count towards the level; a purchase reported late is rated
        // in its own month, so keep the month before the oldest one a till may still report.
        var oldest = _calendar.MonthKey(e.At - _rules.MaxBackdating) - 1;
        foreach (var month in _monthLitres.Keys.Where(m => m < oldest).ToList()) _monthLitres.Remove(month);
    }

    // ---- internals ----------------------------------------------------------------------

    private void SetLot(DateTimeOffset availableAt, long points)
    {
        if (_lots.TryGetValue(availableAt, out var before)) _lotsTotal -= before;
        _lots = _lots.SetItem(availableAt, points);
        _lotsTotal += points;
    }

    private void RemoveLot(DateTimeOffset availableAt)
    {
        if (!_lots.TryGetValue(availableAt, out var before)) return;
        _lots = _lots.Remove(availableAt);
        _lotsTotal -= before;
    }

    /// <summary>
    /// A receipt is rated at the level in force when it was made (a till may report it days later, after
    /// a month boundary), before its own litres count.
    /// </summary>
    private PurchaseEarning Rate(Purchase purchase, IEnumerable<Promotion> promotions) =>
        new EarningCalculator(_rules).Rate(purchase, LevelAt(purchase.OccurredAt), promotions);

    private Decision? WhenActive() => Status switch
    {
        CardStatus.Active => null,
        CardStatus.NotIssued => Decision.Reject(RejectionKind.NotIssued, "This card has not been issued."),
        CardStatus.Replacing => Decision.Reject(RejectionKind.CardReplaced,
            $"This card is being replaced by the card ending {Replacing!.NewCard[^4..]}: use the new card."),
        CardStatus.Replaced => Decision.Reject(RejectionKind.CardReplaced,
            $"This card was replaced by the card ending {ReplacedBy![^4..]} and is closed: use the new card."),
        _ => Decision.Reject(RejectionKind.RuleViolated, "Participation on this card has been terminated."),
    };

    private DecisionOr Earned(EarningSource source, string operationId, string sourceId, Points points,
        Litres litres, Money amount, DateTimeOffset occurredAt, IReadOnlyList<PurchaseLine> lines,
        IReadOnlyList<LineEarning> lineEarnings, IReadOnlyList<EarningPart> breakdown, DateTimeOffset now)
    {
        var availableAt = HoldEndFor(occurredAt, now);
        var earned = new PointsEarned(now, source, operationId, sourceId, points, litres, amount, occurredAt,
            availableAt, _calendar.MonthKey(occurredAt), lines, lineEarnings, breakdown);
        return ExpiryMissedBy(occurredAt, availableAt) is { } expiry && points > Points.Zero
            ? Record(earned, new LateReceiptAnnulled(now, operationId, sourceId, points, availableAt, expiry))
            : Record(earned);
    }

    /// <summary>
    /// The annual expiry a late receipt would have met had it been reported at once, when its hold now
    /// ends after it: the first expiry at or after its on-time release (a lot released at 00:00 on 1 June
    /// is annulled with the rest), if it comes before <paramref name="availableAt"/>.
    /// </summary>
    private DateTimeOffset? ExpiryMissedBy(DateTimeOffset occurredAt, DateTimeOffset availableAt)
    {
        var onTimeRelease = occurredAt + _rules.HoldPeriod;
        return _calendar.NextExpiryAfter(onTimeRelease - TimeSpan.FromTicks(1)) is { } expiry && expiry < availableAt
            ? expiry
            : null;
    }

    /// <summary>
    /// The hold counts from the later of when the purchase was made and when it was recorded: a
    /// till may date a receipt weeks back, and points must not become spendable sooner for that.
    /// </summary>
    private DateTimeOffset HoldEndFor(DateTimeOffset occurredAt, DateTimeOffset recordedAt) =>
        (occurredAt > recordedAt ? occurredAt : recordedAt) + _rules.HoldPeriod;

    private static DecisionOr Record(params CardEvent[] events) => DecisionOr.Record(events);

    /// <summary>Settles what fell due, then runs the command on a copy; the copy becomes the state after.</summary>
    private Decision Decide(DateTimeOffset now, Func<CardAccount, DecisionOr> command)
    {
        var after = Clone();
        var events = new List<CardEvent>();
        after.Settle(now, events);
        var outcome = command(after);
        if (outcome.Rejection is { } rejection) return new Decision.Rejected(rejection);
        foreach (var e in outcome.Events)
        {
            after.Apply(e);
            events.Add(e);
        }
        // With a zero hold period a purchase is available the moment it is recorded.
        after.Settle(now, events);
        return new Decision.Accepted(events, after);
    }

    /// <summary>
    /// Folds releases and annual expiry due by <paramref name="until"/> in time order. With
    /// <paramref name="events"/> it applies them to this instance and collects them; without,
    /// it only computes the available points they would leave.
    /// </summary>
    private Points Settle(DateTimeOffset until, List<CardEvent>? events) => Settle(until, events, out _);

    /// <param name="lastExpiry">The last annual expiry by <paramref name="until"/> and what it annulled (zero
    /// when the available balance was not positive), or null when none fell due.</param>
    /// <remarks>Without <paramref name="events"/> nothing is allocated per lot: balance reads walk every lot.</remarks>
    private Points Settle(DateTimeOffset until, List<CardEvent>? events,
        out (DateTimeOffset At, Points Points)? lastExpiry)
    {
        var settled = Settled;
        var expiry = Status == CardStatus.Active ? _calendar.NextExpiryAfter(SettledThrough) : null;
        var pending = events is null ? null : new List<CardEvent>();
        (DateTimeOffset At, Points Points)? last = null;

        void ExpireUpTo(DateTimeOffset limit, bool inclusive)
        {
            while (expiry is { } e && (inclusive ? e <= limit : e < limit))
            {
                // Only a positive available balance is annulled; points on hold are left alone.
                var annulled = Points.Max(settled, Points.Zero);
                if (annulled > Points.Zero) pending?.Add(new PointsExpired(e, annulled));
                settled -= annulled;
                last = (e, annulled);
                expiry = _calendar.NextExpiryAfter(e);
            }
        }

        foreach (var (availableAt, points) in _lots)
        {
            if (availableAt > until) break;
            ExpireUpTo(availableAt, inclusive: false);
            settled += new Points(points);
            pending?.Add(new PointsReleased(availableAt, new Points(points)));
        }
        ExpireUpTo(until, inclusive: true);

        if (events is not null)
        {
            foreach (var e in pending!) Apply(e);
            events.AddRange(pending);
        }
        lastExpiry = last;
        return settled;
    }
}
