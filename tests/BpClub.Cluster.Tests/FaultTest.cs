using System.Diagnostics;
using System.Globalization;
using System.Text;
using BpClub.Testing;
using Xunit.Abstractions;

namespace BpClub.Cluster.Tests;

/// <summary>
/// The fault test: a real cluster of processes — PostgreSQL, three silos, two front ends — first measured
/// for what it serves, then kept at half of that by tills that retry like real tills, while a silo is
/// killed, a new one joins, one is stopped gracefully and PostgreSQL goes away for a while. Afterwards the
/// ledger in PostgreSQL is the judge: nothing acknowledged is lost, nothing is counted twice, every hold
/// has its release written (by reminders, for the lots nothing else could release), balances agree with
/// the ledger; and the tills were kept waiting no longer than each fault allows.
/// </summary>
public sealed class FaultTest(ITestOutputHelper output)
{
    private const int CardCount = 2000;
    private const int StationCount = 4;
    /// <summary>The capacity burst: enough concurrent tills to keep every core of the box busy.</summary>
    private const int CapacityTills = 32;
    private static readonly TimeSpan CapacityWarmUp = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CapacityMeasured = TimeSpan.FromSeconds(8);
    /// <summary>
    /// The fault load's floor, and its cap: above it the tills' own process competes for the box's two cores
    /// with the five servers it judges, and the ledger to check at the end grows past what the test's budget allows.
    /// </summary>
    private const double MinRate = 25;
    private const double MaxRate = 400;
    private static readonly TimeSpan PostgresDown = TimeSpan.FromSeconds(12);
    /// <summary>Steady load before the first fault: what "normal" is for the gap bounds.</summary>
    private static readonly TimeSpan Baseline = TimeSpan.FromSeconds(10);
    /// <summary>After a silo joined or exited: the others learn of it and move their directory ranges.</summary>
    private static readonly TimeSpan Aftermath = TimeSpan.FromSeconds(5);
    /// <summary>Steady load between two fault windows, so that they do not overlap.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PostgresRecovery = TimeSpan.FromSeconds(10);
    /// <summary>After a SIGKILL: the membership's failure-detection time, then 5 s to activate the cards
    /// elsewhere.</summary>
    private static readonly TimeSpan KillBound = MembershipSettings.DetectionTime + TimeSpan.FromSeconds(5);
    /// <summary>
    /// "No gap" after a SIGTERM or a new silo: no stretch without any acknowledgement longer than the longest
    /// one before the faults plus 2 s. The baseline already holds the box's own pauses (GC, a starved core);
    /// two seconds more allow one pause of that kind coinciding with the hand-over, as the stop of a 2-core box
    /// shared with builds is seen to last up to about two seconds. A stretch beyond that means every till
    /// waited on the fault itself: the cluster stopped serving, not just some of its cards.
    /// </summary>
    private static readonly TimeSpan NoGapSlack = TimeSpan.FromSeconds(2);
    /// <summary>
    /// The 503-not-a-hang bound: generous, the box is small and shared (a quick 503 took 12 s at a load
    /// average of 70 on 2 cores), yet well below the 30 s after which Orleans gives up on a lost response.
    /// </summary>
    private static readonly TimeSpan UnavailableAnswersWithin = TimeSpan.FromSeconds(20);
    /// <summary>Latest acceptable release of a hold after its due time (a reminder whose silo died, PostgreSQL down, a
    /// starved box).</summary>
    private static readonly TimeSpan ReleaseLateness = TimeSpan.FromSeconds(120);

