using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace BpClub.Bench;

/// <summary>One service under test: its HTTP API, its database's statistics and its processes.</summary>
public sealed record Target(string Name, Service Service, PgStats Pg,
    IReadOnlyList<(string Process, int Pid, RuntimeMetrics Metrics)> Processes);

/// <summary>A timed run with what the database and the runtimes counted during it.</summary>
public sealed class Measured
{
    public required LoadResult Load { get; init; }
    public PgCounters? Database { get; set; }
    public IReadOnlyList<StatementStat> Statements { get; set; } = [];
    /// <summary>Per process: the change of each /metrics value over the run.</summary>
    public Dictionary<string, Dictionary<string, double>> Runtime { get; } = [];
    /// <summary>Per process: dotnet-counters' per-second means and maxima over the run.</summary>
    public Dictionary<string, Dictionary<string, CounterStat>> Counters { get; } = [];
    public double Requests => Load.Ok + Load.Errors;
}

public static class Scenarios
{
    public const string Random = "accrual, random cards";
    public const string Zipf = "accrual, Zipf-skewed cards";
    public const string Hot = "accrual, one hot card";
    public const string Reads = "balance reads, random cards";
    public const string Issue = "card issuance";
    public const string PromoMax = "promotion day, closed loop (max)";
    public const string Promo70 = "promotion day at 70 % of max, open loop";
    public static readonly string[] All = [Random, Zipf, Hot, Reads, Issue, PromoMax, Promo70];
}

public sealed class BenchReport
{
    public required PgbenchResult Pgbench { get; init; }
    public required Dictionary<string, Measured> BpClub { get; init; }
    public required Dictionary<string, Measured> Baseline { get; init; }
    public required TimeSpan SeedBpClub { get; init; }
    public required TimeSpan SeedBaseline { get; init; }
    public required double ZipfTopShare { get; init; }
    public required Dictionary<string, string> Profiles { get; init; }
    /// <summary>Cores each process used over 5 s with no load.</summary>
    public required Dictionary<string, double> IdleCores { get; init; }
    public Measured? LongHistory { get; init; }
    public long LongHistoryEntries { get; init; }
    public TimeSpan LongHistoryActivation { get; init; }
    public required TimeSpan Elapsed { get; init; }
    public required WatchResult Watch { get; init; }
}

public sealed record PgbenchResult(double Tps, double LatencyMs, Dictionary<string, double> CpuSeconds,
    long Transactions, PgCounters Database);

