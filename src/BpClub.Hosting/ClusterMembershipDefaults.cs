using Orleans.Configuration;

namespace BpClub.Hosting;

/// <summary>
/// BpClub's membership defaults, applied before the "Cluster:Membership" configuration section (so any
/// of them can be overridden, e.g. Cluster__Membership__NumMissedProbesLimit=4).
/// </summary>
/// <remarks>
/// The aim: a silo that dies without saying goodbye (SIGKILL, a lost node) is declared Dead within about
/// 10-20 s, so its card grains are re-activated elsewhere while tills are still retrying; and a busy
/// 2-core box must not declare a healthy silo dead (a silo declared dead stops itself).
/// <list type="bullet">
/// <item>A silo probes its peers every probe period; Orleans adapts that period to the observed round
/// trips between <c>MinProbeTimeout</c> and <c>MaxProbeTimeout</c>. Three missed probes raise a suspicion
/// and two suspicions declare the silo dead, so detection takes about 3 × 2 s on a quiet network and at
/// most 3 × 6 s when the network (or the CPU) is slow. Orleans' defaults (5 s, clamped to 2.5-20 s) can
/// take a minute.</item>
/// <item>Orleans still stretches the timeout while the prober itself is unhealthy (GC pauses, a starved
/// thread pool) and ignores suspicions against a silo whose connection carries traffic, which is what
/// keeps short probes from killing healthy silos under load.</item>
/// <item>The membership table is re-read every 10 s (default 60 s) so that a silo which missed the
/// gossip still learns about joins and deaths quickly; a few small queries per silo on PostgreSQL.</item>
/// <item>"I am alive" is written every 10 s and an entry is stale after 3 misses (30 s): when every silo
/// was killed at once, nobody is left to vote, and a new silo must not wait on stale entries.</item>
/// </list>
/// A silo stopped with SIGTERM does not need any of this: it writes ShuttingDown and then Dead itself.
/// </remarks>
public static class ClusterMembershipDefaults
{
    public static void Apply(ClusterMembershipOptions o)
    {
        o.ProbeTimeout = TimeSpan.FromSeconds(3);
        o.MinProbeTimeout = TimeSpan.FromSeconds(2);
        o.MaxProbeTimeout = TimeSpan.FromSeconds(6);
        o.NumMissedProbesLimit = 3;
        o.NumVotesForDeathDeclaration = 2;
        o.TableRefreshTimeout = TimeSpan.FromSeconds(10);
        o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
        o.NumMissedTableIAmAliveLimit = 3;
    }
}
