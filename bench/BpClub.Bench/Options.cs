using System.Globalization;

namespace BpClub.Bench;

public sealed record Options
{
    public required string Url { get; init; }
    public required string OperatorKey { get; init; }
    public required string ConnectionString { get; init; }
    public required string Pgbench { get; init; }
    public required int ApiPid { get; init; }
    public required int SiloPid { get; init; }
    public int? PostmasterPid { get; init; }
    public string ResultsDir { get; init; } = "bench/results";
    public string Commit { get; init; } = "";
    /// <summary>Tills (and readers) in every scenario, and pgbench's clients.</summary>
    public int Tills { get; init; } = 32;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(4);
    /// <summary>How long cards are issued for at set-up; the cards issued are the scenarios' card pool.</summary>
    public TimeSpan IssueFor { get; init; } = TimeSpan.FromSeconds(20);
    public int CardGoal { get; init; } = 100_000;
    public int LongHistoryEntries { get; init; } = 100_000;

    public static Options Parse(string[] args)
    {
        var map = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2) map[args[i].TrimStart('-')] = args[i + 1];
        string Need(string k) => map.TryGetValue(k, out var v) ? v : throw new ArgumentException($"--{k} is required");
        int Int(string k, int d) => map.TryGetValue(k, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : d;
        return new Options
        {
            Url = Need("url").TrimEnd('/'),
            OperatorKey = Need("operator-key"),
            ConnectionString = Need("pg"),
            Pgbench = Need("pgbench"),
            ApiPid = int.Parse(Need("api-pid"), CultureInfo.InvariantCulture),
            SiloPid = int.Parse(Need("silo-pid"), CultureInfo.InvariantCulture),
            PostmasterPid = map.TryGetValue("postmaster-pid", out var pm) ? int.Parse(pm, CultureInfo.InvariantCulture) : null,
            ResultsDir = map.GetValueOrDefault("results", "bench/results"),
            Commit = map.GetValueOrDefault("commit", ""),
            Tills = Int("tills", 32),
            Duration = TimeSpan.FromSeconds(Int("seconds", 20)),
            WarmUp = TimeSpan.FromSeconds(Int("warmup", 4)),
            IssueFor = TimeSpan.FromSeconds(Int("issue-seconds", 20)),
            CardGoal = Int("cards", 100_000),
            LongHistoryEntries = Int("long-history", 100_000),
        };
    }
}
