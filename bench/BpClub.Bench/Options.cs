using System.Globalization;

namespace BpClub.Bench;

public sealed record Options
{
    public required string Url { get; init; }
    public required string BaselineUrl { get; init; }
    public required string OperatorKey { get; init; }
    public required string ConnectionString { get; init; }
    public required string BaselineConnectionString { get; init; }
    public required string Pgbench { get; init; }
    public required int ApiPid { get; init; }
    public required int SiloPid { get; init; }
    public required int BaselinePid { get; init; }
    public int? PostmasterPid { get; init; }
    /// <summary>The silo's and the front end's Prometheus endpoints (runtime and Orleans meters).</summary>
    public string? SiloMetricsUrl { get; init; }
    public string? ApiMetricsUrl { get; init; }
    /// <summary>Folder holding dotnet-counters and dotnet-trace; without them those figures are left out.</summary>
    public string? DotnetTools { get; init; }
    public string ResultsDir { get; init; } = "bench/results";
    /// <summary>Where traces and counter files go (large; not committed).</summary>
    public string WorkDir { get; init; } = ".data/bench";
    /// <summary>The development SMS gateway's file, where the watched member's registration code arrives.</summary>
    public string SmsOutbox { get; init; } = ".data/bench/sms-outbox.jsonl";
    public string Commit { get; init; } = "";
    public string Rerun { get; init; } = "./bpclub bench";
    /// <summary>Tills (and readers) in every closed-loop scenario, and pgbench's clients.</summary>
    public int Tills { get; init; } = 32;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>Seconds of load on each service before the first scenario, measured nowhere: the hosts' JIT.</summary>
    public TimeSpan JitWarmUp { get; init; } = TimeSpan.FromSeconds(40);
    /// <summary>Issued cards the accrual, read and promotion scenarios pick from.</summary>
    public int Cards { get; init; } = 200_000;
    /// <summary>Zipf exponent of the skewed accrual scenario.</summary>
    public double ZipfS { get; init; } = 1.0;
    /// <summary>Seconds of the profiling pass (dotnet-trace), after the measured scenarios; 0 skips it.</summary>
    public int ProfileSeconds { get; init; } = 12;
    /// <summary>
    /// Diagnostic only: indexes on card_number::text in BpClub's database, so that its card lookups (a
    /// text parameter against a char(16) column, which no plain index serves) stop scanning whole tables.
    /// Shows what BpClub costs once that is fixed; the product as it is runs without it.
    /// </summary>
    public bool CardTextIndex { get; init; }
    /// <summary>
    /// Diagnostic only (<c>--quick 1</c>): pgbench, random accrual on both services and the profile pass, reported
    /// to results/quick-*.md (latest.md is left alone): a couple of minutes to see what a change did.
    /// </summary>
    public bool Quick { get; init; }
    /// <summary>Ledger entries of the long-history card; 0 (the default) skips that scenario.</summary>
    public int LongHistoryEntries { get; init; }

    private static readonly string[] Known =
    [
        "url", "baseline-url", "operator-key", "pg", "baseline-pg", "pgbench", "api-pid", "silo-pid", "baseline-pid",
        "postmaster-pid", "silo-metrics", "api-metrics", "dotnet-tools", "results", "work", "sms-outbox", "commit", "rerun",
        "tills", "seconds", "warmup", "jit-warmup", "cards", "zipf", "profile-seconds", "long-history",
        "card-text-index", "quick",
    ];

    public static Options Parse(string[] args)
    {
        var map = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2) map[args[i].TrimStart('-')] = args[i + 1];
        string Need(string k) => map.TryGetValue(k, out var v) ? v : throw new ArgumentException($"--{k} is required");
        int Int(string k, int d) => map.TryGetValue(k, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : d;
        int? Pid(string k) => map.TryGetValue(k, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : null;
        // A misspelt option (--duration for --seconds) would otherwise run the whole bench on defaults.
        if (map.Keys.Except(Known).ToList() is { Count: > 0 } unknown)
            throw new ArgumentException($"unknown option(s): {string.Join(", ", unknown.Select(k => "--" + k))}; "
                + $"known: {string.Join(", ", Known.Select(k => "--" + k))}");
        return new Options
        {
            Url = Need("url").TrimEnd('/'),
            BaselineUrl = Need("baseline-url").TrimEnd('/'),
            OperatorKey = Need("operator-key"),
            ConnectionString = Need("pg"),
            BaselineConnectionString = Need("baseline-pg"),
            Pgbench = Need("pgbench"),
            ApiPid = Pid("api-pid") ?? throw new ArgumentException("--api-pid is required"),
            SiloPid = Pid("silo-pid") ?? throw new ArgumentException("--silo-pid is required"),
            BaselinePid = Pid("baseline-pid") ?? throw new ArgumentException("--baseline-pid is required"),
            PostmasterPid = Pid("postmaster-pid"),
            SiloMetricsUrl = map.GetValueOrDefault("silo-metrics"),
            ApiMetricsUrl = map.GetValueOrDefault("api-metrics"),
            DotnetTools = map.GetValueOrDefault("dotnet-tools"),
            ResultsDir = map.GetValueOrDefault("results", "bench/results"),
            WorkDir = map.GetValueOrDefault("work", ".data/bench"),
            SmsOutbox = map.GetValueOrDefault("sms-outbox", ".data/bench/sms-outbox.jsonl"),
            Commit = map.GetValueOrDefault("commit", ""),
            Rerun = map.GetValueOrDefault("rerun", "./bpclub bench"),
            Tills = Int("tills", 32),
            Duration = TimeSpan.FromSeconds(Int("seconds", 15)),
            WarmUp = TimeSpan.FromSeconds(Int("warmup", 3)),
            JitWarmUp = TimeSpan.FromSeconds(Int("jit-warmup", 40)),
            Cards = Int("cards", 200_000),
            ZipfS = map.TryGetValue("zipf", out var z) ? double.Parse(z, CultureInfo.InvariantCulture) : 1.0,
            ProfileSeconds = Int("profile-seconds", 12),
            LongHistoryEntries = Int("long-history", 0),
            CardTextIndex = Int("card-text-index", 0) == 1,
            Quick = Int("quick", 0) == 1,
        };
    }
}
