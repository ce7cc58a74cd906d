using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;

namespace BpClub.Hosting;

/// <summary>The probes of every process: live when it answers, ready when every "ready" check passes.</summary>
public static class BpClubHealth
{
    public static IEndpointRouteBuilder MapBpClubHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(BpClubPostgres.ReadyTag),
        });
        return app;
    }
}
