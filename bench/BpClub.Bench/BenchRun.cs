using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace BpClub.Bench;

public sealed class BenchReport
{
    public required LoadResult Live { get; init; }
    public required PgbenchResult Pgbench { get; init; }
    public required LoadResult Issue { get; init; }
    public required int CardsIssued { get; init; }
    public required int UnissuedPurchaseStatus { get; init; }
    public required LoadResult Purchases { get; init; }
    public required LoadResult PurchasesAt70 { get; init; }
    public required LoadResult HotCard { get; init; }
    public required LoadResult Balances { get; init; }
    public required LoadResult PromotionDay { get; init; }
    public required LoadResult LongHistory { get; init; }
    public required long LongHistoryEntries { get; init; }
    public required TimeSpan LongHistoryActivation { get; init; }
    public required TimeSpan Elapsed { get; init; }
}

public sealed record PgbenchResult(double Tps, double LatencyMs, Dictionary<string, double> CpuSeconds, long Transactions);

/// <summary>Set-up, denominators, scenarios — in that order, in one run, on one service.</summary>
public sealed class BenchRun(Options options, Service service, LoadRunner load, ProcessCpu cpu)
{
    public async Task<BenchReport> Run()
    {
        var clock = Stopwatch.StartNew();
        var d = options.Duration;
        var w = options.WarmUp;
        await service.CreateStation();
        Log("station created");

        // Denominator 1: the trivial endpoint under the same load tool and concurrency.
        var live = await load.Run("GET /health/live", options.Tills, d, _ => service.Live(), w);
        Log($"live: {live.Throughput:F0}/s");
        // Denominator 2: PostgreSQL's own durable single-row insert rate, same concurrency.
        var pgbench = await RunPgbench();
        Log($"pgbench: {pgbench.Tps:F0} tps");

        // A purchase on a card never issued is refused (404), so every card used is issued first:
        // as many as the set-up's time allows, which also warms the silo and the database.
        var unissued = await service.Send(service.Purchase(Service.Card(99_999_999), service.Receipt("unissued", 0)));
        var issue = await load.Run("issue cards", 64, options.IssueFor, i => i < options.CardGoal ? service.Issue(Service.Card(i)) : service.Live());
        var cards = (int)Math.Min(options.CardGoal, issue.Labels.GetValueOrDefault("issue")?.Ok + issue.Labels.GetValueOrDefault("issue")?.Errors ?? 0);
        Log($"issued {cards} cards ({issue.Errors} errors)");

        // Long history: the long card's ledger is seeded, then its grain activates once (timed).
        var template = Service.Card(90_000_001);
        var longCard = Service.Card(90_000_002);
        var fresh = Service.Card(90_000_003);
        var hot = Service.Card(90_000_004);
        foreach (var c in new[] { template, fresh, hot }) await Expect(201, service.Issue(c));
        var templateReceipt = "tmpl" + service.Receipt("seed", 0);
        await Expect(201, service.Purchase(template, templateReceipt, DateTimeOffset.UtcNow.AddDays(-20)));
        var seeded = await LongHistory.Seed(options.ConnectionString, template, templateReceipt, longCard, options.LongHistoryEntries);
        var activation = Stopwatch.StartNew();
        await Expect(200, service.Balance(longCard));
        activation.Stop();
        Log($"long card: {seeded} entries, first read {activation.ElapsedMilliseconds} ms");

        var random = new ThreadLocal<Random>(() => new Random(Environment.CurrentManagedThreadId));
        string AnyCard() => Service.Card(random.Value!.Next(cards));

        var purchases = await load.Run("POS purchases", options.Tills, d, i => service.Purchase(AnyCard(), service.Receipt("pos", i)), w);
        Log($"purchases: {purchases.Throughput:F0}/s");
        var rate = purchases.Throughput * 0.7;
        var at70 = await load.Run($"POS purchases at 70 % of peak ({rate:F0}/s, open loop)", options.Tills * 2, d,
            i => service.Purchase(AnyCard(), service.Receipt("pos70", i)), TimeSpan.Zero, rate);
        Log($"purchases at 70 %: p99 {at70.All.Percentile(99):F1} ms");

        var hotCard = await load.Run("hot card", options.Tills, d, i => service.Purchase(hot, service.Receipt("hot", i)), w);
        Log($"hot card: {hotCard.Throughput:F0}/s");

        var balances = await load.Run("balance reads", options.Tills, d, _ => service.Balance(AnyCard()), w);
        Log($"balances: {balances.Throughput:F0}/s");

        await service.StartPromotion("bench-promotion-day");
        await Task.Delay(TimeSpan.FromSeconds(6)); // tills see a promotion within 5 s
        var promotion = await load.Run("promotion day", options.Tills, d,
            i => i % 5 == 0 ? service.Purchase(AnyCard(), service.Receipt("promo", i)) : service.Balance(AnyCard()), w);
        Log($"promotion day: {promotion.Throughput:F0}/s");

        // Both cards at once, the same number of tills each, so that both see the same machine.
        var history = await load.Run("long history", 8, d, i => i % 2 == 0
            ? service.Purchase(longCard, service.Receipt("long", i)) with { Label = "long" }
            : service.Purchase(fresh, service.Receipt("fresh", i)) with { Label = "fresh" }, w);
        Log($"long history: p50 {history.Labels["long"].Percentile(50):F1} ms vs {history.Labels["fresh"].Percentile(50):F1} ms");

        return new BenchReport
        {
            Live = live, Pgbench = pgbench, Issue = issue, CardsIssued = cards, UnissuedPurchaseStatus = unissued,
            Purchases = purchases, PurchasesAt70 = at70, HotCard = hotCard, Balances = balances, PromotionDay = promotion,
            LongHistory = history, LongHistoryEntries = seeded, LongHistoryActivation = activation.Elapsed, Elapsed = clock.Elapsed,
        };
    }

    private async Task Expect(int status, Call call)
    {
        var got = await service.Send(call);
        if (got != status) throw new InvalidOperationException($"{call.Label}: expected {status}, got {got}");
    }

    private async Task<PgbenchResult> RunPgbench()
    {
        var b = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        await using (var db = NpgsqlDataSource.Create(options.ConnectionString))
        await using (var create = db.CreateCommand("drop table if exists bench_scratch; create table bench_scratch (id bigserial primary key, till int not null, at timestamptz not null default now(), note text not null)"))
            await create.ExecuteNonQueryAsync();
        var script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script, "insert into bench_scratch (till, note) values (:client_id, 'a purchase-sized row');\n");
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
        var before = cpu.Sample();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var spent = ProcessCpu.Delta(before, cpu.Sample());
        File.Delete(script);
        var text = await stdout;
        if (process.ExitCode != 0) throw new InvalidOperationException($"pgbench failed: {text} {await stderr}");
        double Find(string prefix) => text.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal))
            .Select(l => double.Parse(l[prefix.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)).First();
        return new PgbenchResult(Find("tps = "), Find("latency average = "), spent, (long)Find("number of transactions actually processed: "));
    }

    private static void Log(string line) => Console.Error.WriteLine($"[bench {DateTime.UtcNow:HH:mm:ss}] {line}");
}
