using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace BpClub.Hosting;

/// <summary>
/// The one PostgreSQL of every process: the connection string ConnectionStrings:BpClub, one
/// <see cref="NpgsqlDataSource"/> and its readiness check.
/// </summary>
public static class BpClubPostgres
{
    /// <summary>The name under ConnectionStrings (ConnectionStrings__BpClub in the environment).</summary>
    public const string ConnectionStringName = "BpClub";

    /// <summary>The ADO.NET invariant the Orleans providers load Npgsql by.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>The configuration key of the connection string, for settings written by hand (tests).</summary>
    public const string ConnectionStringKey = "ConnectionStrings:" + ConnectionStringName;

    /// <summary>The readiness tag every BpClub health check that gates traffic carries.</summary>
    public const string ReadyTag = "ready";

    /// <summary>The connection string, or a clear error naming the setting when it is missing.</summary>
    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } connectionString
            ? connectionString
            : throw new InvalidOperationException(
                $"{ConnectionStringKey} is not set (ConnectionStrings__{ConnectionStringName} in the environment).");

    /// <summary>
    /// Our statements, and the Orleans ADO.NET providers', leave no session state behind, so a pooled connection need
    /// not be reset when returned: a DISCARD ALL round trip each time one is taken (two per purchase on a cold card),
    /// which would also throw away prepared statements. And every statement is one of a few fixed texts run over
    /// and over (the group commit's, a card's ledger read, the providers'), so each connection prepares those it has
    /// run twice: PostgreSQL then parses and plans them once per connection instead of once per call.
    /// </summary>
    public static string WithoutReset(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString)
        {
            NoResetOnClose = true, MaxAutoPrepare = 32, AutoPrepareMinUsages = 2,
        }.ConnectionString;

    /// <summary>The data source and the "postgresql" readiness check, from ConnectionStrings:BpClub.</summary>
    public static TBuilder AddBpClubPostgres<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddBpClubPostgres(ConnectionString(builder.Configuration));
        return builder;
    }

    /// <summary>The data source and the readiness check; a second call changes nothing.</summary>
    public static IServiceCollection AddBpClubPostgres(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(_ => NpgsqlDataSource.Create(WithoutReset(connectionString)));
        services.AddHealthChecks();
        services.Configure<HealthCheckServiceOptions>(o =>
        {
            if (o.Registrations.Any(r => r.Name == PostgresHealthCheck.Name)) return;
            o.Registrations.Add(new HealthCheckRegistration(PostgresHealthCheck.Name,
                s => ActivatorUtilities.CreateInstance<PostgresHealthCheck>(s), HealthStatus.Unhealthy, [ReadyTag]));
        });
        return services;
    }
}
