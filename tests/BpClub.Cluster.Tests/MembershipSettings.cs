using System.Globalization;

namespace BpClub.Cluster.Tests;

/// <summary>
/// The cluster-membership settings the fault test gives its silos (BpClub's defaults, stated here so that
/// the test knows them), and the failure-detection time they imply.
/// </summary>
public static class MembershipSettings
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan MinProbeTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MaxProbeTimeout = TimeSpan.FromSeconds(6);
    public const int NumMissedProbesLimit = 3;
    public const int NumVotesForDeathDeclaration = 2;

    /// <summary>
    /// How long the membership may take to declare a silo dead that stopped answering: each of its monitors
    /// (they probe in parallel) suspects it after <see cref="NumMissedProbesLimit"/> missed probes, and each
    /// probe period is at most <see cref="MaxProbeTimeout"/> (Orleans adapts it to the round trips it sees,
    /// between the minimum and the maximum); the second vote declares it dead.
    /// </summary>
    public static TimeSpan DetectionTime => NumMissedProbesLimit * MaxProbeTimeout;

    /// <summary>The same detection at the initial probe timeout, a quiet cluster's typical case.</summary>
    public static TimeSpan TypicalDetectionTime => NumMissedProbesLimit * ProbeTimeout;

    /// <summary>As environment variables for the silos (the Cluster:Membership section).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Environment() =>
    [
        new("Cluster__Membership__ProbeTimeout", Format(ProbeTimeout)),
        new("Cluster__Membership__MinProbeTimeout", Format(MinProbeTimeout)),
        new("Cluster__Membership__MaxProbeTimeout", Format(MaxProbeTimeout)),
        new("Cluster__Membership__NumMissedProbesLimit", NumMissedProbesLimit.ToString(CultureInfo.InvariantCulture)),
        new("Cluster__Membership__NumVotesForDeathDeclaration",
            NumVotesForDeathDeclaration.ToString(CultureInfo.InvariantCulture)),
    ];

    private static string Format(TimeSpan t) => t.ToString("c", CultureInfo.InvariantCulture);
}
