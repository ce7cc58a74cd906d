extern alias api;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BpClub.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BpClub.Testing;

/// <summary>
/// The whole service in one test process: a real in-process Orleans cluster on its own PostgreSQL
/// database, and the real front end (BpClub.Api's Program) as its Orleans client, reached through
/// HTTP — in memory by default, or on a real loopback port (<paramref name="kestrel"/>) for a browser.
/// </summary>
public sealed partial class BpClubApp : IAsyncDisposable
{
    public const string OperatorKey = "op-test-key-0123456789abcdefghij";
    /// <summary>A second operator's key, so that tests can tell who did what.</summary>
    public const string SecondOperatorKey = "op-test-key-second-9876543210zyxw";
    /// <summary>A named operator's key (Operators:Named: the configuration holds only its SHA-256).</summary>
    public const string NamedOperatorKey = "op-test-key-named-olena-5555aaaa";
    public const string NamedOperatorId = "olena";

    private readonly WebApplicationFactory<api::Program> _factory;

    private BpClubApp(BpClubTestCluster cluster, WebApplicationFactory<api::Program> factory, string outbox,
        Uri baseAddress, int managementPort, bool kestrel, bool ownsCluster = true)
    {
        _ownsCluster = ownsCluster;
        Cluster = cluster;
        _factory = factory;
        SmsOutbox = outbox;
        BaseAddress = baseAddress;
        ManagementPort = managementPort;
        _kestrel = kestrel;
    }

    private readonly bool _kestrel;
    private readonly bool _ownsCluster;

    /// <summary>The front end's management port (Management:Port), where /metrics is served.</summary>
    public int ManagementPort { get; }

    public BpClubTestCluster Cluster { get; }

    /// <summary>The development SMS gateway's file: one JSON line per text.</summary>
    public string SmsOutbox { get; }

    public Uri BaseAddress { get; }

    public IServiceProvider ApiServices => _factory.Services;

    /// <param name="programmeClock">The clock the card grains' rules read, as for
    /// <see cref="BpClubTestCluster.Start"/>.</param>
    public static async Task<BpClubApp> Start(IDictionary<string, string?>? siloSettings = null,
        IDictionary<string, string?>? apiSettings = null, bool kestrel = false, string environment = "Testing",
        TimeProvider? programmeClock = null)
    {
        var outbox = Path.Combine(Path.GetTempPath(), $"bpclub-sms-{Guid.NewGuid():N}.jsonl");
        var silo = new Dictionary<string, string?>
        {
            ["Sms:OutboxPath"] = outbox,
            // Tests send many texts from one address (the in-memory server has none); the caps have tests of their own.
            ["Sms:MaxPerPhonePerDay"] = "1000",
            ["Sms:MaxPerSourcePerHour"] = "1000000",
            ["Sms:DailyBudget"] = "100000000",
        };
        // Production refuses a cluster without mutual TLS: the silos and the front end get the test CA's certificates.
        if (environment == "Production")
            foreach (var (key, value) in TestCertificates.SiloTlsSettings()) silo[key] = value;
        foreach (var (key, value) in siloSettings ?? new Dictionary<string, string?>()) silo[key] = value;
        var cluster = await BpClubTestCluster.Start(settings: silo, programmeClock: programmeClock);
        return await StartFront(cluster, outbox, apiSettings, kestrel, environment, ownsCluster: true);
    }

    /// <summary>Another front end (a second replica) on <paramref name="first"/>'s cluster and database, with the same
    /// settings as a test gives every replica; disposing it leaves the cluster running.</summary>
    public static Task<BpClubApp> StartFrontEnd(BpClubApp first, IDictionary<string, string?>? apiSettings = null,
        string environment = "Testing") =>
        StartFront(first.Cluster, first.SmsOutbox, apiSettings, kestrel: false, environment, ownsCluster: false);

