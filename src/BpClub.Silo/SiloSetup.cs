using System.Net;
using BpClub.Abstractions;
using BpClub.Domain.Programme;
using BpClub.Grains;
using BpClub.Grains.Members;
using BpClub.Grains.Sms;
using BpClub.Grains.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;

namespace BpClub.Silo;

/// <summary>Everything a BpClub silo needs, shared by the real host and the test cluster.</summary>
public static class SiloSetup
{
    public const string ConnectionStringName = "BpClub";
    public const string Invariant = "Npgsql";

    /// <summary>Grains, their storage and the loyalty rules; clustering is the caller's.</summary>
    public static ISiloBuilder AddBpClubGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not set.");
        silo.Services.AddBpClubStorage(configuration, connectionString);
        var orleans = ForOrleansProviders(connectionString);
        silo.Services.AddMetrics();
        silo.Services.AddSingleton<GrainMetrics>();
        silo.Services.AddStorageExceptionSerialization();

        silo.AddAdoNetGrainStorage(CardGrain.StorageName, o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = orleans;
            o.GrainStorageSerializer = new JsonGrainStorageSerializer();
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = orleans;
        });
        silo.Configure<ReminderOptions>(configuration.GetSection("Reminders"));
        return silo;
    }

    /// <summary>
    /// Membership in the PostgreSQL cluster table. Inside Kubernetes (KUBERNETES_SERVICE_HOST is set, or
    /// Cluster:Kubernetes=true) Orleans' Kubernetes hosting also runs: the silo advertises its pod IP, takes
    /// its cluster identity from the pod's orleans/* labels, and silos whose pods are gone are declared dead
    /// at once instead of waiting for failed probes.
    /// </summary>
    public static ISiloBuilder UseBpClubClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName)!;
        var cluster = configuration.GetSection("Cluster");
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster["ClusterId"] ?? "bpclub-dev";
            o.ServiceId = cluster["ServiceId"] ?? "bpclub";
        });
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = ForOrleansProviders(connectionString);
        });
        silo.Configure<ClusterMembershipOptions>(ClusterMembershipDefaults.Apply);
        silo.Configure<ClusterMembershipOptions>(cluster.GetSection("Membership"));

        var siloPort = cluster.GetValue("SiloPort", 11111);
        var gatewayPort = cluster.GetValue("GatewayPort", 30000);
        if (IsKubernetes(configuration))
        {
            // The hosting fills in the advertised address (POD_IP) and listens on every interface.
            silo.Configure<EndpointOptions>(o =>
            {
                o.SiloPort = siloPort;
                o.GatewayPort = gatewayPort;
            });
            silo.UseKubernetesHosting();
        }
        else
        {
            silo.ConfigureEndpoints(
                IPAddress.Parse(cluster["AdvertisedIPAddress"] ?? "127.0.0.1"),
                siloPort,
                gatewayPort,
                listenOnAnyHostAddress: cluster.GetValue("ListenOnAnyHostAddress", false));
        }
        return silo;
    }

    /// <summary>
    /// The Orleans ADO.NET providers' connection string: their statements leave no session state behind either,
    /// so a pooled connection is not reset when returned (that was a DISCARD ALL for every card activation,
    /// reminder write and snapshot: two per purchase on a cold card).
    /// </summary>
    public static string ForOrleansProviders(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;

    /// <summary>Whether this silo runs in a Kubernetes pod; Cluster:Kubernetes overrides the detection.</summary>
    public static bool IsKubernetes(IConfiguration configuration) =>
        configuration.GetValue<bool?>("Cluster:Kubernetes")
        ?? !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"));

    public static IServiceCollection AddBpClubStorage(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        services.AddOptions<ProgrammeRules>()
            .Bind(configuration.GetSection(ProgrammeRules.SectionName))
            .PostConfigure(rules => rules.ApplyDefaults())
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProgrammeRules>, ProgrammeRulesValidator>();
        // Our statements leave no session state behind, so a pooled connection need not be reset (a DISCARD ALL
        // round trip each time one is taken, and it would throw away prepared statements).
        services.AddSingleton(_ => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<CardLedgerStore>();
        services.AddSingleton<LedgerGroupCommit>();
        services.AddSingleton<ActivePromotions>();
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<MemberStore>();
        services.AddSingleton<KeyHolderStore>();
        services.AddSingleton<PromotionStore>();
        services.AddSingleton<MemberPasswords>();
        services.AddOptions<CabinetOptions>()
            .Bind(configuration.GetSection(CabinetOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Sms:Provider: the development outbox file, or a real HTTP provider (required in Production).
        services.AddBpClubSms(configuration);
        return services;
    }
}
