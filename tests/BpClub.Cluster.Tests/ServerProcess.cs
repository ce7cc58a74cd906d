using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using BpClub.Testing;

namespace BpClub.Cluster.Tests;

/// <summary>
/// A silo or a front end as a real process (<c>dotnet BpClub.Silo.dll</c> / <c>BpClub.Api.dll</c> from their
/// own build output), its output in a log file, stopped with a real SIGKILL or SIGTERM.
/// </summary>
public sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _sinceSignal = new();

    private ServerProcess(string name, Process process, string log, Uri http)
    {
        Name = name;
        _process = process;
        LogFile = log;
        Http = http;
    }

    public string Name { get; }

    public string LogFile { get; }

    /// <summary>The front end's address, or the silo's probe and /metrics listener.</summary>
    public Uri Http { get; }

    public int Id => _process.Id;

    /// <summary>A front end's management listener, where its /metrics are (null for a silo).</summary>
    public Uri? Management { get; init; }

    /// <summary>A silo's Orleans port, its key in the membership table (0 for a front end).</summary>
    public int SiloPort { get; init; }

    /// <summary>A silo's gateway port, where front ends connect (0 for a front end).</summary>
    public int GatewayPort { get; init; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>From the signal to the process's exit (after <see cref="WaitForExit"/>).</summary>
    public TimeSpan StopDuration { get; private set; }

    /// <summary>Where the projects' build output is, in the configuration this test was built in.</summary>
    public static string BuildOutput(string project)
    {
        // tests/BpClub.Cluster.Tests/bin/<Configuration>/<tfm>/
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfmDir.Parent!.Name;
        var dll = Path.Combine(TestPostgres.RepositoryRoot, "src", project, "bin", configuration, tfmDir.Name,
            project + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException(
            $"{project} is not built ({dll}); run dotnet build BpClub.sln -c {configuration}", dll);
        return dll;
    }

    public static ServerProcess Start(string name, string dll, Uri http, IReadOnlyDictionary<string,
        string> environment,
        string logDirectory, int siloPort = 0, Uri? management = null, int gatewayPort = 0)
    {
        var log = Path.Combine(logDirectory, name + ".log");
        // bash execs dotnet (same pid, so signals reach the .NET host) with its output appended to the log.
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, WorkingDirectory = logDirectory };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec dotnet \"$0\" >>\"$1\" 2>&1 </dev/null");
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(log);
        // Nothing from the test's own environment may redirect the child (another database, another cluster).
        foreach (var inherited in start.Environment.Keys.Where(k
            => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
                     || k.StartsWith("Cluster__", StringComparison.Ordinal)
                         || k.StartsWith("BPCLUB_", StringComparison.Ordinal)
                     || k.StartsWith("Orleans__", StringComparison.Ordinal)
                     || k is "ASPNETCORE_URLS" or "ASPNETCORE_ENVIRONMENT" or "DOTNET_ENVIRONMENT").ToList())
            start.Environment.Remove(inherited);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return new ServerProcess(name, Process.Start(start)!, log, http)
        {
            SiloPort = siloPort,
            GatewayPort = gatewayPort,
            Management = management,
        };
    }

    /// <summary>SIGKILL: the process dies at once, saying goodbye to nobody.</summary>
    public void Kill()
    {
        _sinceSignal.Restart();
        _process.Kill();
    }

    /// <summary>SIGTERM, what Kubernetes and an operator send: the host stops the silo gracefully.</summary>
    public void Terminate()
    {
        _sinceSignal.Restart();
        if (SendSignal(_process.Id, SigTerm) != 0) throw new InvalidOperationException(
            $"kill -TERM {_process.Id} failed ({Marshal.GetLastPInvokeError()})");
    }

    public async Task<bool> WaitForExit(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            StopDuration = _sinceSignal.Elapsed;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public string LogTail(int lines = 40)
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException e)
        {
            return $"({LogFile}: {e.Message})";
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
    }

    /// <summary>
    /// A loopback port nobody listens on right now, below the kernel's ephemeral range (32768 and up): a port
    /// from that range may be taken by any outgoing connection before the process binds it. The fixed ports of
    /// ./bpclub up and the benchmark (8080, 9101.., 11111.., 18080, 19101, 21111, 22111, 30000.., 55432, 56432)
    /// are outside 23000-29000. A port is handed out once per test run: the ports of one process are picked before
    /// it binds any of them, so a port that is still free may already belong to a process that is starting.
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            var port = Random.Shared.Next(23000, 29000);
            lock (HandedOut)
            {
                if (!HandedOut.Add(port)) continue;
            }
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken; try another
            }
        }
    }

    private static readonly HashSet<int> HandedOut = [];

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