    private static async Task<BpClubApp> StartFront(BpClubTestCluster cluster, string outbox,
        IDictionary<string, string?>? apiSettings, bool kestrel, string environment, bool ownsCluster)
    {
        var api = new Dictionary<string, string?>
        {
            [BpClubPostgres.ConnectionStringKey] = cluster.ConnectionString,
            [BpClubTestCluster.ClusterSetting(nameof(BpClubClusterOptions.ClusterId))] =
                cluster.Cluster.Options.ClusterId,
            [BpClubTestCluster.ClusterSetting(nameof(BpClubClusterOptions.ServiceId))] =
                cluster.Cluster.Options.ServiceId,
            ["Operators:Keys:0"] = OperatorKey,
            ["Operators:Keys:1"] = SecondOperatorKey,
            ["Operators:Named:" + NamedOperatorId] = Convert.ToHexStringLower(
                System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(NamedOperatorKey))),
            ["RateLimits:AnonymousPerMinute"] = "100000",
            ["RateLimits:AnonymousBurst"] = "100000",
            ["RateLimits:PerCallerPerSecond"] = "100000",
            ["RateLimits:PerCallerBurst"] = "100000",
            ["RateLimits:BadKeysPerMinute"] = "100000",
            // A free one, since with kestrel the front end really listens on it.
            ["Management:Port"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (environment == "Production")
            foreach (var (key, value) in TestCertificates.FrontEndTlsSettings()) api[key] = value;
        foreach (var (key, value) in apiSettings ?? new Dictionary<string, string?>()) api[key] = value;

        var factory = new WebApplicationFactory<api::Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment(environment);
            // Settings, not app configuration: Program reads them while building, before that is applied.
            foreach (var (key, value) in api) web.UseSetting(key, value);
            web.ConfigureLogging(l => l.AddProvider(new LogCapture()));
            if (kestrel) web.UseUrls("http://127.0.0.1:0");
        });
        Uri baseAddress;
        if (kestrel)
        {
            factory.UseKestrel();
            factory.StartServer();
            var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
            baseAddress = addresses.Addresses.Select(a => new Uri(a)).First(a => a.Port != ManagementPortOf(api));
        }
        else
        {
            factory.StartServer();
            baseAddress = factory.Server.BaseAddress;
        }
        var app = new BpClubApp(cluster, factory, outbox, baseAddress, ManagementPortOf(api), kestrel, ownsCluster);
        await Poll.Until(async () => (await app.Client().GetAsync("/health/ready")).StatusCode,
            s => s == System.Net.HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "the front end to reach the cluster");
        return app;
    }

    /// <summary>A client for this app; give it a key or a token to act as a caller.</summary>
    public HttpClient Client(string? apiKey = null, string? bearer = null)
    {
        var client = _factory.CreateDefaultClient(BaseAddress);
        if (apiKey is not null) client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
        return client;
    }

    public HttpClient Operator() => Client(OperatorKey);

    public HttpClient SecondOperator() => Client(SecondOperatorKey);

    /// <summary>How the ledger names the operator of a key: <c>key-</c> and the first ten hex digits of its
    /// SHA-256.</summary>
    public static string OperatorId(string key) =>
        "key-" + Convert.ToHexStringLower(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)).AsSpan(0, 5));

    /// <summary>A client of the management port: a real connection with kestrel, else one that arrives on it.</summary>
    public HttpClient ManagementClient() => _kestrel
        ? new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ManagementPort}/") }
        : new HttpClient(_factory.Server.CreateHandler(http => http.Connection.LocalPort = ManagementPort))
        {
            BaseAddress = BaseAddress,
        };

    private static int ManagementPortOf(IDictionary<string, string?> settings) =>
        int.Parse(settings["Management:Port"]!, System.Globalization.CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>An anonymous client whose requests come from <paramref name="address"/>, for per-IP limits (in-memory
    /// server only).</summary>
    public HttpClient ClientFrom(System.Net.IPAddress address) =>
        new(_factory.Server.CreateHandler(http => http.Connection.RemoteIpAddress = address)) { BaseAddress =
            BaseAddress };

    /// <summary>Creates a station and returns its key.</summary>
    public async Task<string> NewStationKey(string? stationId = null)
    {
        var response = await Operator()
            .PutAsJsonAsync($"/api/admin/v1/stations/{stationId ?? "st-" + Guid.NewGuid().ToString("N")[..8]}",
            new { name = "Test station", address = "Kyiv, Khreshchatyk 1" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString()!;
    }

    /// <summary>Issues a fresh card at a station's till and returns its number.</summary>
    public async Task<string> IssueCard(string stationKey, string firstName = "Olena", string lastName = "Kovalenko")
    {
        var number = Cards.NewNumber();
        var response = await Client(stationKey).PutAsJsonAsync($"/api/pos/v1/cards/{number}",
            new { firstName, lastName, consent = true });
        response.EnsureSuccessStatusCode();
        _cardCodes[number] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cardCode")
            .GetString()!;
        return number;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _cardCodes = new();

    /// <summary>The code the till was shown when it issued <paramref name="card"/> (without a phone) through <see
    /// cref="IssueCard"/>.</summary>
    public string? CardCode(string card) => _cardCodes.GetValueOrDefault(card);

    /// <summary>The code in the latest text to <paramref name="phoneE164"/>, waiting for it to arrive.</summary>
    public async Task<string> LatestCode(string phoneE164, int afterCount = 0) =>
        await Poll.Until(() => Task.FromResult(CodesSentTo(phoneE164)), codes => codes.Count > afterCount,
            TimeSpan.FromSeconds(10), $"an SMS to {phoneE164}") is var codes ? codes[^1]
                : throw new InvalidOperationException();

    /// <summary>Every text sent to <paramref name="phoneE164"/>, oldest first.</summary>
    public IReadOnlyList<string> TextsSentTo(string phoneE164)
    {
        if (!File.Exists(SmsOutbox)) return [];
        using var stream = new FileStream(SmsOutbox, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var texts = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            using var json = JsonDocument.Parse(line);
            if (json.RootElement.GetProperty("to")
                .GetString() == phoneE164) texts.Add(json.RootElement.GetProperty("text").GetString()!);
        }
        return texts;
    }

    public IReadOnlyList<string> CodesSentTo(string phoneE164)
    {
        if (!File.Exists(SmsOutbox)) return [];
        using var stream = new FileStream(SmsOutbox, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var codes = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            using var json = JsonDocument.Parse(line);
            if (json.RootElement.GetProperty("to").GetString() != phoneE164) continue;
            codes.Add(SixDigits().Match(json.RootElement.GetProperty("text").GetString()!).Value);
        }
        return codes;
    }

    /// <summary>Registers a card in the cabinet (code from the SMS outbox) and returns the access token.</summary>
    public async Task<string> Register(string card, string phoneE164, string password = "correct horse 42",
        HttpClient? anonymous = null)
    {
        var before = CodesSentTo(phoneE164).Count;
        anonymous ??= Client();
        var started = await anonymous.PostAsJsonAsync("/api/cabinet/v1/registrations",
            new { cardNumber = card, phone = phoneE164, password, cardCode = CardCode(card) });
        started.EnsureSuccessStatusCode();
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("registrationId").GetString();
        var confirmed = await anonymous.PostAsJsonAsync($"/api/cabinet/v1/registrations/{id}/confirm",
            new { code = await LatestCode(phoneE164, before) });
        confirmed.EnsureSuccessStatusCode();
        return (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>A phone number no other test uses: +38067 and seven random digits.</summary>
    public static string NewPhone() => "+38067" + Random.Shared.Next(1_000_000, 9_999_999)
        .ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        if (!_ownsCluster) return;
        await Cluster.DisposeAsync();
        try { File.Delete(SmsOutbox); } catch (IOException) { }
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
