using BpClub.Bench;

// ./bpclub bench runs bench/run.sh, which starts PostgreSQL, a silo, a front end and the baseline on
// the bench's own ports and then this: set-up, pgbench, the scenarios on both services, the report.
// Figures in the report use the invariant culture (a dot for decimals) whatever the machine says.
System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
var options = Options.Parse(args);
using var http = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = int.MaxValue,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    UseCookies = false,
}) { Timeout = TimeSpan.FromSeconds(30) };
var cpu = new ProcessCpu(new Dictionary<string, int>
{
    ["front end"] = options.ApiPid, ["silo"] = options.SiloPid, ["baseline"] = options.BaselinePid,
}, options.PostmasterPid);
await using var bpStats = new PgStats(options.ConnectionString);
await using var blStats = new PgStats(options.BaselineConnectionString);
var bp = new Target("BpClub", new Service(http, options.Url, options.OperatorKey), bpStats,
[
    ("front end", options.ApiPid, new RuntimeMetrics(http, options.ApiMetricsUrl)),
    ("silo", options.SiloPid, new RuntimeMetrics(http, options.SiloMetricsUrl)),
]);
var bl = new Target("baseline", new Service(http, options.BaselineUrl, options.OperatorKey), blStats,
    [("baseline", options.BaselinePid, new RuntimeMetrics(http, null))]);
var tools = new DotnetTools(options.DotnetTools, options.WorkDir);
var report = await new BenchRun(options, bp, bl, new LoadRunner(http, cpu), cpu, tools, http).Run();
var markdown = options.Quick ? Report.QuickMarkdown(options, report) : Report.Markdown(options, report);
Directory.CreateDirectory(options.ResultsDir);
var stamp = (options.Quick ? "quick-" : "")
    + DateTime.UtcNow.ToString("yyyy-MM-dd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
await File.WriteAllTextAsync(Path.Combine(options.ResultsDir, $"{stamp}.md"), markdown);
if (!options.Quick) await File.WriteAllTextAsync(Path.Combine(options.ResultsDir, "latest.md"), markdown);
Console.WriteLine(markdown);
Console.WriteLine($"written: {Path.Combine(options.ResultsDir, $"{stamp}.md")} and latest.md");
