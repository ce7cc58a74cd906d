using System.Collections.Concurrent;
using BpClub.Domain.Programme;
using BpClub.Grains;
using BpClub.Grains.Storage;
using BpClub.Hosting;
using BpClub.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace BpClub.Testing;

/// <summary>
/// A real in-process Orleans cluster on a real PostgreSQL database of its own: clustering, grain
/// state, reminders and ledgers all go through the production wiring (SiloSetup).
/// </summary>
public sealed class BpClubTestCluster : IAsyncDisposable
{
    private const string ClockSetting = "Testing:ProgrammeClock";

    /// <summary>Test cluster only: Orleans' SiloMessagingOptions and ClientMessagingOptions (shorter
    /// timeouts).</summary>
    public const string SiloMessagingSection = "SiloMessaging";
    public const string ClientMessagingSection = "ClientMessaging";

    /// <summary>Silos are built by type from configuration, so a test's clock reaches them by name.</summary>
    private static readonly ConcurrentDictionary<string, TimeProvider> Clocks = new();

    private readonly string? _clockName;

    private BpClubTestCluster(TestCluster cluster, string connectionString, string? clockName)
    {
        Cluster = cluster;
        ConnectionString = connectionString;
        Database = NpgsqlDataSource.Create(connectionString);
        _clockName = clockName;
    }

    public TestCluster Cluster { get; }
    public string ConnectionString { get; }
    public NpgsqlDataSource Database { get; }
    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The programme rules the silos run with (defaults plus this cluster's settings).</summary>
    public ProgrammeRules Rules =>
        ((InProcessSiloHandle)Cluster.Silos[0]).ServiceProvider.GetRequiredService<IOptions<ProgrammeRules>>().Value;

    /// <param name="settings">Configuration for every silo, e.g. <c>Programme:HoldPeriod</c>, the
    /// <c>Reminders</c> section, <c>Cluster:Membership</c> for faster failure detection, or (test cluster
    /// only) <c>SiloMessaging</c> and <c>ClientMessaging</c> for shorter call timeouts.</param>
    /// <param name="programmeClock">The clock the card grains' rules read (holds, months, 1 June),
    /// e.g. a FakeTimeProvider; Orleans itself keeps the real clock.</param>
    /// <param name="sharing">Another cluster whose database and service id this one takes: a split brain.
    /// Each cluster has its own membership and grain directory, so one card can be active in both at once,
    /// writing the same ledger, snapshot row and reminders.</param>
    public static async Task<BpClubTestCluster> Start(int silos = 1, IDictionary<string, string?>? settings = null,
        TimeProvider? programmeClock = null, BpClubTestCluster? sharing = null)
    {
        var connectionString = sharing?.ConnectionString ?? await TestPostgres.CreateDatabase("bpclub_test");
        if (sharing is null)
        {
            await using var database = NpgsqlDataSource.Create(connectionString);
            await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        }

        var builder = new TestClusterBuilder((short)silos);
        if (sharing is not null) builder.Options.ServiceId = sharing.Cluster.Options.ServiceId;
        builder.Options.UseTestClusterMembership = false;
        // Real sockets: front ends in the same test process connect to the silos as external clients.
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        var configuration = new Dictionary<string, string?>
        {
            [BpClubPostgres.ConnectionStringKey] = connectionString,
            // The production wiring (BpClubCluster) reads the ids from the Cluster section: the test cluster's.
            [ClusterSetting(nameof(BpClubClusterOptions.ClusterId))] = builder.Options.ClusterId,
            [ClusterSetting(nameof(BpClubClusterOptions.ServiceId))] = builder.Options.ServiceId,
            ["Programme:HoldPeriod"] = "14.00:00:00",
            // Not Production (a host's default), where a silo refuses the development SMS outbox.
            [Microsoft.Extensions.Hosting.HostDefaults.EnvironmentKey] = "Testing",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) configuration[key] = value;
        string? clockName = null;
        if (programmeClock is not null)
        {
            clockName = Guid.NewGuid().ToString("N");
            Clocks[clockName] = programmeClock;
            configuration[ClockSetting] = clockName;
        }
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(configuration));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new BpClubTestCluster(cluster, connectionString, clockName);
    }

    /// <summary>A key of the Cluster section, e.g. <c>Cluster:Membership:ProbeTimeout</c>.</summary>
    public static string ClusterSetting(params string[] path) =>
        string.Join(':', [BpClubClusterOptions.SectionName, .. path]);

    /// <summary>The silo where a grain is active now, if it is.</summary>
    public async Task<SiloHandle?> SiloHosting(IAddressable grain)
    {
        var id = grain.GetGrainId();
        var statistics = await Cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics(null, null);
        var host = statistics.FirstOrDefault(s => s.GrainId == id)?.SiloAddress;
        return host is null ? null : Cluster.Silos.FirstOrDefault(s => s.SiloAddress.Equals(host));
    }

    /// <summary>Deactivates every idle grain now, so the next call rebuilds it from storage.</summary>
    public Task DeactivateAll() => Cluster.Client.GetGrain<IManagementGrain>(0)
        .ForceActivationCollection(TimeSpan.Zero);

    public async ValueTask DisposeAsync()
    {
        try { await Cluster.StopAllSilosAsync(); } catch (Exception) { /* a test may have killed them */ }
        await Cluster.DisposeAsync();
        await Database.DisposeAsync();
        if (_clockName is not null) Clocks.TryRemove(_clockName, out _);
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            // As the real silo (BpClubCluster), but on the ports the test cluster chose.
            silo.UseBpClubMembership(silo.Configuration);
            silo.UseBpClubTls(silo.Configuration);
            silo.AddBpClubGrains(silo.Configuration);
            silo.Services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider, LogCapture>();
            silo.Configure<SiloMessagingOptions>(silo.Configuration.GetSection(SiloMessagingSection));
            if (silo.Configuration[ClockSetting] is { } clock)
                silo.Services.AddKeyedSingleton(ProgrammeClock.Key, Clocks[clock]);
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client)
        {
            // As the front end: a grain's PostgreSQL error reaches the test as itself, not as a timeout.
            client.AddBpClubCluster(configuration);
            client.Configure<ClientMessagingOptions>(configuration.GetSection(ClientMessagingSection));
        }
    }
}