/// <summary>Set-up, pgbench, then every scenario on BpClub and right after on the baseline, then the profile.</summary>
public sealed class BenchRun(Options options, Target bp, Target bl, LoadRunner load, ProcessCpu cpu, DotnetTools tools,
    HttpClient http)
{
    private const string Station = Service.StationId;

    public async Task<BenchReport> Run()
    {
        var clock = Stopwatch.StartNew();
        var d = options.Duration;
        var w = options.WarmUp;
        foreach (var t in new[] { bp, bl })
        {
            await t.Service.CreateStation();
            await t.Pg.Prepare();
        }
        Log($"stations created; pg_stat_statements {(bp.Pg.StatementsAvailable ? "on" : "off")}");

        if (options.CardTextIndex) await CardPool.AddCardTextIndexes(options.ConnectionString);
        var pgbench = await RunPgbench();
        Log($"pgbench: {pgbench.Tps:F0} tps");

        // The pool: a template card issued through BpClub's API, copied in SQL; the baseline's by COPY.
        var template = Service.Card(90_000_001);
        var hot = Service.Card(90_000_004);
        await Expect(bp, 201, bp.Service.Issue(template));
        foreach (var t in new[] { bp, bl }) await Expect(t, 201, t.Service.Issue(hot));
        var seedBp = await CardPool.SeedBpClub(options.ConnectionString, template, options.Cards);
        var seedBl = await CardPool.SeedBaseline(options.BaselineConnectionString, Station, options.Cards);
        foreach (var t in new[] { bp, bl }) await Expect(t, 200, t.Service.Balance(Service.Card(options.Cards - 1)));
        Log($"pool of {options.Cards} cards seeded: BpClub {seedBp.TotalSeconds:F1} s, " +
            $"baseline {seedBl.TotalSeconds:F1} s");
        await bp.Pg.Checkpoint();
        // What each process burns with no request at all: part of every per-request figure at low rates.
        var idleBefore = cpu.Sample();
        await Task.Delay(TimeSpan.FromSeconds(5));
        var idle = ProcessCpu.Delta(idleBefore, cpu.Sample()).ToDictionary(p => p.Key, p => p.Value / 5);
        Log("idle CPU (cores): " + string.Join(", ", idle.Select(p => $"{p.Key} {p.Value:F3}")));

        var zipf = new Zipf(options.Cards, options.ZipfS);
        string AnyCard() => Service.Card(System.Random.Shared.Next(options.Cards));
        string SkewedCard() => Service.Card(zipf.Next(System.Random.Shared));
        var results = new Dictionary<Target, Dictionary<string, Measured>> { [bp] = [], [bl] = [] };
        async Task Both(string scenario, Func<Target, Task<Measured>> run)
        {
            foreach (var t in new[] { bp, bl })
            {
                var m = results[t][scenario] = await run(t);
                Log($"{t.Name,-8} {scenario}: {m.Load.Throughput:F0}/s, p50 {m.Load.All.Percentile(50):F1} ms, " +
                    $"p99 {m.Load.All.Percentile(99):F1} ms, {m.Load.Errors} errors");
            }
        }

        // One member's live balance stays open from here to the end, through every scenario (issue 11).
        var watch = await BalanceWatch.Start(bp.Service, http, Service.Card(90_000_021), options.SmsOutbox);
        Log("watched member's balance stream open");

        var tills = options.Tills;
        // The hosts' JIT: a freshly started .NET process needs tens of seconds of load before its code reaches the
        // last tier (measured: a front end spent 2.5 CPU-ms per purchase in its first 20 s, 0.5 after 40 s), and the
        // first scenario measured its warm-up. So first a run of every kind of request each service will see, on
        // cards of their own (new cards issued, then a purchase and a balance read each, and the hot card), counted
        // nowhere; no card of the pool is touched.
        if (options.JitWarmUp > TimeSpan.Zero)
            foreach (var t in new[] { bp, bl })
            {
                long warmCards = 0;
                await load.Run($"{t.Name}: JIT warm-up", tills, options.JitWarmUp, i => (i % 4) switch
                {
                    0 => t.Service.Issue(Service.Card(20_000_000 + Interlocked.Increment(ref warmCards))),
                    1 => t.Service.Purchase(Service.Card(20_000_000 + Math.Max(1, warmCards)),
                        t.Service.Receipt("warm", i)),
                    2 => t.Service.Balance(Service.Card(20_000_000 + Math.Max(1, warmCards))),
                    _ => t.Service.Purchase(hot, t.Service.Receipt("warm-hot", i)),
                });
                Log($"{t.Name} JIT warm-up: {options.JitWarmUp.TotalSeconds:F0} s");
            }
        await Both(Scenarios.Random, t => Measure(t, Scenarios.Random, tills,
            i => t.Service.Purchase(AnyCard(), t.Service.Receipt("rnd", i)), w, statements: true, counters: true));
        if (options.Quick)
        {
            var quickProfiles = await Profile(AnyCard);
            return new BenchReport
            {
                Pgbench = pgbench, BpClub = results[bp], Baseline = results[bl], SeedBpClub = seedBp,
                SeedBaseline = seedBl, ZipfTopShare = 0, Profiles = quickProfiles, IdleCores = idle, LongHistory = null,
                LongHistoryEntries = 0, LongHistoryActivation = TimeSpan.Zero, Elapsed = clock.Elapsed,
                Watch = await watch.Stop(),
            };
        }
        await Both(Scenarios.Zipf, t => Measure(t, Scenarios.Zipf, tills,
            i => t.Service.Purchase(SkewedCard(), t.Service.Receipt("zipf", i)), w));
        await Both(Scenarios.Hot, t => Measure(t, Scenarios.Hot, tills,
            i => t.Service.Purchase(hot, t.Service.Receipt("hot", i)), w));
        await Both(Scenarios.Reads, t => Measure(t, Scenarios.Reads, tills, _ => t.Service.Balance(AnyCard()), w));
        await Both(Scenarios.Issue, t =>
        {
            long issued = 0;
            return Measure(t, Scenarios.Issue, tills,
                _ => t.Service.Issue(Service.Card(10_000_000 + Interlocked.Increment(ref issued))), w,
                statements: true);
        });

        // Promotion day: double points on A95 in force (tills see a change within 5 s), 80 % reads, 20 % purchases.
        foreach (var t in new[] { bp, bl }) await t.Service.StartPromotion("bench-promotion-day");
        await Task.Delay(TimeSpan.FromSeconds(6));
        Func<long, Call> Mix(Target t) => i => i % 5 == 0
            ? t.Service.Purchase(AnyCard(), t.Service.Receipt("promo", i))
            : t.Service.Balance(AnyCard());
        await Both(Scenarios.PromoMax, t => Measure(t, Scenarios.PromoMax, tills, Mix(t), w));
        await Both(Scenarios.Promo70, t => Measure(t, Scenarios.Promo70, tills * 2, Mix(t), TimeSpan.Zero,
            rate: results[t][Scenarios.PromoMax].Load.Throughput * 0.7));

        var profiles = await Profile(AnyCard);
        var (longHistory, entries, activation) =
            options.LongHistoryEntries > 0 ? await LongHistoryRun() : (null, 0L, TimeSpan.Zero);
        var watched = await watch.Stop();
        Log($"balance stream: {watched.Arrived} of {watched.Purchases} purchases arrived, " +
            $"median {watched.MedianMs:F1} ms, max {watched.MaxMs:F1} ms, {watched.Reconnects} reconnects");

        return new BenchReport
        {
            Pgbench = pgbench, BpClub = results[bp], Baseline = results[bl], SeedBpClub = seedBp, SeedBaseline = seedBl,
            ZipfTopShare = zipf.ShareOfTop(0.01), Profiles = profiles, IdleCores = idle, LongHistory = longHistory,
            LongHistoryEntries = entries, LongHistoryActivation = activation, Elapsed = clock.Elapsed,
            Watch = watched,
        };
    }

    private async Task<Measured> Measure(Target t, string name, int concurrency, Func<long, Call> next, TimeSpan warmUp,
        double? rate = null, bool statements = false, bool counters = false)
    {
        PgCounters? before = null, after = null;
        IReadOnlyList<StatementStat> statementStats = [];
        var runtimeBefore = new Dictionary<string, Dictionary<string, double>>();
        var runtimeDelta = new Dictionary<string, Dictionary<string, double>>();
        var counterStops = new List<(string Process, Func<Task<Dictionary<string, CounterStat>>> Stop)>();
        var counterStats = new Dictionary<string, Dictionary<string, CounterStat>>();
        var result = await load.Run($"{t.Name}: {name}", concurrency, options.Duration, next, warmUp, rate, async () =>
        {
            if (statements) await t.Pg.ResetStatements();
            before = await t.Pg.Sample();
            foreach (var p in t.Processes) runtimeBefore[p.Process] = await p.Metrics.Sample();
            if (counters && tools.CanCount)
                foreach (var p in t.Processes)
                {
                    var label = $"{t.Name}-{p.Process}".Replace(' ', '-');
                    counterStops.Add((p.Process, await tools.StartCounters(label, p.Pid, options.Duration)));
                }
            return async () =>
            {
                after = await t.Pg.Sample();
                if (statements) statementStats = await t.Pg.Statements();
                foreach (var p in t.Processes)
                    runtimeDelta[p.Process] = RuntimeMetrics.Delta(runtimeBefore[p.Process], await p.Metrics.Sample());
                foreach (var (process, stop) in counterStops) counterStats[process] = await stop();
            };
        });
        var measured = new Measured { Load = result, Database = after! - before!, Statements = statementStats };
        foreach (var (k, v) in runtimeDelta) measured.Runtime[k] = v;
        foreach (var (k, v) in counterStats) measured.Counters[k] = v;
        return measured;
    }

    /// <summary>A further random-accrual run on BpClub, not counted, while dotnet-trace samples its hosts.</summary>
    private async Task<Dictionary<string, string>> Profile(Func<string> anyCard)
    {
        var profiles = new Dictionary<string, string>();
        if (options.ProfileSeconds <= 0 || !tools.CanTrace) return profiles;
        var seconds = TimeSpan.FromSeconds(options.ProfileSeconds);
        var traces = bp.Processes
            .Select(p => (p.Process, Stop: tools.StartTrace(p.Process.Replace(' ', '-'), p.Pid, seconds)))
            .ToList();
        // dotnet-trace attaches in about a second; the load outlasts the trace.
        await load.Run("profile pass", options.Tills, seconds + TimeSpan.FromSeconds(4),
            i => bp.Service.Purchase(anyCard(), bp.Service.Receipt("prof", i)), TimeSpan.Zero);
        foreach (var (process, stop) in traces) profiles[process] = await stop();
        Log("profile pass done");
        return profiles;
    }

    private async Task<(Measured, long, TimeSpan)> LongHistoryRun()
    {
        var template = Service.Card(90_000_011);
        var longCard = Service.Card(90_000_012);
        var fresh = Service.Card(90_000_013);
        foreach (var c in new[] { template, fresh }) await Expect(bp, 201, bp.Service.Issue(c));
        var templateReceipt = "tmpl" + bp.Service.Receipt("seed", 0);
        await Expect(bp, 201, bp.Service.Purchase(template, templateReceipt, DateTimeOffset.UtcNow.AddDays(-20)));
        var seeded = await LongHistory.Seed(options.ConnectionString, template, templateReceipt, longCard,
            options.LongHistoryEntries);
        var activation = Stopwatch.StartNew();
        await Expect(bp, 200, bp.Service.Balance(longCard));
        activation.Stop();
        Log($"long card: {seeded} entries, first read {activation.ElapsedMilliseconds} ms");
        // Both cards at once, the same number of tills each, so that both see the same machine.
        var run = await Measure(bp, "long history", 8, i => i % 2 == 0
            ? bp.Service.Purchase(longCard, bp.Service.Receipt("long", i)) with { Label = "long" }
            : bp.Service.Purchase(fresh, bp.Service.Receipt("fresh", i)) with { Label = "fresh" }, options.WarmUp);
        return (run, seeded, activation.Elapsed);
    }

    private static async Task Expect(Target t, int status, Call call)
    {
        var got = await t.Service.Send(call);
        if (got != status) throw new InvalidOperationException($"{t.Name} {call.Label}: expected {status}, got {got}");
    }

    private async Task<PgbenchResult> RunPgbench()
    {
        var b = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        await using (var db = NpgsqlDataSource.Create(options.ConnectionString))
        await using (var create = db.CreateCommand("""
            drop table if exists bench_scratch;
            create table bench_scratch (id bigserial primary key, till int not null,
                                        at timestamptz not null default now(), note text not null)
            """))
            await create.ExecuteNonQueryAsync();
        var script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script,
            "insert into bench_scratch (till, note) values (:client_id, 'a purchase-sized row');\n");
        var start = new ProcessStartInfo(options.Pgbench)
        {
            ArgumentList =
            {
                "-n", "-c", options.Tills.ToString(CultureInfo.InvariantCulture), "-j", "2",
                "-T", ((int)options.Duration.TotalSeconds).ToString(CultureInfo.InvariantCulture), "-f", script,
                "-h", b.Host!, "-p", b.Port.ToString(CultureInfo.InvariantCulture), "-U", b.Username!, b.Database!,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var pgBefore = await bp.Pg.Sample();
        var before = cpu.Sample();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var spent = ProcessCpu.Delta(before, cpu.Sample());
        var pgDelta = await bp.Pg.Sample() - pgBefore;
        File.Delete(script);
        var text = await stdout;
        if (process.ExitCode != 0) throw new InvalidOperationException($"pgbench failed: {text} {await stderr}");
        double Find(string prefix) => text.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal))
            .Select(l => double.Parse(l[prefix.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture))
            .DefaultIfEmpty(double.NaN).First();
        var transactions = Find("number of transactions actually processed: ");
        if (double.IsNaN(transactions)) throw new InvalidOperationException($"pgbench said: {text} {await stderr}");
        var tps = Find("tps = ") is var t && !double.IsNaN(t) ? t : transactions / options.Duration.TotalSeconds;
        return new PgbenchResult(tps, Find("latency average = "), spent, (long)transactions, pgDelta);
    }

    private static void Log(string line) => Console.Error.WriteLine($"[bench {DateTime.UtcNow:HH:mm:ss}] {line}");
}
