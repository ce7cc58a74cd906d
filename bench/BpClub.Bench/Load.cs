using System.Diagnostics;
using System.Net;

namespace BpClub.Bench;

/// <summary>One request a till or a member sends: built fresh for every call, with a label for mixed loads.</summary>
public sealed record Call(string Label, HttpRequestMessage Request);

/// <summary>What a timed run measured: successes, failures, latencies of the successes, CPU per process.</summary>
public sealed class LoadResult
{
    public required string Name { get; init; }
    public required double Seconds { get; init; }
    public required int Concurrency { get; init; }
    public Dictionary<string, LabelStats> Labels { get; } = [];
    public Dictionary<string, double> CpuSeconds { get; set; } = [];
    public Dictionary<int, long> ErrorStatuses { get; } = [];

    public long Ok => Labels.Values.Sum(l => l.Ok);
    public long Errors => Labels.Values.Sum(l => l.Errors);
    public double Throughput => Ok / Seconds;
    public LabelStats All => LabelStats.Merge(Labels.Values);

    /// <summary>Cores' worth of CPU that processes other than ours (services, PostgreSQL, bench) used.</summary>
    public double OtherCores => (CpuSeconds.GetValueOrDefault(ProcessCpu.Machine)
        - CpuSeconds.Where(c => c.Key != ProcessCpu.Machine).Sum(c => c.Value)) / Seconds;

    /// <summary>CPU seconds a process spent per 1 000 requests answered (ok or not).</summary>
    public double CpuPerThousand(string process) =>
        CpuSeconds.GetValueOrDefault(process) / Math.Max(1, Ok + Errors) * 1000;
}

public sealed class LabelStats
{
    private readonly List<double> _ms = [];
    public long Ok { get; private set; }
    public long Errors { get; private set; }

    public void Record(double ms, bool ok)
    {
        if (ok) { Ok++; _ms.Add(ms); }
        else Errors++;
    }

    public double Percentile(double p)
    {
        if (_ms.Count == 0) return double.NaN;
        _ms.Sort();
        return _ms[Math.Clamp((int)Math.Ceiling(p / 100 * _ms.Count) - 1, 0, _ms.Count - 1)];
    }

    public static LabelStats Merge(IEnumerable<LabelStats> parts)
    {
        var all = new LabelStats();
        foreach (var p in parts) { all._ms.AddRange(p._ms); all.Ok += p.Ok; all.Errors += p.Errors; }
        return all;
    }
}

/// <summary>
/// Closed loop: <c>concurrency</c> workers each send, wait for the answer, send again. Open loop
/// (a fixed rate): requests are due on a schedule and their latency counts from when they were due,
/// so a stalled server is not hidden by the generator waiting for it (coordinated omission).
/// </summary>
public sealed class LoadRunner(HttpClient http, ProcessCpu cpu)
{
    /// <summary>
    /// A warm-up (not recorded), then the timed run; <paramref name="probe"/> is called between the two
    /// and what it returns right after the timed run, to measure that run alone.
    /// </summary>
    public async Task<LoadResult> Run(string name, int concurrency, TimeSpan duration, Func<long, Call> next,
        TimeSpan? warmUp = null, double? ratePerSecond = null, Func<Task<Func<Task>>>? probe = null)
    {
        if (warmUp is { } w && w > TimeSpan.Zero)
            await Drive(concurrency, w, next, ratePerSecond, record: null);
        var result = new LoadResult { Name = name, Seconds = duration.TotalSeconds, Concurrency = concurrency };
        var stopProbe = probe is null ? null : await probe();
        var before = cpu.Sample();
        var clock = Stopwatch.StartNew();
        await Drive(concurrency, duration, next, ratePerSecond, (label, ms, status) =>
        {
            lock (result)
            {
                if (!result.Labels.TryGetValue(label, out var stats)) result.Labels[label] = stats = new LabelStats();
                var ok = status is >= 200 and < 300;
                stats.Record(ms, ok);
                if (!ok) result.ErrorStatuses[status] = result.ErrorStatuses.GetValueOrDefault(status) + 1;
            }
        });
        result.CpuSeconds = ProcessCpu.Delta(before, cpu.Sample());
        if (stopProbe is not null) await stopProbe();
        return new LoadResult
            {
                Name = name, Seconds = clock.Elapsed.TotalSeconds, Concurrency = concurrency,
                CpuSeconds = result.CpuSeconds,
            }
            .With(result);
    }

    private async Task Drive(int concurrency, TimeSpan duration, Func<long, Call> next, double? rate,
        Action<string, double, int>? record)
    {
        var clock = Stopwatch.StartNew();
        long counter = -1;
        async Task Worker()
        {
            while (true)
            {
                var i = Interlocked.Increment(ref counter);
                double dueMs;
                if (rate is { } r)
                {
                    dueMs = i * 1000.0 / r;
                    var wait = dueMs - clock.Elapsed.TotalMilliseconds;
                    if (dueMs > duration.TotalMilliseconds) return;
                    if (wait > 1) await Task.Delay(TimeSpan.FromMilliseconds(wait));
                }
                else
                {
                    if (clock.Elapsed >= duration) return;
                    dueMs = clock.Elapsed.TotalMilliseconds;
                }
                var call = next(i);
                int status;
                try
                {
                    using var response = await http.SendAsync(call.Request, HttpCompletionOption.ResponseContentRead);
                    status = (int)response.StatusCode;
                }
                catch (HttpRequestException) { status = 0; }
                catch (TaskCanceledException) { status = (int)HttpStatusCode.RequestTimeout; }
                finally { call.Request.Dispose(); }
                record?.Invoke(call.Label, clock.Elapsed.TotalMilliseconds - dueMs, status);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker)));
    }
}

internal static class LoadResultCopy
{
    public static LoadResult With(this LoadResult target, LoadResult source)
    {
        foreach (var (k, v) in source.Labels) target.Labels[k] = v;
        foreach (var (k, v) in source.ErrorStatuses) target.ErrorStatuses[k] = v;
        return target;
    }
}
