using System.ComponentModel.DataAnnotations;
using System.Net;

namespace BpClub.Silo;

/// <summary>The "Silo" section: the silo process's own HTTP listener and its graceful-stop budget.</summary>
public sealed class SiloOptions : IValidatableObject
{
    public const string SectionName = "Silo";

    /// <summary>Probes (/health/live, /health/ready) and /metrics.</summary>
    [Range(1, 65535)]
    public int HttpPort { get; set; } = 8081;

    /// <summary>Unset: loopback locally, every interface in Kubernetes (the kubelet and Prometheus reach the pod
    /// IP).</summary>
    public string? HttpAddress { get; set; }

    /// <summary>How long a graceful stop may take; <see cref="ShutdownDeadline"/> ends the process soon
    /// after.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HttpAddress is not null && !IPAddress.TryParse(HttpAddress, out _))
            yield return new ValidationResult("Silo:HttpAddress must be an IP address.", [nameof(HttpAddress)]);
    }
}
