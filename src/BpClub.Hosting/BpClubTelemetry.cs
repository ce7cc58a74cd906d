using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace BpClub.Hosting;

/// <summary>
/// Prometheus metrics of every process: Orleans' meters, the .NET runtime's, and the process's own
/// (<c>meters</c>). Where /metrics is served is the host's: a silo's HTTP port, a front end's management port.
/// </summary>
public static class BpClubTelemetry
{
    public const string OrleansMeter = "Microsoft.Orleans";

    public static TBuilder AddBpClubTelemetry<TBuilder>(this TBuilder builder, string serviceName,
        params string[] meters) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddMeter([OrleansMeter, .. meters])
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        return builder;
    }
}
