using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using BpClub.Testing;
using Npgsql;

namespace BpClub.Cluster.Tests;

/// <summary>
/// A whole BpClub on loopback, as `./bpclub up --silos N --fronts M` runs it, but on free ports, with a
/// cluster id of its own and a PostgreSQL of its own (started by cluster-config/postgres.sh in a
/// temporary data directory, so it can be stopped and started again on the same port).
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    public const string OperatorKey = "op.chaos-operator-key-0123456789abcdef";

    private readonly string _dataDirectory;
    private readonly Dictionary<string, string> _settings;
    private readonly List<ServerProcess> _processes = [];
    private int _siloCount;
    private int _frontCount;

    private LocalCluster(string directory, int pgPort, string connectionString, Dictionary<string, string> settings)
    {
        Directory = directory;
        _dataDirectory = Path.Combine(directory, "pg");
        PostgresPort = pgPort;
        ConnectionString = connectionString;
        _settings = settings;
        Database = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>Logs, the SMS outbox and the PostgreSQL data directory.</summary>
    public string Directory { get; }

    public int PostgresPort { get; }

    public string ConnectionString { get; }

    /// <summary>The test's own connection to the ground truth.</summary>
    public NpgsqlDataSource Database { get; }

    public string ClusterId => _settings["Cluster__ClusterId"];

    public string ServiceId => _settings["Cluster__ServiceId"];

    public IEnumerable<ServerProcess> Silos
        => _processes.Where(p => p.Name.StartsWith("silo", StringComparison.Ordinal));

    public IEnumerable<ServerProcess> Fronts
        => _processes.Where(p => p.Name.StartsWith("api", StringComparison.Ordinal));

    /// <param name="settings">Configuration for silos and front ends alike (environment variable names).</param>
    public static async Task<LocalCluster> Start(IReadOnlyDictionary<string, string> settings)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"bpclub-chaos-{Guid.NewGuid():N}"[..26]);
        System.IO.Directory.CreateDirectory(directory);
        var pgPort = ServerProcess.FreePort();
        var started = TestPostgres.RunScript("start", Path.Combine(directory, "pg"),
            pgPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "bpclub");
        // Pools small enough that six processes stay under the server's 300 connections.
        var connectionString = new NpgsqlConnectionStringBuilder(started) { MaxPoolSize = 45 }.ConnectionString;
        var unique = Guid.NewGuid().ToString("N")[..10];
        var all = new Dictionary<string, string>
        {
            ["ConnectionStrings__BpClub"] = connectionString,
            ["Cluster__ClusterId"] = "chaos-" + unique,
            ["Cluster__ServiceId"] = "chaos-" + unique,
            ["BPCLUB_OPERATOR_KEY"] = OperatorKey,
            // Production refuses the development outbox; the fault test sends no texts, so a provider that
            // nobody answers is enough.
            ["Sms__Provider"] = "http",
            ["Sms__Http__Url"] = "https://127.0.0.1:9/sms",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        // A front end in Production encrypts the Data Protection key ring with a certificate, or refuses to start.
        foreach (var (key, value) in TestCertificates.DataProtectionEnvironment()) all[key] = value;
        foreach (var (key, value) in settings) all[key] = value;
        var cluster = new LocalCluster(directory, pgPort, connectionString, all);

        // The schema first, once (silos would each apply it too, one at a time under an advisory lock).
        await cluster.Run(ServerProcess.BuildOutput("BpClub.Silo"), "migrate");
        return cluster;
    }

    /// <param name="settings">This silo's own settings over the cluster's; by default it has the test CA's silo
    /// certificate (Orleans TLS, which Production requires).</param>
    public ServerProcess StartSilo(IReadOnlyDictionary<string, string>? settings = null)
    {
        var n = ++_siloCount;
        var http = ServerProcess.FreePort();
        var siloPort = ServerProcess.FreePort();
        var gatewayPort = ServerProcess.FreePort();
        var env = new Dictionary<string, string>(_settings)
        {
            ["Cluster__SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster__GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Silo__HttpPort"] = http.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in TestCertificates.TlsEnvironment(TestCertificates.Cluster.Value.Silo))
            env[key] = value;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) env[key] = value;
        var silo = ServerProcess.Start($"silo-{n}", ServerProcess.BuildOutput("BpClub.Silo"),
            new Uri($"http://127.0.0.1:{http}/"), env, Directory, siloPort, gatewayPort: gatewayPort);
        _processes.Add(silo);
        return silo;
    }

    /// <param name="settings">This front end's own settings over the cluster's; by default it has the test CA's
    /// front-end certificate.</param>
    public ServerProcess StartFront(IReadOnlyDictionary<string, string>? settings = null)
    {
        var n = ++_frontCount;
        var url = $"http://127.0.0.1:{ServerProcess.FreePort()}";
        var management = ServerProcess.FreePort();
        var env = new Dictionary<string, string>(_settings)
        {
            ["ASPNETCORE_URLS"] = url,
            ["Management__Port"] = management.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in TestCertificates.TlsEnvironment(TestCertificates.Cluster.Value.FrontEnd))
            env[key] = value;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) env[key] = value;
        var front = ServerProcess.Start($"api-{n}", ServerProcess.BuildOutput("BpClub.Api"), new Uri(url + "/"), env,
            Directory, management: new Uri($"http://127.0.0.1:{management}/"));
        _processes.Add(front);
        return front;
    }

    /// <summary>Polls /health/ready until it answers 200; fails early when the process died.</summary>
    public static async Task WaitReady(ServerProcess process, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = process.Http, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        var last = "no answer yet";
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException(
                $"{process.Name} exited ({process.ExitCode}) before it was ready:\n{process.LogTail()}");
            var asked = Stopwatch.StartNew();
            try
            {
                using var response = await http.GetAsync("health/ready");
                if (response.IsSuccessStatusCode) return;
                last = $"{(int)response.StatusCode} after {asked.ElapsedMilliseconds} ms: "
                    + await response.Content.ReadAsStringAsync();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet, or too busy to answer
                last = $"{e.GetType().Name} after {asked.ElapsedMilliseconds} ms";
            }
            if (deadline.Elapsed > timeout)
                throw new TimeoutException(
                    $"{process.Name} was not ready within {timeout} (last: {last}):\n{process.LogTail()}");
            await Task.Delay(250);
        }
    }

    /// <summary>Stops PostgreSQL (fast shutdown: sessions are cut, as when the server is lost).</summary>
    public void StopPostgres() => TestPostgres.RunScript("stop", _dataDirectory);

    /// <summary>Starts PostgreSQL again on the same port and data.</summary>
    public void StartPostgres()
    {
        TestPostgres.RunScript("start", _dataDirectory,
            PostgresPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "bpclub");
        // The test's own pooled connections died with the server.
        Database.Clear();
    }

    /// <summary>The silos' rows in the Orleans membership table: (silo port, status name).</summary>
    public async Task<List<(int Port, string Status)>> Membership()
    {
        await using var command =
            Database.CreateCommand("select port, status from orleansmembershiptable where deploymentid = @id");
        command.Parameters.AddWithValue("id", ClusterId);
        var rows = new List<(int, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add((reader.GetInt32(0),
            ((Orleans.Runtime.SiloStatus)reader.GetInt32(1)).ToString()));
        return rows;
    }

    public static async Task<T> Json<T>(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(JsonOptions))!;

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private async Task Run(string dll, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true,
            UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var (key, value) in _settings) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException(
            $"{Path.GetFileName(dll)} {string.Join(' ', arguments)} failed: {await output}\n{await errors}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes) process.Dispose();
        await Database.DisposeAsync();
        try
        {
            TestPostgres.RunScript("destroy", _dataDirectory);
            // The processes' logs outlive the run, for a failure's post-mortem.
            var keep = Path.Combine(TestPostgres.RepositoryRoot, ".data", "test-results", "chaos-logs");
            if (System.IO.Directory.Exists(keep)) System.IO.Directory.Delete(keep, recursive: true);
            System.IO.Directory.CreateDirectory(keep);
            foreach (var log in System.IO.Directory.GetFiles(Directory, "*.log")) File.Copy(log,
                Path.Combine(keep, Path.GetFileName(log)));
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Could not clean up {Directory}: {e.Message}");
        }
    }
}
