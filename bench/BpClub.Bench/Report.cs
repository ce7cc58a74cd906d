using System.Globalization;
using System.Text;

namespace BpClub.Bench;

/// <summary>The Markdown report: BpClub beside the baseline and pgbench, then where the time goes.</summary>
public static partial class Report
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly string[] Processes = ["front end", "silo", "baseline", "postgres", "bench"];

    public static string Markdown(Options options, BenchReport r)
    {
        var s = new StringBuilder();
        s.AppendLine(Inv, $"# BpClub benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        s.AppendLine();
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        s.AppendLine(Prose($"""
            Commit `{options.Commit}`; {Environment.ProcessorCount} cores, shared with everything else on the machine
            (load average at the end {load}); one PostgreSQL (fsync and synchronous_commit on) serving both services
            from their own databases; BpClub = one silo + one front end; baseline = `bench/BpClub.Baseline`;
            {options.Tills} tills per closed-loop scenario, {options.Duration.TotalSeconds:F0} s each after
            {options.WarmUp.TotalSeconds:F0} s of warm-up, BpClub first and the baseline right after;
            card pool {options.Cards:N0}; whole run {r.Elapsed.TotalSeconds:F0} s.
            """));
        if (options.CardTextIndex)
        {
            s.AppendLine();
            s.AppendLine(Prose("""
                **Diagnostic run (`--card-text-index 1`)**: indexes on `card_number::text` were added to BpClub's
                `card_ledger` and `card_operations`, so that its card lookups (a text parameter against a char(16)
                column) use an index instead of scanning the table. This shows BpClub once that is fixed; it is not
                the product as it is (and the extra indexes cost every insert a little).
                """));
        }
        s.AppendLine();
        s.AppendLine(Inv, $"Rerun: `{options.Rerun}` (about 10 minutes; `bench/README.md` explains every figure).");
        s.AppendLine();
        Targets(s, r);
        Runs(s, r);
        Stream(s, r.Watch);
        WhereTheTimeGoes(s, r);
        Notes(s, options, r);
        return s.ToString();
    }

    private static void Targets(StringBuilder s, BenchReport r)
    {
        var pg = r.Pgbench.Tps;
        s.AppendLine("## Against the targets");
        s.AppendLine();
        s.AppendLine("| scenario | BpClub | baseline | BpClub ÷ baseline | BpClub ÷ pgbench | baseline ÷ pgbench " +
            "| target | met | short by |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|");
        s.AppendLine(Inv, $"| pgbench: single-row INSERT, own transaction | {pg:F0}/s | | | 100 % | | (the limit) " +
            $"| | |");
        foreach (var scenario in new[] { Scenarios.Random, Scenarios.Zipf })
        {
            var (b, l) = (Rate(r.BpClub, scenario), Rate(r.Baseline, scenario));
            var need = Math.Max(1.5 * l, 0.25 * pg);
            Row(s, $"1. {scenario}", b, l, pg, "≥ 1.5× baseline and ≥ 25 % of pgbench", need);
        }
        {
            var (b, l) = (Rate(r.BpClub, Scenarios.Hot), Rate(r.Baseline, Scenarios.Hot));
            Row(s, "2. one hot card", b, l, pg, "≥ 3.5× baseline", 3.5 * l);
        }
        {
            var (b, l) = (Rate(r.BpClub, Scenarios.Reads), Rate(r.Baseline, Scenarios.Reads));
            Row(s, "3. balance reads", b, l, pg, "≥ 2× baseline", 2 * l);
        }
        {
            var (b, l) = (Rate(r.BpClub, Scenarios.Issue), Rate(r.Baseline, Scenarios.Issue));
            Row(s, "4. card issuance (PUT card)", b, l, pg, "≥ 1 000 cards/s", 1000);
        }
        {
            var (b, l) = (Rate(r.BpClub, Scenarios.PromoMax), Rate(r.Baseline, Scenarios.PromoMax));
            Row(s, "5. promotion day (80 % reads, 20 % purchases), max", b, l, pg, "(the 100 % of 5.)", null);
        }
        {
            var (b, l) = (r.BpClub[Scenarios.Promo70].Load, r.Baseline[Scenarios.Promo70].Load);
            var p99 = b.All.Percentile(99);
            s.AppendLine(Inv, $"| 5. … at 70 % of each one's max, open loop: p50 / p99 " +
                $"| {b.All.Percentile(50):F1} / {p99:F1} ms at {b.Throughput:F0}/s " +
                $"| {l.All.Percentile(50):F1} / {l.All.Percentile(99):F1} ms at {l.Throughput:F0}/s " +
                $"| p99 {p99 / l.All.Percentile(99):F2}× | | | p99 ≤ 25 ms | {Yes(p99 <= 25)} " +
                $"| {(p99 <= 25 ? "" : $"{p99 - 25:F0} ms over")} |");
        }
        {
            var b = PurchaseCpu(r.BpClub[Scenarios.Random].Load, "front end", "silo");
            var l = PurchaseCpu(r.Baseline[Scenarios.Random].Load, "baseline");
            var g = PgbenchCpu(r);
            s.AppendLine(Inv, $"| 6. CPU-s per 1 000 purchases (random cards; the service's processes and " +
                $"PostgreSQL) " +
                $"| {b:F2} | {l:F2} | {b / l:F2}× | {b / g:F1}× pgbench's {g:F2} per 1 000 inserts | {l / g:F1}× " +
                $"| below the baseline's | {Yes(b < l)} | {(b < l ? "" : $"{(b / l - 1) * 100:F0} % above")} |");
        }
        s.AppendLine();
    }

    private static void Runs(StringBuilder s, BenchReport r)
    {
        s.AppendLine("## Every run");
        s.AppendLine();
        s.AppendLine("CPU: seconds per 1 000 requests answered, per process (postgres: the postmaster and all its " +
            "backends; bench: the load generator). Others: cores' worth of CPU that everything else on the machine " +
            "(other engineers' builds and tests) used during the run, out of 2.");
        s.AppendLine();
        s.AppendLine("| service: scenario | conc. | req/s | p50 ms | p95 ms | p99 ms | errors " +
            "| CPU s/1k: front end | silo | baseline | postgres | bench | others (cores) |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        var seconds = r.Pgbench.Transactions / r.Pgbench.Tps;
        s.AppendLine(Inv, $"| pgbench: single-row insert | {seconds:F0} s | {r.Pgbench.Tps:F0} " +
            $"| | | | 0 (avg {r.Pgbench.LatencyMs:F2} ms) | | | | {PgbenchCpu(r):F3} | | |");
        foreach (var scenario in Scenarios.All)
            foreach (var runs in new[] { r.BpClub, r.Baseline })
                Line(s, runs[scenario].Load);
        if (r.LongHistory is { } h)
        {
            Line(s, h.Load);
            foreach (var (label, x) in h.Load.Labels.OrderBy(l => l.Key))
                s.AppendLine(Inv, $"| … {label} | | {x.Ok / h.Load.Seconds:F0} | {x.Percentile(50):F1} " +
                    $"| {x.Percentile(95):F1} | {x.Percentile(99):F1} | {x.Errors} | | | | | | |");
        }
        s.AppendLine();
    }

    private static void Stream(StringBuilder s, WatchResult w)
    {
        s.AppendLine("## A live balance kept open through the run");
        s.AppendLine();
        s.AppendLine(Prose("""
            One member's `GET /api/cabinet/v1/balance/events`, opened before the first scenario and read to the end
            of the run, while a till of its own posts a purchase to that member's card every 10 s. Delay: from the
            till's answer to the first event whose total includes the purchase (below 0: the event came first).
            """));
        s.AppendLine();
        s.AppendLine("| open | purchases on the card | arrived on the stream | delay p50 | delay max | reconnects " +
            "| heartbeats | events |");
        s.AppendLine("|---|---|---|---|---|---|---|---|");
        var failed = w.Failed > 0 ? $" ({w.Failed} failed at the till)" : "";
        var longest = w.Reconnects > 0 ? $" (longest connection {w.LongestConnection.TotalSeconds:F0} s)" : "";
        s.AppendLine(Inv, $"| {w.Open.TotalSeconds:F0} s{longest} | {w.Purchases}{failed} | {w.Arrived} " +
            $"| {w.MedianMs:F1} ms | {w.MaxMs:F1} ms | {w.Reconnects} | {w.Heartbeats} | {w.Events} |");
        s.AppendLine();
    }

    private static void Notes(StringBuilder s, Options options, BenchReport r)
    {
        s.AppendLine("## Notes");
        s.AppendLine();
        s.AppendLine(Prose($$"""
            - **Card pool**: {{options.Cards:N0}} cards. Issuing them through BpClub's API would take far longer than
            the run (see scenario 4), so a template card is issued through the API and its issue rows (the "issued"
            ledger entry, the "issue" operation row, the questionnaire: what `CardLedgerStore` writes on issue) are
            copied in SQL to every pool card with its number ({{r.SeedBpClub.TotalSeconds:F1}} s); the baseline's card
            rows are written by COPY ({{r.SeedBaseline.TotalSeconds:F1}} s). Then a CHECKPOINT, so that none falls
            inside a run. No pool card is in memory before the scenarios: each one's first request activates it.
            """));
        s.AppendLine(Prose($$"""
            - **Zipf**: card ranks drawn with P(k) ∝ 1/k^{{options.ZipfS:F1}}, ranks scattered over the pool; the top
            1 % of the cards get {{r.ZipfTopShare * 100:F0}} % of the purchases.
            """));
        s.AppendLine("- **Hot card**: every till posts to one card, each purchase under its own receipt id.");
        s.AppendLine("- **Issuance**: new card numbers through `PUT /api/pos/v1/cards/{n}`, one questionnaire each.");
        s.AppendLine(Prose($$"""
            - **Promotion day**: double points on A95 in force on both services; 80 % balance reads, 20 % purchases of
            random pool cards. The open-loop run sends at 70 % of the rate each service reached in the closed-loop
            run from {{options.Tills * 2}} senders, and counts latency from when each request was due.
            """));
        s.AppendLine(Prose("""
            - **Baseline**: the same HTTP contract (PUT card, POST purchase, GET balance, with a station's X-Api-Key):
            a purchase is one statement (insert the receipt row under a unique (station, receipt id), add its points
            to the card row: one transaction); points = litres × 1 (× the promotion's multiplier) + shop amount / 20,
            rounded down, as BpClub rates the bench's purchases at the first level.
            """));
        var errors = Scenarios.All.SelectMany(sc => new[] { r.BpClub[sc].Load, r.Baseline[sc].Load })
            .Where(x => x.ErrorStatuses.Count > 0)
            .Select(x => $"{x.Name}: " + string.Join(", ",
                x.ErrorStatuses.Select(e => $"{(e.Key == 0 ? "connection" : e.Key.ToString(Inv))} ×{e.Value}")));
        if (string.Join("; ", errors) is { Length: > 0 } list) s.AppendLine($"- Error statuses: {list}.");
    }

    /// <summary>A paragraph written over several source lines, as one Markdown line.</summary>
    private static string Prose(string text) => text.ReplaceLineEndings(" ").Trim();

    private static double Rate(Dictionary<string, Measured> runs, string scenario) => runs[scenario].Load.Throughput;

    private static double PgbenchCpu(BenchReport r) =>
        r.Pgbench.CpuSeconds.GetValueOrDefault("postgres") / Math.Max(1, r.Pgbench.Transactions) * 1000;

    /// <summary>CPU seconds per 1 000 requests of the service's own processes and PostgreSQL.</summary>
    private static double PurchaseCpu(LoadResult run, params string[] processes) =>
        processes.Append("postgres").Sum(run.CpuPerThousand);

    /// <summary>A throughput row; <paramref name="need"/> is the rate that meets the target (null: none).</summary>
    private static void Row(StringBuilder s, string name, double bp, double bl, double pg, string target, double? need)
    {
        var met = need is { } n ? Yes(bp >= n) : "";
        var gap = need is { } m && bp < m ? $"needs {m / bp:F1}× ({m:F0}/s)" : "";
        s.AppendLine(Inv, $"| {name} | {bp:F0}/s | {bl:F0}/s | {bp / bl:F2}× | {bp / pg * 100:F1} % " +
            $"| {bl / pg * 100:F1} % | {target} | {met} | {gap} |");
    }

    private static string Yes(bool met) => met ? "yes" : "**no**";

    private static void Line(StringBuilder s, LoadResult run)
    {
        var all = run.All;
        s.Append(Inv, $"| {run.Name} | {run.Concurrency} | {run.Throughput:F0} | {all.Percentile(50):F1} " +
            $"| {all.Percentile(95):F1} | {all.Percentile(99):F1} | {run.Errors} |");
        foreach (var p in Processes) s.Append(Inv, $" {run.CpuPerThousand(p):F3} |");
        s.AppendLine(Inv, $" {run.OtherCores:F2} |");
    }
}
