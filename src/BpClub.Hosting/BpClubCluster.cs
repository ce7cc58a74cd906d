using System.Net;
using BpClub.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;

namespace BpClub.Hosting;

/// <summary>
/// The Orleans cluster, one piece for both sides: silos and front ends (clients) find each other in the
/// PostgreSQL membership table under the ids of the "Cluster" section (<see cref="BpClubClusterOptions"/>),
/// both read a grain's storage failure as the exception it was, and both speak mutual TLS when Orleans:Tls says so.
/// </summary>
public static class BpClubCluster
{
    /// <summary>
    /// A silo of the real deployment: <see cref="UseBpClubMembership"/> and where it listens. Inside
    /// Kubernetes (KUBERNETES_SERVICE_HOST is set, or Cluster:Kubernetes=true) Orleans' Kubernetes hosting
    /// also runs: the silo advertises its pod IP, takes its cluster identity from the pod's orleans/*
    /// labels, and silos whose pods are gone are declared dead at once instead of waiting for failed probes.
    /// </summary>
    public static ISiloBuilder AddBpClubCluster(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.UseBpClubMembership(configuration);
        var kubernetes = IsKubernetes(configuration);
        silo.Services.AddOptions<EndpointOptions>().Configure<IOptions<BpClubClusterOptions>>((endpoints, options) =>
        {
            var cluster = options.Value;
            endpoints.SiloPort = cluster.SiloPort;
            endpoints.GatewayPort = cluster.GatewayPort;
            // In Kubernetes the hosting fills in the advertised address (POD_IP) and listens on every interface.
            if (kubernetes) return;
            endpoints.AdvertisedIPAddress = IPAddress.Parse(cluster.AdvertisedIPAddress);
            if (!cluster.ListenOnAnyHostAddress) return;
            endpoints.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, cluster.SiloPort);
            endpoints.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, cluster.GatewayPort);
        });
        if (kubernetes) silo.UseKubernetesHosting();
        silo.UseBpClubTls(configuration);
        return silo;
    }

    /// <summary>
    /// Mutual TLS on the silo's ports and its connections to other silos when Orleans:Tls is set
    /// (<see cref="ClusterTls"/>); a Production silo refuses to start without it.
    /// </summary>
    public static ISiloBuilder UseBpClubTls(this ISiloBuilder silo, IConfiguration configuration)
    {
        AddTls(silo.Services, configuration);
        silo.Services.AddOptions<SiloConnectionOptions>().Configure<IOptions<ClusterTlsOptions>, IServiceProvider>(
            (connections, options, services) =>
            {
                if (!options.Value.Configured) return;
                var tls = services.GetRequiredService<ClusterTls>();
                connections.ConfigureSiloInboundConnection(c => c.UseServerTls(tls.SiloInbound()));
                connections.ConfigureGatewayInboundConnection(c => c.UseServerTls(tls.GatewayInbound()));
                connections.ConfigureSiloOutboundConnection(c => c.UseClientTls(tls.Outbound()));
            });
        return silo;
    }

    /// <summary>
    /// Membership in the PostgreSQL cluster table under the section's ids, with BpClub's failure detection
    /// (<see cref="ClusterMembershipDefaults"/>, then Cluster:Membership); where the silo listens is left to
    /// the caller (the in-process test cluster chooses its own ports).
    /// </summary>
    public static ISiloBuilder UseBpClubMembership(this ISiloBuilder silo, IConfiguration configuration)
    {
        var section = AddIdentity(silo.Services, configuration);
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = BpClubPostgres.Invariant;
            o.ConnectionString = BpClubPostgres.WithoutReset(BpClubPostgres.ConnectionString(configuration));
        });
        silo.Configure<ClusterMembershipOptions>(ClusterMembershipDefaults.Apply);
        silo.Configure<ClusterMembershipOptions>(section.GetSection(BpClubClusterOptions.MembershipSectionName));
        return silo;
    }

    /// <summary>
    /// A front end (or a test) as an Orleans client of the cluster named by the "Cluster" section, with mutual TLS to
    /// the gateways when Orleans:Tls is set (<see cref="ClusterTls"/>); a Production client refuses to start without.
    /// </summary>
    public static IClientBuilder AddBpClubCluster(this IClientBuilder client, IConfiguration configuration)
    {
        AddIdentity(client.Services, configuration);
        client.UseAdoNetClustering(o =>
        {
            o.Invariant = BpClubPostgres.Invariant;
            o.ConnectionString = BpClubPostgres.WithoutReset(BpClubPostgres.ConnectionString(configuration));
        });
        AddTls(client.Services, configuration);
        client.Services.AddOptions<ClientConnectionOptions>().Configure<IOptions<ClusterTlsOptions>, IServiceProvider>(
            (connections, options, services) =>
            {
                if (!options.Value.Configured) return;
                var tls = services.GetRequiredService<ClusterTls>();
                connections.ConfigureConnection(c => c.UseClientTls(tls.Outbound()));
            });
        return client;
    }

    /// <summary>The validated Orleans:Tls section (Production requires it) and the certificates it names.</summary>
    private static void AddTls(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterTlsOptions>().Bind(configuration.GetSection(ClusterTlsOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate<IHostEnvironment>((o, environment) => o.Configured || !environment.IsProduction(),
                ClusterTlsOptions.ProductionNeedsTls)
            .ValidateOnStart();
        services.TryAddSingleton(s => new ClusterTls(s.GetRequiredService<IOptions<ClusterTlsOptions>>(),
            s.GetService<TimeProvider>() ?? TimeProvider.System, s.GetRequiredService<ILogger<ClusterTls>>()));
    }

    /// <summary>Whether this silo runs in a Kubernetes pod; Cluster:Kubernetes overrides the detection.</summary>
    public static bool IsKubernetes(IConfiguration configuration) =>
        configuration.GetSection(BpClubClusterOptions.SectionName)
            .GetValue<bool?>(nameof(BpClubClusterOptions.Kubernetes))
        ?? !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"));

    /// <summary>
    /// The validated section, Orleans' ClusterOptions taken from it, and the storage exceptions that
    /// cross between silo and client (one side serializes them, the other reads them).
    /// </summary>
    private static IConfigurationSection AddIdentity(IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(BpClubClusterOptions.SectionName);
        services.AddOptions<BpClubClusterOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ClusterOptions>().Configure<IOptions<BpClubClusterOptions>>((orleans, options) =>
        {
            orleans.ClusterId = options.Value.ClusterId;
            orleans.ServiceId = options.Value.ServiceId;
        });
        services.AddStorageExceptionSerialization();
        return section;
    }
}
