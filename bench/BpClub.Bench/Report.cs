using System.Globalization;
using System.Text;

namespace BpClub.Bench;

/// <summary>The Markdown report: each scenario against its denominator and the issue's target.</summary>
public static class Report
{
    private static readonly string[] Processes = ["front end", "silo", "postgres", "bench"];

    public static string Markdown(Options options, BenchReport r)
    {
        var pg = r.Pgbench.Tps;
        var live = r.Live.Throughput;
        var p99at70 = r.PurchasesAt70.All.Percentile(99);
        var longP50 = r.LongHistory.Labels["long"].Percentile(50);
        var freshP50 = r.LongHistory.Labels["fresh"].Percentile(50);
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"# BpClub benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Commit `{options.Commit}`; {Environment.ProcessorCount} cores (shared); load average at the end {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; " +
            $"one silo, one front end, PostgreSQL with fsync and synchronous_commit on; {options.Tills} tills/readers; {options.Duration.TotalSeconds:F0} s per scenario after {options.WarmUp.TotalSeconds:F0} s of warm-up; whole run {r.Elapsed.TotalSeconds:F0} s.");
        s.AppendLine();
        s.AppendLine("## Against the targets");
        s.AppendLine();
        s.AppendLine("| scenario | measured | denominator | ratio | target | met |");
        s.AppendLine("|---|---|---|---|---|---|");
        Row(s, "1. POS purchases", $"{r.Purchases.Throughput:F0}/s", $"pgbench {pg:F0}/s", r.Purchases.Throughput / pg, "≥ 25 %", r.Purchases.Throughput / pg >= 0.25);
        s.AppendLine(CultureInfo.InvariantCulture, $"| 1. … p99 at 70 % of peak | {p99at70:F1} ms at {r.PurchasesAt70.Throughput:F0}/s | | | ≤ 25 ms | {Yes(p99at70 <= 25)} |");
        Row(s, "2. hot card", $"{r.HotCard.Throughput:F0}/s", $"pgbench {pg:F0}/s", r.HotCard.Throughput / pg, "≥ 20 %", r.HotCard.Throughput / pg >= 0.20);
        Row(s, "3. balance reads", $"{r.Balances.Throughput:F0}/s", $"/health/live {live:F0}/s", r.Balances.Throughput / live, "≥ 50 %", r.Balances.Throughput / live >= 0.5);
        Row(s, "4. promotion day (80 % reads, 20 % purchases)", $"{r.PromotionDay.Throughput:F0}/s", $"/health/live {live:F0}/s", r.PromotionDay.Throughput / live, "(none)", null);
        s.AppendLine(CultureInfo.InvariantCulture, $"| 5. long history: p50 long / fresh | {longP50:F1} / {freshP50:F1} ms | | {longP50 / freshP50:F2}× | ≤ 1.2× | {Yes(longP50 / freshP50 <= 1.2)} |");
        s.AppendLine();
        s.AppendLine("## Every run");
        s.AppendLine();
        s.AppendLine("CPU: seconds of CPU per 1 000 requests, per process (PostgreSQL: the postmaster and all its backends; bench: the load generator).");
        s.AppendLine();
        s.AppendLine("| run | conc. | req/s | p50 ms | p95 ms | p99 ms | errors | CPU s/1k: front end | silo | postgres | bench |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        s.AppendLine(CultureInfo.InvariantCulture, $"| pgbench: single-row insert, own transaction | {options.Tills} | {pg:F0} | | | | 0 (avg {r.Pgbench.LatencyMs:F2} ms) | | | {r.Pgbench.CpuSeconds.GetValueOrDefault("postgres") / Math.Max(1, r.Pgbench.Transactions) * 1000:F3} | |");
        foreach (var run in new[] { r.Live, r.Issue, r.Purchases, r.PurchasesAt70, r.HotCard, r.Balances, r.PromotionDay, r.LongHistory })
        {
            Line(s, run.Name, run, run.All);
            if (run.Labels.Count > 1)
                foreach (var (label, stats) in run.Labels.OrderBy(l => l.Key))
                    s.AppendLine(CultureInfo.InvariantCulture, $"| … {label} | | {stats.Ok / run.Seconds:F0} | {stats.Percentile(50):F1} | {stats.Percentile(95):F1} | {stats.Percentile(99):F1} | {stats.Errors} | | | | |");
        }
        s.AppendLine();
        s.AppendLine("## Notes");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"- Cards: a purchase on a card never issued is refused (HTTP {r.UnissuedPurchaseStatus}), so every card is issued through the API first, for {options.IssueFor.TotalSeconds:F0} s at set-up: **{r.CardsIssued:N0} cards** (goal {options.CardGoal:N0}). Scenarios 1, 3 and 4 pick uniformly among them.");
        s.AppendLine("- Balance reads use `GET /api/pos/v1/cards/{n}/balance` with a station key: the cabinet's `GET /api/cabinet/v1/balance` asks the same card grain the same question but needs a member token per card (registration by SMS code, rate limited per IP).");
        s.AppendLine("- Hot card: every till posts to one card; each purchase has its own receipt id.");
        s.AppendLine(CultureInfo.InvariantCulture, $"- Long history: the long card holds **{r.LongHistoryEntries:N0} ledger entries**, copies (own receipt ids and sequence numbers) of one real backdated purchase made through the API; its grain activated from the ledger in {r.LongHistoryActivation.TotalMilliseconds:F0} ms. Purchases on it and on a fresh card run at the same time, 4 tills each.");
        s.AppendLine("- 70 % of peak: an open-loop run at 0.7 × scenario 1's rate; latency counts from when each request was due.");
        s.AppendLine("- Promotion day: double points on A95 fuel for every station, active from before the run.");
        if (AllErrors(r) is { Length: > 0 } errors) s.AppendLine($"- Error statuses: {errors}.");
        return s.ToString();
    }

    private static string AllErrors(BenchReport r) => string.Join("; ",
        new[] { r.Live, r.Issue, r.Purchases, r.PurchasesAt70, r.HotCard, r.Balances, r.PromotionDay, r.LongHistory }
            .Where(x => x.ErrorStatuses.Count > 0)
            .Select(x => $"{x.Name}: " + string.Join(", ", x.ErrorStatuses.Select(e => $"{(e.Key == 0 ? "connection" : e.Key.ToString(CultureInfo.InvariantCulture))} ×{e.Value}"))));

    private static void Row(StringBuilder s, string name, string measured, string denominator, double ratio, string target, bool? met) =>
        s.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {measured} | {denominator} | {ratio * 100:F1} % | {target} | {(met is { } m ? Yes(m) : "")} |");

    private static string Yes(bool met) => met ? "yes" : "**no**";

    private static void Line(StringBuilder s, string name, LoadResult run, LabelStats all)
    {
        s.Append(CultureInfo.InvariantCulture, $"| {name} | {run.Concurrency} | {run.Throughput:F0} | {all.Percentile(50):F1} | {all.Percentile(95):F1} | {all.Percentile(99):F1} | {run.Errors} |");
        foreach (var p in Processes) s.Append(CultureInfo.InvariantCulture, $" {run.CpuPerThousand(p):F3} |");
        s.AppendLine();
    }
}
