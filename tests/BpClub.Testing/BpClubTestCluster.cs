using BpClub.Grains.Storage;
using BpClub.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.TestingHost;

namespace BpClub.Testing;

/// <summary>
/// A real in-process Orleans cluster on a real PostgreSQL database of its own: clustering, grain
/// state, reminders and ledgers all go through the production wiring (SiloSetup).
/// </summary>
public sealed class BpClubTestCluster : IAsyncDisposable
{
    private BpClubTestCluster(TestCluster cluster, string connectionString)
    {
        Cluster = cluster;
        ConnectionString = connectionString;
        Database = NpgsqlDataSource.Create(connectionString);
    }

    public TestCluster Cluster { get; }
    public string ConnectionString { get; }
    public NpgsqlDataSource Database { get; }
    public IGrainFactory Grains => Cluster.GrainFactory;

    public static async Task<BpClubTestCluster> Start(int silos = 1, IDictionary<string, string?>? settings = null)
    {
        var connectionString = await TestPostgres.CreateDatabase("bpclub_test");
        await using (var database = NpgsqlDataSource.Create(connectionString))
            await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();

        var builder = new TestClusterBuilder((short)silos);
        builder.Options.UseTestClusterMembership = false;
        // Real sockets: front ends in the same test process connect to the silos as external clients.
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        var configuration = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{SiloSetup.ConnectionStringName}"] = connectionString,
            ["Programme:HoldPeriod"] = "14.00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) configuration[key] = value;
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(configuration));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new BpClubTestCluster(cluster, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        try { await Cluster.StopAllSilosAsync(); } catch (Exception) { /* a test may have killed them */ }
        await Cluster.DisposeAsync();
        await Database.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = SiloSetup.Invariant;
                o.ConnectionString = silo.Configuration.GetConnectionString(SiloSetup.ConnectionStringName);
            });
            silo.AddBpClubGrains(silo.Configuration);
            silo.Services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider, LogCapture>();
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client) =>
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = SiloSetup.Invariant;
                o.ConnectionString = configuration.GetConnectionString(SiloSetup.ConnectionStringName);
            });
    }
}
