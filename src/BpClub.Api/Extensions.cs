using BpClub.Api.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Orleans.Configuration;

namespace BpClub.Api;

public static class Extensions
{
    public const string ConnectionStringName = "BpClub";

    /// <summary>The front end's wiring: an Orleans client on the PostgreSQL cluster table, health, problem details.</summary>
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var connectionString = configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not set.");

        builder.UseOrleansClient(client =>
        {
            var cluster = configuration.GetSection("Cluster");
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster["ClusterId"] ?? "bpclub-dev";
                o.ServiceId = cluster["ServiceId"] ?? "bpclub";
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
            // The front end may start before any silo: keep trying rather than crash.
            client.UseConnectionRetryFilter(async (_, cancellationToken) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                return !cancellationToken.IsCancellationRequested;
            });
        });

        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks()
            .AddCheck<ClusterHealthCheck>("cluster", tags: ["ready"])
            .AddCheck<PostgresHealthCheck>("postgresql", tags: ["ready"]);
    }

    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
    }
}
