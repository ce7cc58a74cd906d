using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using BpClub.Testing;
using Xunit.Abstractions;

// The classes here run real clusters of processes: one at a time, or they starve each other on a small machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace BpClub.Cluster.Tests;

/// <summary>
/// Stopping, with real processes: Ctrl-C to `./bpclub up` stops the silo, the front end and then
/// PostgreSQL within the stop budget, whether or not PostgreSQL is still there; a silo given SIGTERM
/// exits within Silo:ShutdownTimeout and a few seconds more, even when the database is gone.
/// </summary>
public sealed partial class ShutdownTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);
    /// <summary>What the silo's own deadline allows past Silo:ShutdownTimeout.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);
    /// <summary>PostgreSQL's fast shutdown after the hosts are gone; generous for a loaded machine.</summary>
    private static readonly TimeSpan PostgresStop = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Ctrl_C_stops_bpclub_up_and_then_postgresql_even_when_started_with_sigint_ignored()
    {
        await using var up = await BpClubUp.Start(output, ShutdownTimeout);
        var stopped = await up.InterruptAndWatch(ShutdownTimeout + Grace + PostgresStop);

        foreach (var (name, after) in stopped.Hosts)
            Assert.True(after <= ShutdownTimeout + Grace, $"{name} stopped {after.TotalSeconds:F1} s after Ctrl-C");
        Assert.True(stopped.Postgres is not null, "PostgreSQL is still running after Ctrl-C");
        Assert.True(stopped.Postgres >= stopped.Hosts.Max(h => h.After),
            "PostgreSQL stopped before a silo or front end had");
    }

    [Fact]
    public async Task Ctrl_C_stops_bpclub_up_within_the_budget_when_postgresql_is_already_gone()
    {
        await using var up = await BpClubUp.Start(output, ShutdownTimeout);
        TestPostgres.RunScript("stop", up.PostgresData);
        // The silo has noticed: it is no longer ready.
        await Poll.Until(up.SiloReady, ready => !ready, TimeSpan.FromSeconds(60),
            "the silo to notice PostgreSQL is gone");

        var stopped = await up.InterruptAndWatch(ShutdownTimeout + Grace + PostgresStop);
        foreach (var (name, after) in stopped.Hosts)
            Assert.True(after <= ShutdownTimeout + Grace, $"{name} stopped {after.TotalSeconds:F1} s after Ctrl-C");
        Assert.True(stopped.Group, "something of ./bpclub up is still running");
    }

    [Fact]
    public async Task A_silo_given_sigterm_exits_within_its_budget_when_postgresql_is_gone()
    {
        await using var cluster = await LocalCluster.Start(new Dictionary<string, string>
        {
            ["Silo__ShutdownTimeout"] = ShutdownTimeout.ToString("c", CultureInfo.InvariantCulture),
        });
        var silo = cluster.StartSilo();
        await LocalCluster.WaitReady(silo, TimeSpan.FromSeconds(120));
        cluster.StopPostgres();
        using var http = new HttpClient { BaseAddress = silo.Http, Timeout = TimeSpan.FromSeconds(5) };
        await Poll.Until(async () => await Ready(http), ready => !ready, TimeSpan.FromSeconds(60),
            "the silo to notice PostgreSQL is gone");

        silo.Terminate();
        var exited = await silo.WaitForExit(ShutdownTimeout + Grace + TimeSpan.FromSeconds(10));
        output.WriteLine($"silo exited {silo.StopDuration.TotalSeconds:F1} s after SIGTERM "
            + $"(exit code {(exited ? silo.ExitCode : -1)})");
        Assert.True(exited,
            $"the silo still runs {silo.StopDuration.TotalSeconds:F0} s after SIGTERM:\n{silo.LogTail()}");
        Assert.True(silo.StopDuration <= ShutdownTimeout + Grace,
            $"the silo took {silo.StopDuration.TotalSeconds:F1} s to exit");
    }

    private static async Task<bool> Ready(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync("health/ready");
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private sealed record Stopped(IReadOnlyList<(string Name, TimeSpan After)> Hosts, TimeSpan? Postgres, bool Group);

    /// <summary>
    /// `./bpclub up` in a session of its own (its process group is what a terminal's Ctrl-C reaches),
    /// started the way a script's background job is: with SIGINT ignored, which bash cannot trap.
    /// </summary>
    private sealed class BpClubUp : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly string _directory;
        private readonly int _siloHttpPort;

        private BpClubUp(Process process, string directory, int siloHttpPort)
        {
            _process = process;
            _directory = directory;
            _siloHttpPort = siloHttpPort;
            process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string PostgresData => Path.Combine(_directory, "pg");

        private string Output { get { lock (_output) return _output.ToString(); } }

        public static async Task<BpClubUp> Start(ITestOutputHelper output, TimeSpan shutdownTimeout)
        {
            var directory = Path.Combine(Path.GetTempPath(), $"bpclub-up-{Guid.NewGuid():N}"[..24]);
            Directory.CreateDirectory(directory);
            var offset = FreeSiloPorts();
            var start = new ProcessStartInfo("bash")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                WorkingDirectory = TestPostgres.RepositoryRoot,
            };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("trap '' INT; exec setsid \"$0\" up");
            start.ArgumentList.Add(Path.Combine(TestPostgres.RepositoryRoot, "bpclub"));
            foreach (var inherited in start.Environment.Keys.Where(k
                => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
                         || k.StartsWith("Cluster__", StringComparison.Ordinal)
                             || k.StartsWith("BPCLUB_", StringComparison.Ordinal)
                         || k.StartsWith("Silo__", StringComparison.Ordinal) || k is "ASPNETCORE_URLS").ToList())
                start.Environment.Remove(inherited);
            start.Environment["BPCLUB_DATA"] = directory;
            start.Environment["BPCLUB_NO_BUILD"] = "1"; // the test run built everything
            start.Environment["BPCLUB_PG_PORT"] = ServerProcess.FreePort().ToString(CultureInfo.InvariantCulture);
            start.Environment["BPCLUB_URLS"] = $"http://127.0.0.1:{ServerProcess.FreePort()}";
            start.Environment["BPCLUB_PORT_OFFSET"] = offset.ToString(CultureInfo.InvariantCulture);
            start.Environment["BPCLUB_OPERATOR_KEY"] = LocalCluster.OperatorKey;
            start.Environment["Silo__ShutdownTimeout"] = shutdownTimeout.ToString("c", CultureInfo.InvariantCulture);
            start.Environment["Cluster__ClusterId"] = "up-" + Guid.NewGuid().ToString("N")[..8];
            var up = new BpClubUp(Process.Start(start)!, directory, 9100 + offset + 1);
            var ready = Stopwatch.StartNew();
            await Poll.Until(() => Task.FromResult(up.Output),
                text => text.Contains("BpClub is ready", StringComparison.Ordinal)
                || up._process.HasExited, TimeSpan.FromSeconds(180), "./bpclub up to be ready");
            Assert.False(up._process.HasExited, $"./bpclub up exited:\n{up.Output}");
            output.WriteLine($"./bpclub up ready after {ready.Elapsed.TotalSeconds:F0} s (pid {up._process.Id})");
            return up;
        }

        public async Task<bool> SiloReady()
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_siloHttpPort}/"),
                Timeout = TimeSpan.FromSeconds(5) };
            return await Ready(http);
        }

        /// <summary>SIGINT to the process group, then when each host and PostgreSQL were gone.</summary>
        public async Task<Stopped> InterruptAndWatch(TimeSpan timeout)
        {
            var group = _process.Id; // setsid kept the pid: it leads its own group
            var hosts = GroupMembers(group).Where(p => p.Command.Contains("BpClub.", StringComparison.Ordinal))
                .ToList();
            Assert.True(hosts.Count >= 2,
                $"expected a silo and a front end in the group, found: {string.Join(", ", hosts)}");
            var postmaster = PostmasterPid();
            Assert.Equal(0, SendSignal(-group, SigInt));

            var clock = Stopwatch.StartNew();
            var gone = new Dictionary<int, TimeSpan>();
            TimeSpan? postgresGone = postmaster is null ? TimeSpan.Zero : null;
            while (clock.Elapsed < timeout)
            {
                foreach (var host in hosts.Where(h => !gone.ContainsKey(h.Pid) && !Alive(h.Pid))) gone[host.Pid] =
                    clock.Elapsed;
                if (postgresGone is null && !Alive(postmaster!.Value)) postgresGone = clock.Elapsed;
                if (gone.Count == hosts.Count && postgresGone is not null && GroupMembers(group).Count == 0) break;
                await Task.Delay(100);
            }
            var stopped = new Stopped(
                hosts.Select(h => (Name(h.Command), gone.TryGetValue(h.Pid, out var at) ? at : clock.Elapsed)).ToList(),
                postgresGone, GroupMembers(group).Count == 0);
            return stopped;
        }

        private int? PostmasterPid()
        {
            var file = Path.Combine(PostgresData, "postmaster.pid");
            return File.Exists(file) && int.TryParse(File.ReadLines(file).First(), out var pid) ? pid : null;
        }

        private static string Name(string command) => command.Contains("Silo", StringComparison.Ordinal) ? "the silo"
            : "the front end";

        /// <summary>Running processes of a process group (zombies count as gone).</summary>
        private static List<(int Pid, string Command)> GroupMembers(int group)
        {
            var members = new List<(int, string)>();
            foreach (var dir in Directory.GetDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    if (fields[0] == "Z" || int.Parse(fields[2], CultureInfo.InvariantCulture) != group) continue;
                    members.Add((pid, File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ')));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* gone meanwhile */ }
            }
            return members;
        }

        private static bool Alive(int pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        }

        /// <summary>An offset for ./bpclub up's silo ports (11111, 30000, 9101 plus it) where all three are
        /// free.</summary>
        private static int FreeSiloPorts()
        {
            for (var attempt = 0; attempt < 50; attempt++)
            {
                var offset = Random.Shared.Next(1000, 9000);
                if (new[] { 11111, 30000, 9101 }.All(p => PortFree(p + offset))) return offset;
            }
            throw new InvalidOperationException("no free ports for ./bpclub up's silo");
        }

        private static bool PortFree(int port)
        {
            try
            {
                using var listener = new TcpListener(System.Net.IPAddress.Loopback, port);
                listener.Start();
                return true;
            }
            catch (SocketException) { return false; }
        }

        public async ValueTask DisposeAsync()
        {
            // A failed test must not leave processes or a database behind.
            foreach (var (pid, _) in GroupMembers(_process.Id)) SendSignal(pid, 9);
            using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            {
                try { await _process.WaitForExitAsync(wait.Token); }
                catch (OperationCanceledException) { /* killed above; reported by the assertions */ }
            }
            try { TestPostgres.RunScript("destroy", PostgresData); }
            catch (InvalidOperationException) { /* reported by the assertions already */ }
            try
            {
                var keep = Path.Combine(TestPostgres.RepositoryRoot, ".data", "test-results", "bpclub-up-output.txt");
                Directory.CreateDirectory(Path.GetDirectoryName(keep)!);
                await File.AppendAllTextAsync(keep, Output);
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException) { }
            _process.Dispose();
        }
    }

    private const int SigInt = 2;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