    private static readonly Dictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["Programme__HoldPeriod"] = "00:00:20",
        // Otherwise each card keeps a reminder for the 1 June expiry once its points are available.
        ["Programme__AnnualExpiryEnabled"] = "false",
        // Reminders at a test's scale: a missed tick re-fires within seconds, a new range owner reads its reminders
        // soon.
        ["Reminders__MinimumReminderPeriod"] = "00:00:05",
        ["Reminders__RefreshReminderListPeriod"] = "00:00:10",
        ["Reminders__InitializationTimeout"] = "00:00:30",
        // The capacity burst posts as fast as it is answered from four stations; the per-caller limit is not what this
        // test is about.
        ["RateLimits__PerCallerPerSecond"] = "5000",
        ["RateLimits__PerCallerBurst"] = "10000",
        // Less JIT work at start: five processes start on a small, shared box.
        ["DOTNET_TieredPGO"] = "0",
        // The processes' logs (kept in .data/test-results/chaos-logs): one line each, timed; membership changes in
        // full.
        ["Logging__Console__FormatterName"] = "simple",
        ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
        ["Logging__LogLevel__Default"] = "Information",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        ["Logging__LogLevel__Microsoft.Extensions.Diagnostics.HealthChecks"] = "Warning",
        ["Logging__LogLevel__Polly"] = "None",
        ["Logging__LogLevel__Orleans"] = "Warning",
        ["Logging__LogLevel__Orleans.Messaging"] = "Error",
        ["Logging__LogLevel__BpClub.Grains.CardGrain"] = "Warning",
        ["Logging__LogLevel__Orleans.Runtime.MembershipService"] = "Information",
        ["Logging__LogLevel__Orleans.Runtime.Silo"] = "Information",
    }.Concat(MembershipSettings.Environment()).ToDictionary();

    private readonly Stopwatch _clock = new();
    private readonly StringBuilder _events = new();

    [Fact]
    public async Task Purchases_survive_killed_added_and_stopped_silos_and_a_postgresql_restart()
    {
        _clock.Start();
        await using var cluster = await LocalCluster.Start(Settings);
        var silo1 = cluster.StartSilo();
        var silo2 = cluster.StartSilo();
        var silo3 = cluster.StartSilo();
        var api1 = cluster.StartFront();
        var api2 = cluster.StartFront();
        await Task.WhenAll(new[] { silo1, silo2, silo3, api1,
            api2 }.Select(p => LocalCluster.WaitReady(p, TimeSpan.FromSeconds(120))));
        Note($"cluster ready (PostgreSQL on {cluster.PostgresPort}, cluster id {cluster.ClusterId})");

        Uri[] fronts = [api1.Http, api2.Http];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        var stations = await Setup.Stations(http, api1.Http, StationCount);
        var cards = Enumerable.Range(0, CardCount).Select(_ => Cards.NewNumber()).Distinct().ToList();
        await Setup.Issue(http, fronts, stations.Values.First(), cards);
        Note($"{StationCount} stations and {cards.Count} cards issued");

        var run = new FaultRun();
        var burst = await MeasureCapacity(run, fronts, stations, cards);
        Note($"capacity {run.Capacity:F0} purchases/s; the fault load runs at {run.Rate:F0}/s");

        // ---- the run: steady purchases, and the faults one after another ------------------------------
        run.LoadStart = _clock.Elapsed;
        var tills = new Tills(fronts, stations, cards, _clock);
        using var stopLoad = new CancellationTokenSource();
        var load = tills.Run(run.Rate, stopLoad.Token);
        var killedAt = DateTimeOffset.MaxValue;
        try
        {
            await Until(run.LoadStart + Baseline);
            run.Baseline = new FaultWindow("before the faults", run.LoadStart + TimeSpan.FromSeconds(1),
                _clock.Elapsed);
            var kill = _clock.Elapsed;
            killedAt = DateTimeOffset.UtcNow;
            silo1.Kill();
            Note("SIGKILL silo-1");
            var declaredDead = WaitUntilDead(cluster, silo1);
            run.Windows.Add(new FaultWindow("SIGKILL silo-1", kill, kill + KillBound));
            await Until(kill + KillBound + Settle);

            var join = _clock.Elapsed;
            var silo4 = cluster.StartSilo();
            Note("started silo-4 (a new silo)");
            await LocalCluster.WaitReady(silo4, TimeSpan.FromSeconds(180));
            var ready = _clock.Elapsed;
            Note("silo-4 ready");
            run.Windows.Add(new FaultWindow("new silo-4", join, ready + Aftermath));
            await Until(ready + Aftermath + Settle);

            var term = _clock.Elapsed;
            silo2.Terminate();
            Note("SIGTERM silo-2");
            Assert.True(await silo2.WaitForExit(TimeSpan.FromSeconds(120)),
                $"silo-2 did not stop within 120 s of SIGTERM:\n{silo2.LogTail()}");
            var exited = _clock.Elapsed;
            Note($"silo-2 exited with {silo2.ExitCode} after {silo2.StopDuration.TotalSeconds:F1} s");
            run.Windows.Add(new FaultWindow("SIGTERM silo-2", term, exited + Aftermath));
            await Until(exited + Aftermath + Settle);

            run.DeclaredDeadAfter = await declaredDead - kill;
            cluster.StopPostgres();
            run.OutageFrom = _clock.Elapsed;
            Note("PostgreSQL stopped");
            await ProbeWhileDown(fronts, stations, cards, run);
            run.OutageUntil = _clock.Elapsed;
            cluster.StartPostgres();
            run.PostgresBackAt = _clock.Elapsed;
            Note($"PostgreSQL started again after {(run.OutageUntil - run.OutageFrom).TotalSeconds:F1} s down");
            run.Windows.Add(new FaultWindow("PostgreSQL down", run.OutageFrom, run.PostgresBackAt + PostgresRecovery));
            // Purchases go on for a while with PostgreSQL back, then the tills stop starting new receipts.
            await Until(run.PostgresBackAt + PostgresRecovery + Aftermath);
        }
        finally
        {
            // Receipts already sent are retried for another 90 s at most.
            tills.GiveUpAt = _clock.Elapsed + TimeSpan.FromSeconds(90);
            stopLoad.Cancel();
        }
        run.LoadStoppedAt = _clock.Elapsed;
        await load;
        var end = _clock.Elapsed;
        Note("load stopped; the last retry finished");

        // ---- the judgement -------------------------------------------------------------------------
        var receipts = burst.Receipts.Concat(tills.Receipts).Concat(run.ProbeReceipts).ToList();
        var ledger = await LedgerJudge.Check(cluster.Database, receipts);
        var released = await HoldReleases.Wait(cluster.Database, ReleaseLateness, killedAt);
        Note($"holds released ({released.Unreleased} left)");
        var balances = await Balances.Check(http, fronts, stations.Values.First(), cards, cluster.Database);
        var membership = await cluster.Membership();
        var metrics = await Scrape(http, cluster.Silos.First(s => !s.HasExited), api1);

        var successes = tills.Answers.Where(a => a.Outcome is "201" or "200").Select(a => a.At).Order().ToList();
        var loadReceipts = tills.Receipts.ToList();
        var baseline = SuccessGaps.Steady(run.Baseline.From, run.Baseline.Until, successes, loadReceipts);
        var gaps = run.Windows
            .Select(w => Judge(w, SuccessGaps.In(w.From, w.Until, successes, loadReceipts, w.From - Settle, end),
                baseline))
            .ToList();
        var steady = SteadyLatency(tills, run);
        run.FirstSuccessAfterPostgresBack = successes.FirstOrDefault(s => s >= run.PostgresBackAt, end)
            - run.PostgresBackAt;
        Note("checked");
        var figures = FaultFigures.Write(run, tills, ledger, released, balances, silo2, membership, baseline, gaps,
            steady);
        output.WriteLine(figures);
        output.WriteLine(_events.ToString());
        var file = Path.Combine(TestPostgres.RepositoryRoot, ".data", "test-results", "chaos-figures.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, figures + "\n" + _events);

        // Nothing acknowledged lost, nothing counted twice, nothing credited that no till sent.
        Assert.Equal(0, ledger.Lost);
        Assert.Equal(0, ledger.Duplicated);
        Assert.Equal(0, ledger.Unknown);
        Assert.Equal(0, ledger.PointsMismatch);
        Assert.Equal(0, ledger.CardsWithSequenceGaps);
        Assert.Equal(ledger.PurchaseRows, ledger.PurchaseOperations);
        Assert.Equal("", ledger.OtherKinds);
        // The tills kept the rate (the open loop does not slow down with the cluster) and every receipt got its answer.
        var expected = run.Rate * (run.LoadStoppedAt - run.LoadStart).TotalSeconds;
        Assert.True(tills.Receipts.Count >= 0.9 * expected,
            $"only {tills.Receipts.Count} purchases were sent, {expected:F0} due");
        Assert.Equal(0, receipts.Count(r => !r.Acknowledged && !run.ProbeReceipts.Contains(r)));
        // Callers saw only what a till retries: 503, 429, timeouts, dropped connections. Never a 500, never a 4xx.
        var refused = tills.Answers.Concat(burst.Answers)
            .Where(a => a.Outcome is not ("201" or "200" or "503" or "429" or "timeout" or "connection")).ToList();
        Assert.True(refused.Count == 0,
            "answers a till cannot retry: "
                + string.Join(", ", refused.GroupBy(a => a.Outcome).Select(g => $"{g.Key} × {g.Count()}")));
        // PostgreSQL down: a quick 503, not a 500, not a hang; never an acknowledgement.
        Assert.NotEmpty(run.Probes);
        Assert.All(run.Probes, p => Assert.Equal("503", p.Outcome));
        Assert.All(run.Probes,
            p => Assert.True(p.Took < UnavailableAnswersWithin,
                $"a request during the outage took {p.Took.TotalSeconds:F1} s"));

        // Every lot has its release in the ledger, with its points, once; in time; by the card's reminder
        // where no later command could have written it. A lot's reminder row is committed with the lot; a race
        // between a release that found nothing more due and a purchase's new lot removed a reminder in about one
        // lot in 6 000 (fixed: the release re-checks after removing it). Tolerated up to one per 10 000 lots,
        // always reported.
        Assert.True(released.Unreleased <= released.Lots / 10_000,
            $"{released.Unreleased} of {released.Lots} lots have no release in the ledger: {released.Timeout}");
        Assert.Equal(0, released.WrongPoints);
        Assert.Equal(0, released.ReleasedTwice);
        Assert.Equal(0, released.WithoutLot);
        Assert.True(released.MaxLateness < ReleaseLateness,
            $"a hold was released {released.MaxLateness.TotalSeconds:F0} s after its time");
        Assert.True(released.ReminderOnlyLots > 0, "no lot was left for reminders alone to release");
        Assert.Equal(released.ReminderOnlyLots, released.ReminderOnlyByReminder);
        Assert.True(released.ByReminderAfterKill > 0, "no hold due after the SIGKILL was released by a reminder");
        // Balances by the API equal the ledger's sums, total and available alike.
        Assert.True(balances.TotalMismatched == 0 && balances.Unanswered == 0
            && balances.AvailableMismatched <= released.Unreleased,
            $"{balances.Disagreeing} cards disagree with the ledger; first: {balances.FirstMismatch}");

        // No stretch without any acknowledgement longer than each fault allows.
        Assert.All(gaps, g => Assert.True(g.SilenceMet, $"after {g.Window.Name}: no till got an acknowledgement for "
            + $"{g.Gap.LongestSilence.TotalSeconds:F1} s (at most {g.SilenceBound?.TotalSeconds:F1} s)"));

        // Graceful scale-in: silo-2 left by itself, cleanly; silo-1 was declared dead by the others.
        Assert.Equal(0, silo2.ExitCode);
        Assert.Equal(2, membership.Count(m => m.Status == "Active"));
        Assert.Equal(2, membership.Count(m => m.Status == "Dead"));
        // What operators watch.
        Assert.Empty(metrics);
    }

    // ---- the run -----------------------------------------------------------------------------------

    /// <summary>
    /// What the cluster serves: <see cref="CapacityTills"/> tills in a closed loop, acknowledged purchases
    /// counted after a warm-up. The fault load runs at half of it.
    /// </summary>
    private async Task<Tills> MeasureCapacity(FaultRun run, Uri[] fronts, Dictionary<string, string> stations,
        List<string> cards)
    {
        var burst = new Tills(fronts, stations, cards, _clock, prefix: "c");
        var from = _clock.Elapsed + CapacityWarmUp;
        await burst.Saturate(CapacityTills, CapacityWarmUp + CapacityMeasured);
        var acknowledged = burst.Receipts.Count(r => r.AcknowledgedAt >= from && r.AcknowledgedAt < from
            + CapacityMeasured);
        run.Capacity = acknowledged / CapacityMeasured.TotalSeconds;
        run.CapacityTills = CapacityTills;
        run.CapacityMeasuredFor = CapacityMeasured;
        run.Rate = Math.Clamp(run.Capacity / 2, MinRate, MaxRate);
        // A diagnostic knob: the same run at a load of one's choosing (a faster machine's half-capacity, say).
        if (double.TryParse(Environment.GetEnvironmentVariable("BPCLUB_CHAOS_RATE"), CultureInfo.InvariantCulture,
            out var forced)) run.Rate = forced;
        return burst;
    }

    /// <summary>Waits for the run's clock to reach <paramref name="at"/> (the schedule is time-based; conditions are
    /// polled).</summary>
    private async Task Until(TimeSpan at)
    {
        var wait = at - _clock.Elapsed;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
    }

    /// <summary>When (on the run's clock) the membership table shows the killed silo Dead.</summary>
    private async Task<TimeSpan> WaitUntilDead(LocalCluster cluster, ServerProcess silo)
    {
        await Poll.Until(cluster.Membership, rows => rows.Any(m => m.Port == silo.SiloPort && m.Status == "Dead"),
            TimeSpan.FromSeconds(120), $"{silo.Name} to be declared dead");
        var at = _clock.Elapsed;
        Note($"{silo.Name} declared dead");
        return at;
    }

    /// <summary>
    /// While PostgreSQL is down: a purchase on each front end in turn, timed; each must come back as a 503
    /// within the bound. Runs for at least <see cref="PostgresDown"/>.
    /// </summary>
    private static async Task ProbeWhileDown(Uri[] fronts, Dictionary<string, string> stations, List<string> cards,
        FaultRun run)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var down = Stopwatch.StartNew();
        var station = stations.First();
        var i = 0;
        while (down.Elapsed < PostgresDown)
        {
            var receipt = new Receipt($"probe{i:D3}", station.Key,
                cards[Random.Shared.Next(cards.Count)]) { Attempts = 1 };
            run.ProbeReceipts.Add(receipt);
            using var request = Setup.Json(HttpMethod.Post, new Uri(fronts[i % fronts.Length], "api/pos/v1/purchases"),
                station.Value, new
            {
                receiptId = receipt.Id, cardNumber = receipt.Card, paymentMethod = "cash",
                lines = new object[] { new { type = "fuel", productCode = "A95", litres = 5m, amount = 275m } },
            });
            var began = Stopwatch.StartNew();
            string outcome;
            try
            {
                using var response = await http.SendAsync(request);
                outcome = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                // acknowledged while the database was down?
                if (response.IsSuccessStatusCode) receipt.PointsEarned = -1;
            }
            catch (TaskCanceledException)
            {
                outcome = "timeout";
            }
            run.Probes.Add((outcome, began.Elapsed));
            i++;
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    // ---- the judgement -----------------------------------------------------------------------------

    /// <summary>The bounds: after a SIGKILL, detection plus 5 s; after a new silo or a SIGTERM, no gap; PostgreSQL
    /// down, none.</summary>
    private static GapJudgement Judge(FaultWindow window, SuccessGap gap, SuccessGap baseline) => window.Name switch
    {
        var n when n.StartsWith("SIGKILL", StringComparison.Ordinal) => new GapJudgement(window, gap, KillBound),
        var n when n.StartsWith("PostgreSQL", StringComparison.Ordinal) => new GapJudgement(window, gap, null),
        _ => new GapJudgement(window, gap, baseline.LongestSilence + NoGapSlack),
    };

    private static SteadyLatency SteadyLatency(Tills tills, FaultRun run)
    {
        var receipts = tills.Receipts
            .Where(r => r.AcknowledgedAt is { } ack && !run.Windows.Any(w => w.Overlaps(r.FirstSentAt, ack)))
            .OrderBy(r => r.AcknowledgedAt!.Value - r.FirstSentAt).ToList();
        var waits = receipts.Select(r => r.AcknowledgedAt!.Value - r.FirstSentAt).ToList();
        var requests = tills.Answers
            .Where(a => a.Outcome is "201" or "200" && !run.Windows.Any(w => w.Overlaps(a.At - a.Took, a.At)))
            .Select(a => a.Took).Order().ToList();
        var slowest = receipts.LastOrDefault();
        return new SteadyLatency(receipts.Count, SuccessGaps.Percentile(waits, 50), SuccessGaps.Percentile(waits, 99),
            waits.LastOrDefault(), requests.Count, SuccessGaps.Percentile(requests, 99),
            slowest is null ? "none"
                : $"{slowest.Id} (sent at {slowest.FirstSentAt.TotalSeconds:F1} s, {slowest.Attempts} attempts)");
    }

    /// <summary>The figures operators watch, on a silo and a front end; returns what is missing.</summary>
    private static async Task<List<string>> Scrape(HttpClient http, ServerProcess silo, ServerProcess front)
    {
        var siloText = await http.GetStringAsync(new Uri(silo.Http, "metrics"));
        var frontText = await http.GetStringAsync(new Uri(front.Management!, "metrics"));
        string[] onSilo = ["bpclub_purchases_recorded_total", "bpclub_points_issued_total",
            "bpclub_reminders_fired_total", "orleans_"];
        string[] onFront = ["http_server_request_duration_seconds_bucket", "orleans_"];
        return [.. onSilo.Where(m => !siloText.Contains(m, StringComparison.Ordinal)).Select(m => $"{silo.Name}: {m}"),
            .. onFront.Where(m => !frontText.Contains(m, StringComparison.Ordinal)).Select(m => $"{front.Name}: {m}")];
    }

    private void Note(string what)
    {
        var line = $"[{_clock.Elapsed.TotalSeconds,6:F1} s] {what}";
        lock (_events) _events.AppendLine(line);
        Console.WriteLine(line);
    }
}
