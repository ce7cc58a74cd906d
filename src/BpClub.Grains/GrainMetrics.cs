using System.Diagnostics.Metrics;
using BpClub.Domain.Units;

namespace BpClub.Grains;

/// <summary>
/// What the grains count for operators, published as the meter "BpClub.Grains" next to Orleans' own
/// ("Microsoft.Orleans") and scraped from each silo's /metrics. Counters only: Prometheus computes the
/// rates, and a counter survives a scrape missed during a silo restart.
/// </summary>
public sealed class GrainMetrics
{
    public const string MeterName = "BpClub.Grains";

    private readonly Counter<long> _purchases;
    private readonly Counter<long> _pointsIssued;
    private readonly Counter<long> _redemptions;
    private readonly Counter<long> _pointsRedeemed;
    private readonly Counter<long> _remindersFired;
    private readonly Counter<long> _smsSent;
    private readonly Counter<long> _smsRefused;
    private long _smsBudgetLeft = -1;

    public GrainMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _purchases = meter.CreateCounter<long>("bpclub.purchases.recorded", "{purchase}",
            "Purchases (station and partner receipts) newly written to a card's ledger; replays are not counted.");
        _pointsIssued = meter.CreateCounter<long>("bpclub.points.issued", "{point}",
            "Points credited by recorded purchases, on hold or available.");
        _redemptions = meter.CreateCounter<long>("bpclub.redemptions.recorded", "{redemption}",
            "Redemptions at the till newly written to a card's ledger; replays are not counted.");
        _pointsRedeemed = meter.CreateCounter<long>("bpclub.points.redeemed", "{point}",
            "Points spent by recorded redemptions.");
        _remindersFired = meter.CreateCounter<long>("bpclub.reminders.fired", "{reminder}",
            "Hold-release reminders delivered to card grains.");
        _smsSent = meter.CreateCounter<long>("bpclub.sms.sent", "{text}", "Texts handed to the SMS gateway.");
        _smsRefused = meter.CreateCounter<long>("bpclub.sms.refused", "{text}",
            "Texts not sent because a cap was reached (reason: phone_daily_cap, source_hourly_cap, daily_budget).");
        meter.CreateObservableGauge("bpclub.sms.budget.remaining", () => Interlocked.Read(ref _smsBudgetLeft), "{text}",
            "Texts left in today's global SMS budget, as this silo last saw it (-1: none sent yet).");
    }

    public void SmsSent(long budgetLeft)
    {
        _smsSent.Add(1);
        Interlocked.Exchange(ref _smsBudgetLeft, budgetLeft);
    }

    public void SmsRefused(BpClub.Grains.Sms.SmsRefusal reason)
    {
        _smsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason switch
        {
            BpClub.Grains.Sms.SmsRefusal.PhoneDailyCap => "phone_daily_cap",
            BpClub.Grains.Sms.SmsRefusal.SourceHourlyCap => "source_hourly_cap",
            _ => "daily_budget",
        }));
        if (reason == BpClub.Grains.Sms.SmsRefusal.DailyBudget) Interlocked.Exchange(ref _smsBudgetLeft, 0);
    }

    /// <summary>A card's batch was committed: its purchases and redemptions, first written (never replays).</summary>
    public void Committed(IEnumerable<CardEvent> events)
    {
        foreach (var e in events)
        {
            if (e is PointsEarned earned) PurchaseRecorded(earned.Points);
            else if (e is PointsRedeemed redeemed) RedemptionRecorded(redeemed.Points);
        }
    }

    /// <summary>A purchase was committed to the ledger for the first time (not a replayed receipt).</summary>
    public void PurchaseRecorded(Points issued)
    {
        _purchases.Add(1);
        if (issued.Value > 0) _pointsIssued.Add(issued.Value);
    }

    /// <summary>A redemption was committed to the ledger for the first time (not a replayed one).</summary>
    public void RedemptionRecorded(Points spent)
    {
        _redemptions.Add(1);
        if (spent.Value > 0) _pointsRedeemed.Add(spent.Value);
    }

    /// <summary>The hold-release reminder reached a card grain.</summary>
    public void ReminderFired() => _remindersFired.Add(1);
}
