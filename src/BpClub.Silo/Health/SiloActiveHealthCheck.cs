using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace BpClub.Silo.Health;

/// <summary>
/// Ready only while this silo is Active in the membership table: not while it is still joining, and no
/// longer once it has begun shutting down, so a rolling update waits for the new silo to really serve.
/// </summary>
public sealed class SiloActiveHealthCheck(IClusterMembershipService membership, ILocalSiloDetails localSilo)
    : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context,
        CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(localSilo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"{localSilo.SiloAddress} is Active")
            : HealthCheckResult.Unhealthy($"{localSilo.SiloAddress} is {status}"));
    }
}
