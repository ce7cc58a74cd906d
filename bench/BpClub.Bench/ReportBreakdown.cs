using System.Text;

namespace BpClub.Bench;

// "Where the time goes": CPU per process, what PostgreSQL did per request, the statements, the runtimes, the profiles.
public static partial class Report
{
    /// <summary>What <c>--quick 1</c> measured: random accrual on both, its CPU and statements, the profiles.</summary>
    public static string QuickMarkdown(Options options, BenchReport r)
    {
        var s = new StringBuilder();
        s.AppendLine(Inv, $"# BpClub quick benchmark (random accrual only) — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        s.AppendLine();
        s.AppendLine(Inv, $"Commit `{options.Commit}`; load average at the end " +
            $"{File.ReadAllText("/proc/loadavg").Split(' ')[0]}; pool {options.Cards:N0} cards; " +
            $"{options.Tills} tills, {options.Duration.TotalSeconds:F0} s. pgbench: {r.Pgbench.Tps:F0}/s.");
        s.AppendLine();
        s.AppendLine("| service: scenario | conc. | req/s | p50 ms | p95 ms | p99 ms | errors " +
            "| CPU s/1k: front end | silo | baseline | postgres | bench | others (cores) |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var runs in new[] { r.BpClub, r.Baseline }) Line(s, runs[Scenarios.Random].Load);
        s.AppendLine();
        CpuPerProcess(s, r, r.BpClub[Scenarios.Random], r.Baseline[Scenarios.Random]);
        Statements(s, $"BpClub: {Scenarios.Random}", r.BpClub[Scenarios.Random]);
        Profiles(s, r);
        return s.ToString();
    }

    private static void WhereTheTimeGoes(StringBuilder s, BenchReport r)
    {
        var bpRun = r.BpClub[Scenarios.Random];
        var blRun = r.Baseline[Scenarios.Random];
        s.AppendLine("## Where the time goes");
        s.AppendLine();
        CpuPerProcess(s, r, bpRun, blRun);
        Database(s, r);
        foreach (var (title, runs) in new[] { ("BpClub", r.BpClub), ("baseline", r.Baseline) })
            foreach (var scenario in new[] { Scenarios.Random, Scenarios.Issue })
                Statements(s, $"{title}: {scenario}", runs[scenario]);
        Runtime(s, r);
        Counters(s, bpRun, blRun);
        Profiles(s, r);
    }

    private static void Profiles(StringBuilder s, BenchReport r)
    {
        if (r.Profiles.Count == 0) return;
        s.AppendLine("### CPU profile of a further random-accrual run (dotnet-trace collect-linux, cpu-sampling)");
        s.AppendLine();
        foreach (var (process, text) in r.Profiles)
        {
            s.AppendLine(Inv, $"<details><summary>{process}</summary>");
            s.AppendLine();
            s.AppendLine("```");
            s.AppendLine(text.Trim());
            s.AppendLine("```");
            s.AppendLine("</details>");
            s.AppendLine();
        }
    }

    private static void CpuPerProcess(StringBuilder s, BenchReport r, Measured bpRun, Measured blRun)
    {
        s.AppendLine("### CPU-seconds per 1 000 purchases (random cards)");
        s.AppendLine();
        s.AppendLine("| process | BpClub | baseline | pgbench (per 1 000 inserts) | idle (cores) " +
            "| idle's part of the figure |");
        s.AppendLine("|---|---|---|---|---|---|");
        foreach (var p in new[] { "front end", "silo", "baseline", "postgres" })
        {
            var idle = r.IdleCores.GetValueOrDefault(p);
            // The idle burn of a process, spread over the requests of its own service's run.
            var rate = p == "baseline" ? blRun.Load.Throughput : bpRun.Load.Throughput;
            var part = p == "postgres" ? "" : (idle / rate * 1000).ToString("F3", Inv);
            s.AppendLine(Inv, $"| {p} | {Cpu(bpRun, p)} | {Cpu(blRun, p)} " +
                $"| {(p == "postgres" ? PgbenchCpu(r).ToString("F3", Inv) : "")} | {idle:F3} | {part} |");
        }
        s.AppendLine(Inv, $"| **all of the service** | **{PurchaseCpu(bpRun.Load, "front end", "silo"):F3}** " +
            $"| **{PurchaseCpu(blRun.Load, "baseline"):F3}** | **{PgbenchCpu(r):F3}** | | |");
        s.AppendLine(Inv, $"| load generator (not the service's) | {bpRun.Load.CpuPerThousand("bench"):F3} " +
            $"| {blRun.Load.CpuPerThousand("bench"):F3} | | {r.IdleCores.GetValueOrDefault("bench"):F3} | |");
        s.AppendLine();
        var machine = r.IdleCores.GetValueOrDefault(ProcessCpu.Machine);
        s.AppendLine(Inv, $"Idle: cores each process used over 5 s with no request at all (the whole machine: " +
            $"{machine:F2} cores busy then); its part of the figure is what that alone adds per 1 000 requests at " +
            $"the rate its service reached.");
        s.AppendLine();
    }

    private static string Cpu(Measured run, string process) =>
        run.Load.CpuSeconds.GetValueOrDefault(process) > 0.005
            ? run.Load.CpuPerThousand(process).ToString("F3", Inv)
            : "";

    private static void Database(StringBuilder s, BenchReport r)
    {
        s.AppendLine("### PostgreSQL per request (pg_stat_database of the service's database; pg_stat_wal and " +
            "pg_stat_bgwriter of the server)");
        s.AppendLine();
        s.AppendLine("| service: scenario | commits | rollbacks | rows inserted | updated | deleted | fetched " +
            "| returned | WAL records | WAL bytes | WAL fsyncs | checkpoints in the run |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        PgLine(s, "pgbench insert", r.Pgbench.Database, r.Pgbench.Transactions);
        foreach (var scenario in Scenarios.All)
            foreach (var runs in new[] { r.BpClub, r.Baseline })
                if (runs[scenario].Database is { } db) PgLine(s, runs[scenario].Load.Name, db, runs[scenario].Requests);
        s.AppendLine();
        s.AppendLine("Commits count every transaction, a lone statement's included. WAL fsyncs per request below 1 " +
            "mean commits shared a flush (PostgreSQL's own group commit); pgbench's line is what one durable row " +
            "costs.");
        s.AppendLine();
    }

    private static void PgLine(StringBuilder s, string name, PgCounters d, double requests)
    {
        string Per(long v)
        {
            var per = v / Math.Max(1, requests);
            return per.ToString(per >= 100 ? "F0" : "F2", Inv);
        }
        s.AppendLine(Inv, $"| {name} | {Per(d.Commits)} | {Per(d.Rollbacks)} | {Per(d.Inserted)} | {Per(d.Updated)} " +
            $"| {Per(d.Deleted)} | {Per(d.Fetched)} | {Per(d.Returned)} | {Per(d.WalRecords)} | {Per(d.WalBytes)} " +
            $"| {Per(d.WalSyncs)} | {d.Checkpoints} |");
    }

    private static void Statements(StringBuilder s, string title, Measured run)
    {
        if (run.Statements.Count == 0) return;
        var total = run.Statements.Sum(x => x.TotalMs);
        s.AppendLine(Inv, $"### Statements, {title} (pg_stat_statements, {run.Requests:F0} requests)");
        s.AppendLine();
        s.AppendLine("| statement | calls per request | rows per call | mean ms | share of the time in statements |");
        s.AppendLine("|---|---|---|---|---|");
        foreach (var st in run.Statements)
        {
            var query = (st.Query.Length > 110 ? st.Query[..110] + "…" : st.Query).Replace("|", "\\|");
            s.AppendLine(Inv, $"| `{query}` | {st.Calls / Math.Max(1, run.Requests):F2} " +
                $"| {(double)st.Rows / Math.Max(1, st.Calls):F2} | {st.MeanMs:F3} " +
                $"| {st.TotalMs / Math.Max(1e-9, total) * 100:F0} % |");
        }
        s.AppendLine();
    }

    /// <summary>BpClub's runtimes per request in every scenario: the change of their /metrics over the run.</summary>
    private static void Runtime(StringBuilder s, BenchReport r)
    {
        if (r.BpClub[Scenarios.Random].Runtime.Values.All(v => v.Count == 0)) return;
        s.AppendLine("### BpClub's .NET runtimes per request (their /metrics: the System.Runtime and Orleans meters)");
        s.AppendLine();
        s.AppendLine("| scenario: process | KB allocated per request | GCs gen0 / gen1 / gen2 per 1 000 " +
            "| GC pause ms per 1 000 | lock contentions per 1 000 | card activations per request |");
        s.AppendLine("|---|---|---|---|---|---|");
        foreach (var scenario in Scenarios.All)
        {
            var run = r.BpClub[scenario];
            foreach (var (process, m) in run.Runtime)
            {
                if (m.Count == 0)
                {
                    s.AppendLine(Inv, $"| {scenario}: {process} | (its /metrics did not answer) | | | | |");
                    continue;
                }
                double Per(string k, double scale) => m.GetValueOrDefault(k) / Math.Max(1, run.Requests) * scale;
                const string gcs = "dotnet_gc_collections_total|";
                var activations = process == "silo"
                    ? Per("orleans_catalog_activation_created_total", 1).ToString("F2", Inv)
                    : "";
                s.AppendLine(Inv, $"| {scenario}: {process} " +
                    $"| {Per("dotnet_gc_heap_total_allocated_bytes_total", 1 / 1024.0):F1} " +
                    $"| {Per(gcs + "gen0", 1000):F2} / {Per(gcs + "gen1", 1000):F2} / {Per(gcs + "gen2", 1000):F2} " +
                    $"| {Per("dotnet_gc_pause_time_seconds_total", 1e6):F1} " +
                    $"| {Per("dotnet_monitor_lock_contentions_total", 1000):F1} | {activations} |");
            }
        }
        var silo = r.BpClub[Scenarios.Random].Runtime.GetValueOrDefault("silo");
        if (silo is not null && silo.GetValueOrDefault("orleans_catalog_activations") is > 100 and var active)
        {
            var heap = silo.GetValueOrDefault("dotnet_gc_last_collection_heap_size_bytes");
            s.AppendLine();
            s.AppendLine(Inv, $"Activation memory (rough: the change of the silo's heap after its last GC over the " +
                $"change of its activations during the random run): {active:F0} more activations, " +
                $"{heap / 1024 / 1024:F1} MB more heap, about **{heap / active / 1024:F1} KB per active card**.");
        }
        s.AppendLine();
    }

    /// <summary>dotnet-counters during the random-accrual run: per-second means and maxima.</summary>
    private static void Counters(StringBuilder s, Measured bp, Measured bl)
    {
        var all = bp.Counters.Concat(bl.Counters).Where(c => c.Value.Count > 0).ToList();
        if (all.Count == 0) return;
        s.AppendLine("### dotnet-counters during the random-accrual runs (per second: mean / max)");
        s.AppendLine();
        s.AppendLine("| process | CPU % | allocated MB/s | KB per request | thread-pool queue | threads " +
            "| work items/s | lock contentions/s | time in GC % | gen0 GCs/s | working set MB |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (process, c) in all)
        {
            var throughput = (bp.Counters.ContainsKey(process) ? bp : bl).Load.Throughput;
            CounterStat? Find(string prefix) =>
                c.FirstOrDefault(x => x.Key.StartsWith(prefix, StringComparison.Ordinal)).Value;
            string Get(string prefix, double scale = 1, string format = "F1") => Find(prefix) is { } stat
                ? $"{(stat.Mean * scale).ToString(format, Inv)} / {(stat.Max * scale).ToString(format, Inv)}"
                : "";
            var perRequest = Find("Allocation Rate") is { } alloc
                ? (alloc.Mean / throughput / 1024).ToString("F1", Inv)
                : "";
            s.AppendLine(Inv, $"| {process} | {Get("CPU Usage")} | {Get("Allocation Rate", 1e-6)} | {perRequest} " +
                $"| {Get("ThreadPool Queue Length")} | {Get("ThreadPool Thread Count", 1, "F0")} " +
                $"| {Get("ThreadPool Completed Work Item Count", 1, "F0")} | {Get("Monitor Lock Contention Count")} " +
                $"| {Get("% Time in GC")} | {Get("Gen 0 GC Count")} | {Get("Working Set")} |");
        }
        s.AppendLine();
    }
}
