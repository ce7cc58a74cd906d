using System.Globalization;

namespace BpClub.Bench;

/// <summary>
/// CPU time of the processes under test from /proc: utime+stime of each, and for PostgreSQL the
/// postmaster with its live backends plus what finished backends left in its cutime/cstime.
/// </summary>
public sealed class ProcessCpu(IReadOnlyDictionary<string, int> processes, int? postmaster)
{
    private static readonly double TicksPerSecond = 100.0; // USER_HZ on Linux

    public IReadOnlyList<string> Names =>
        [.. processes.Keys, .. postmaster is null ? Array.Empty<string>() : ["postgres"], "bench"];

    public Dictionary<string, double> Sample()
    {
        var seconds = new Dictionary<string, double>();
        foreach (var (name, pid) in processes) seconds[name] = Ticks(pid, children: false) / TicksPerSecond;
        if (postmaster is { } pm)
        {
            long total = Ticks(pm, children: true);
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == pm) continue;
                if (Stat(pid) is { } f && f.Length > 1 && f[1] == pm.ToString(CultureInfo.InvariantCulture))
                    total += Ticks(pid, children: false);
            }
            seconds["postgres"] = total / TicksPerSecond;
        }
        seconds["bench"] = Ticks(Environment.ProcessId, children: false) / TicksPerSecond;
        seconds[Machine] = MachineBusyTicks() / TicksPerSecond;
        return seconds;
    }

    public static Dictionary<string, double> Delta(Dictionary<string, double> before,
        Dictionary<string, double> after) =>
        after.ToDictionary(a => a.Key, a => a.Value - before.GetValueOrDefault(a.Key));

    /// <summary>Busy CPU time of the whole machine: less the processes above, what everything else used.</summary>
    public const string Machine = "machine";

    private static long MachineBusyTicks()
    {
        // /proc/stat "cpu  user nice system idle iowait irq softirq steal ...": all but idle and iowait are busy.
        var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long F(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
        return F(1) + F(2) + F(3) + F(6) + F(7) + F(8);
    }

    private static long Ticks(int pid, bool children)
    {
        var f = Stat(pid);
        if (f is null || f.Length < 15) return 0;
        long Field(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
        // proc(5) field n is at n-3: utime (14), stime (15), cutime (16), cstime (17).
        return Field(11) + Field(12) + (children ? Field(13) + Field(14) : 0);
    }

    /// <summary>The fields after "(comm)": index 0 is the state, 1 the parent pid, ...</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var rest = text[(text.LastIndexOf(')') + 2)..];
            return rest.Split(' ');
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
