using System.ComponentModel.DataAnnotations;

namespace BpClub.Hosting;

/// <summary>
/// The "Orleans:Tls" section: mutual TLS between silos and from front ends to silo gateways (<see cref="ClusterTls"/>).
/// Every process holds a certificate and key issued by the cluster's own CA and the CA's certificate (PEM files, what a
/// cert-manager Secret holds as tls.crt, tls.key and ca.crt); it accepts only peers whose certificate chains to that CA
/// and names the right role. Unset, the cluster runs without TLS, which only Development and the tests may.
/// </summary>
public sealed class ClusterTlsOptions : IValidatableObject
{
    public const string SectionName = "Orleans:Tls";

    /// <summary>This process's certificate (PEM), issued by the CA of <see cref="CaPath"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The certificate's private key (PEM, PKCS#8 or RSA/EC).</summary>
    public string? KeyPath { get; set; }

    /// <summary>The cluster CA's certificate (PEM); during a CA rotation the old and the new one, one after the other.
    /// Peers are checked against these alone, never against the system's trust store.</summary>
    public string? CaPath { get; set; }

    /// <summary>The name (DNS SAN, or CN without SANs) a silo's certificate carries: only such a certificate may
    /// connect to a silo port, and front ends and silos connect only to a gateway or silo that presents one.</summary>
    [Required(AllowEmptyStrings = false)]
    public string SiloName { get; set; } = "bpclub-silo";

    /// <summary>The name a front end's certificate carries: it may connect to gateways, never to silo ports.</summary>
    [Required(AllowEmptyStrings = false)]
    public string FrontEndName { get; set; } = "bpclub-api";

    /// <summary>How long a TLS handshake may take before the connection is dropped.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether any of the three files is set (then all must be).</summary>
    public bool Configured => !string.IsNullOrEmpty(CertificatePath) || !string.IsNullOrEmpty(KeyPath)
        || !string.IsNullOrEmpty(CaPath);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Configured) yield break;
        foreach (var (name, path) in new[]
                 {
                     (nameof(CertificatePath), CertificatePath), (nameof(KeyPath), KeyPath), (nameof(CaPath), CaPath),
                 })
        {
            if (string.IsNullOrEmpty(path))
                yield return new ValidationResult($"{SectionName}:{name} is not set: {SectionName}:CertificatePath, "
                    + "KeyPath and CaPath go together.", [name]);
            else if (!File.Exists(path))
                yield return new ValidationResult($"{SectionName}:{name}: no file at {path}.", [name]);
        }
        if (string.Equals(SiloName, FrontEndName, StringComparison.OrdinalIgnoreCase))
            yield return new ValidationResult($"{SectionName}:SiloName and FrontEndName must differ, or a front end's "
                + "certificate would open silo ports.", [nameof(SiloName), nameof(FrontEndName)]);
    }

    /// <summary>The refusal of a Production process without TLS.</summary>
    public const string ProductionNeedsTls = "Production needs mutual TLS in the Orleans cluster: set "
        + "Orleans:Tls:CertificatePath, Orleans:Tls:KeyPath and Orleans:Tls:CaPath (PEM files of a certificate "
        + "issued by the cluster's CA, its key and the CA's certificate, e.g. a mounted cert-manager Secret).";
}
