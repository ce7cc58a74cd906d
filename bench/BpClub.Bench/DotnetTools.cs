using System.Diagnostics;
using System.Globalization;

namespace BpClub.Bench;

/// <summary>One runtime counter over a run: the mean and largest per-second value (a rate is per second).</summary>
public sealed record CounterStat(double Mean, double Max);

/// <summary>dotnet-counters and dotnet-trace (the .NET global tools) run against the processes under test.</summary>
public sealed class DotnetTools(string? folder, string workDir)
{
    private static readonly string Counters = string.Join(',', "cpu-usage", "alloc-rate", "gen-0-gc-count",
        "gen-1-gc-count", "gen-2-gc-count", "time-in-gc", "threadpool-queue-length", "threadpool-thread-count",
        "threadpool-completed-items-count", "monitor-lock-contention-count", "working-set", "gc-heap-size");

    public bool CanCount => Tool("dotnet-counters") is not null;
    public bool CanTrace => Tool("dotnet-trace") is not null;

    /// <summary>Starts dotnet-counters on a process for a while; the task gives each counter's mean and max.</summary>
    public async Task<Func<Task<Dictionary<string, CounterStat>>>> StartCounters(string label, int pid,
        TimeSpan duration)
    {
        if (Tool("dotnet-counters") is not { } tool)
            return () => Task.FromResult(new Dictionary<string, CounterStat>());
        Directory.CreateDirectory(workDir);
        var file = Path.Combine(workDir, $"counters-{label}.csv");
        File.Delete(file);
        var process = Start(tool, "collect", "-p", pid.ToString(CultureInfo.InvariantCulture),
            "--counters", $"System.Runtime[{Counters}]", "--refresh-interval", "1", "--format", "csv", "-o", file,
            "--duration", duration.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        return async () =>
        {
            using var timeout = new CancellationTokenSource(duration + TimeSpan.FromSeconds(30));
            try { await process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { process.Kill(); }
            process.Dispose();
            return File.Exists(file) ? ParseCounters(await File.ReadAllLinesAsync(file)) : [];
        };
    }

    /// <summary>Samples a process's CPU with dotnet-trace for a while; the task gives its top frames.</summary>
    public Func<Task<string>> StartTrace(string label, int pid, TimeSpan duration)
    {
        if (Tool("dotnet-trace") is not { } tool) return () => Task.FromResult("(dotnet-trace not installed)");
        Directory.CreateDirectory(workDir);
        var file = Path.GetFullPath(Path.Combine(workDir, $"trace-{label}.nettrace"));
        File.Delete(file);
        // Kernel CPU samples (perf) with managed frames: on-CPU time only, unlike the thread-time sampler.
        var process = Start(tool, "collect-linux", "-p", pid.ToString(CultureInfo.InvariantCulture),
            "--profile", "cpu-sampling",
            "--duration", duration.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture), "-o", file);
        return async () =>
        {
            var log = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (!File.Exists(file)) return $"(no trace: {log.Trim().Split('\n').LastOrDefault()})";
            return TopFrames(await Run(tool, "report", file, "topN", "-n", "400", "--inclusive"), 35, "inclusive")
                + "\n\n" + TopFrames(await Run(tool, "report", file, "topN", "-n", "400"), 30, "exclusive");
        };
    }

    private static readonly string[] Plumbing = ["vmlinux!", "EventData", "EventName", "(Non-Activities)", "Threads",
        "libc.so.6!", "ld-linux", "libcoreclr.so!?", "system.private.corelib!?", "libclrjit.so!?"];

    /// <summary>
    /// The report's list (inclusive: the frame and what it called; exclusive: the frame's own time) without the kernel, libc, event and unresolved-module frames that head
    /// every stack: what is left is the managed (and named native) frames, as a share of all CPU samples.
    /// </summary>
    private static string TopFrames(string report, int count, string kind)
    {
        var frames = report.Split('\n')
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^\s*\d+\.\s+(.*?)\s{2,}([\d.]+%)"))
            .Where(m => m.Success && !Plumbing.Any(p => m.Groups[1].Value.StartsWith(p, StringComparison.Ordinal)))
            .Take(count)
            .Select(m => $"{m.Groups[2].Value,7}  {m.Groups[1].Value}");
        return $"{kind} share of the process's CPU samples, frame\n" + string.Join('\n', frames);
    }

    private string? Tool(string name)
    {
        if (folder is null) return null;
        var path = Path.Combine(folder, name);
        return File.Exists(path) ? path : null;
    }

    private static Process Start(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    private static async Task<string> Run(string tool, params string[] args)
    {
        using var process = Start(tool, args);
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }

    /// <summary>dotnet-counters' CSV: Timestamp,Provider,Counter Name,Counter Type,Mean/Increment.</summary>
    private static Dictionary<string, CounterStat> ParseCounters(string[] lines)
    {
        var samples = new Dictionary<string, List<double>>();
        foreach (var line in lines.Skip(1))
        {
            var parts = line.Split(',');
            if (parts.Length < 5
                || !double.TryParse(parts[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                continue;
            var name = string.Join(',', parts[2..^2]);
            if (!samples.TryGetValue(name, out var list)) samples[name] = list = [];
            list.Add(value);
        }
        // The first sample covers the session's start-up, not a full second of the run.
        return samples.ToDictionary(s => s.Key, s => s.Value.Count > 2
            ? new CounterStat(s.Value.Skip(1).Average(), s.Value.Skip(1).Max())
            : new CounterStat(s.Value.Average(), s.Value.Max()));
    }
}
