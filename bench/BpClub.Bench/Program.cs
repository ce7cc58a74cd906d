using BpClub.Bench;

// ./bpclub bench runs bench/run.sh, which starts PostgreSQL, a silo and a front end on the bench's
// own ports and then this: set-up, the two denominators, the five scenarios, the report.
var options = Options.Parse(args);
using var http = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = int.MaxValue,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    UseCookies = false,
}) { Timeout = TimeSpan.FromSeconds(30) };
var cpu = new ProcessCpu(new Dictionary<string, int> { ["front end"] = options.ApiPid, ["silo"] = options.SiloPid }, options.PostmasterPid);
var bench = new BenchRun(options, new Service(http, options.Url, options.OperatorKey), new LoadRunner(http, cpu), cpu);
var report = await bench.Run();
var markdown = Report.Markdown(options, report);
Directory.CreateDirectory(options.ResultsDir);
var stamp = DateTime.UtcNow.ToString("yyyy-MM-dd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
await File.WriteAllTextAsync(Path.Combine(options.ResultsDir, $"{stamp}.md"), markdown);
await File.WriteAllTextAsync(Path.Combine(options.ResultsDir, "latest.md"), markdown);
Console.WriteLine(markdown);
Console.WriteLine($"written: {Path.Combine(options.ResultsDir, $"{stamp}.md")} and latest.md");
