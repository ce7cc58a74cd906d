using System.Net;
using BpClub.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;

namespace BpClub.Hosting;

/// <summary>
/// The Orleans cluster, one piece for both sides: silos and front ends (clients) find each other in the
/// PostgreSQL membership table under the ids of the "Cluster" section (<see cref="BpClubClusterOptions"/>),
/// and both read a grain's storage failure as the exception it was.
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

    /// <summary>A front end (or a test) as an Orleans client of the cluster named by the "Cluster" section.</summary>
    public static IClientBuilder AddBpClubCluster(this IClientBuilder client, IConfiguration configuration)
    {
        AddIdentity(client.Services, configuration);
        client.UseAdoNetClustering(o =>
        {
            o.Invariant = BpClubPostgres.Invariant;
            o.ConnectionString = BpClubPostgres.WithoutReset(BpClubPostgres.ConnectionString(configuration));
        });
        return client;
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
