using System.Net;
using BpClub.Grains;
using BpClub.Hosting;
using BpClub.Silo.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace BpClub.Silo;

/// <summary>
/// The silo process around the Orleans silo: a small HTTP listener for probes and Prometheus, and the
/// graceful stop on SIGTERM. Not used by the in-process test cluster, whose silos share one process.
/// </summary>
public static class SiloHost
{
    /// <summary>
    /// Kestrel on Silo:HttpPort (8081) serving /health/live, /health/ready and /metrics; bound to loopback
    /// locally and to every interface in Kubernetes, where the kubelet and Prometheus reach the pod IP.
    /// </summary>
    public static WebApplicationBuilder AddSiloHttp(this WebApplicationBuilder builder)
    {
        var kubernetes = BpClubCluster.IsKubernetes(builder.Configuration);
        builder.Services.AddOptions<SiloOptions>().Bind(builder.Configuration.GetSection(SiloOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var options = kestrel.ApplicationServices.GetRequiredService<IOptions<SiloOptions>>().Value;
            var address = IPAddress.Parse(options.HttpAddress ?? (kubernetes ? "0.0.0.0" : "127.0.0.1"));
            kestrel.Listen(address, options.HttpPort);
        });

        builder.AddBpClubPostgres();
        builder.Services.AddHealthChecks().AddCheck<SiloActiveHealthCheck>("silo", tags: [BpClubPostgres.ReadyTag]);
        builder.AddBpClubTelemetry("bpclub-silo", GrainMetrics.MeterName);
        return builder;
    }

    public static WebApplication MapSiloHttp(this WebApplication app)
    {
        // Live: the process answers. Ready: Active in the cluster and PostgreSQL reachable.
        app.MapBpClubHealth();
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    /// <summary>
    /// SIGTERM stops the host, and stopping the host stops the silo gracefully: it turns ShuttingDown in
    /// the membership table, hands its gateway clients over, deactivates its grains (no writes: the
    /// ledger already holds every acknowledged operation) and finally marks itself Dead, so callers
    /// re-route at once instead of waiting for probes. Silo:ShutdownTimeout (30 s) bounds all of it, and
    /// ShutdownDeadline ends the process a few seconds later if something still hangs; Kubernetes'
    /// terminationGracePeriodSeconds must exceed both.
    /// </summary>
    public static WebApplicationBuilder UseGracefulShutdown(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<SiloOptions>>((o, silo) =>
        {
            o.ShutdownTimeout = silo.Value.ShutdownTimeout;
            // The probes answer while the silo is still joining (live, not yet ready).
            o.ServicesStartConcurrently = true;
        });
        builder.Services.AddHostedService<ShutdownDeadline>();
        // A grain that cannot finish deactivating in a third of the budget is abandoned (its last
        // acknowledged write is already in the ledger), leaving time to leave the membership table.
        builder.Services.AddOptions<GrainCollectionOptions>().Configure<IOptions<SiloOptions>>((o, silo) =>
        {
            var third = silo.Value.ShutdownTimeout / 3;
            if (o.DeactivationTimeout > third) o.DeactivationTimeout = third;
        });
        return builder;
    }
}
