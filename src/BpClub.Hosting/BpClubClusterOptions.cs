using System.ComponentModel.DataAnnotations;
using System.Net;

namespace BpClub.Hosting;

/// <summary>
/// The "Cluster" section: the Orleans cluster's identity (silos and front ends), where a silo listens,
/// and (its "Membership" subsection) Orleans' ClusterMembershipOptions over
/// <see cref="ClusterMembershipDefaults"/>.
/// </summary>
public sealed class BpClubClusterOptions : IValidatableObject
{
    public const string SectionName = "Cluster";

    /// <summary>The subsection bound to Orleans' ClusterMembershipOptions on silos.</summary>
    public const string MembershipSectionName = "Membership";

    /// <summary>Silos and clients of one deployment share it (a silo joins only its own cluster id).</summary>
    [Required(AllowEmptyStrings = false)]
    public string ClusterId { get; set; } = "bpclub-dev";

    /// <summary>Stays the same across deployments: grain state and reminders are keyed by it.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ServiceId { get; set; } = "bpclub";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this silo at (outside Kubernetes).</summary>
    public string AdvertisedIPAddress { get; set; } = "127.0.0.1";

    /// <summary>Listen on every interface instead of the advertised address alone.</summary>
    public bool ListenOnAnyHostAddress { get; set; }

    /// <summary>Whether the silo runs in a Kubernetes pod; unset, KUBERNETES_SERVICE_HOST decides.</summary>
    public bool? Kubernetes { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(AdvertisedIPAddress, out _))
            yield return new ValidationResult("Cluster:AdvertisedIPAddress must be an IP address.",
                [nameof(AdvertisedIPAddress)]);
        if (SiloPort == GatewayPort)
            yield return new ValidationResult("Cluster:SiloPort and Cluster:GatewayPort must differ.",
                [nameof(SiloPort), nameof(GatewayPort)]);
    }
}
