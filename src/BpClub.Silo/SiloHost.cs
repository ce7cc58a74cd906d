using System.Net;
using BpClub.Grains;
using BpClub.Silo.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Orleans.Configuration;

namespace BpClub.Silo;

/// <summary>
/// The silo process around the Orleans silo: a small HTTP listener for probes and Prometheus, and the
/// graceful stop on SIGTERM. Not used by the in-process test cluster, whose silos share one process.
/// </summary>
public static class SiloHost
{
    /// <summary>The "Silo" section: HttpPort, HttpAddress, ShutdownTimeout.</summary>
    public const string SectionName = "Silo";

    /// <summary>
    /// Kestrel on Silo:HttpPort (8081) serving /health/live, /health/ready and /metrics; bound to loopback
    /// locally and to every interface in Kubernetes, where the kubelet and Prometheus reach the pod IP.
    /// </summary>
    public static WebApplicationBuilder AddSiloHttp(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SectionName);
        var address = IPAddress.Parse(section["HttpAddress"]
            ?? (SiloSetup.IsKubernetes(builder.Configuration) ? "0.0.0.0" : "127.0.0.1"));
        var port = section.GetValue("HttpPort", 8081);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, port));

        builder.Services.AddHealthChecks()
            .AddCheck<SiloActiveHealthCheck>("silo", tags: ["ready"])
            .AddCheck<PostgresHealthCheck>("postgresql", tags: ["ready"]);

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("bpclub-silo"))
            .WithMetrics(metrics => metrics
                .AddMeter("Microsoft.Orleans")
                .AddMeter(GrainMetrics.MeterName)
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        return builder;
    }

    public static WebApplication MapSiloHttp(this WebApplication app)
    {
        // Live: the process answers. Ready: Active in the cluster and PostgreSQL reachable.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    /// <summary>
    /// SIGTERM stops the host, and stopping the host stops the silo gracefully: it turns ShuttingDown in
    /// the membership table, hands its gateway clients over, deactivates its grains (no writes: the
    /// ledger already holds every acknowledged operation) and finally marks itself Dead, so callers re-route at once instead of waiting for probes.
    /// Silo:ShutdownTimeout (30 s) bounds all of it, and ShutdownDeadline ends the process a few seconds later
    /// if something still hangs; Kubernetes' terminationGracePeriodSeconds must exceed both.
    /// </summary>
    public static WebApplicationBuilder UseGracefulShutdown(this WebApplicationBuilder builder)
    {
        var timeout = builder.Configuration.GetSection(SectionName).GetValue("ShutdownTimeout", TimeSpan.FromSeconds(30));
        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = timeout;
            // The probes answer while the silo is still joining (live, not yet ready).
            o.ServicesStartConcurrently = true;
        });
        builder.Services.AddHostedService<ShutdownDeadline>();
        // A grain that cannot finish deactivating in a third of the budget is abandoned (its last
        // acknowledged write is already in the ledger), leaving time to leave the membership table.
        builder.Services.Configure<GrainCollectionOptions>(o =>
        {
            if (o.DeactivationTimeout > timeout / 3) o.DeactivationTimeout = timeout / 3;
        });
        return builder;
    }
}
