using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Connections.Security;

namespace BpClub.Hosting;

/// <summary>
/// Mutual TLS in the Orleans cluster (<see cref="ClusterTlsOptions"/>): this process's certificate and the cluster
/// CA, loaded once at start, and the rules each connection is checked by. A peer is accepted only when its
/// certificate chains to the cluster's CA (a custom root: the system's trust store plays no part, so a certificate
/// from a public CA gets nowhere), is valid now, is meant for the use it is put to (client or server
/// authentication), and names the right role: silo ports take silos alone, gateways take front ends and silos, and
/// front ends and silos connect only to a peer that proves it is a silo. A stolen front-end certificate therefore
/// reaches gateways only (as a front end would), never silo ports.
/// </summary>
public sealed partial class ClusterTls
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");
    private const string SubjectAlternativeName = "2.5.29.17";

    private readonly ClusterTlsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ClusterTls(IOptions<ClusterTlsOptions> options, TimeProvider time, ILogger<ClusterTls> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        Authorities = LoadAuthorities(_options.CaPath!);
        Certificate = LoadCertificate(_options.CertificatePath!, _options.KeyPath!);
        var own = Check(Certificate, null, null, []);
        if (own is not null)
            throw new InvalidOperationException($"{ClusterTlsOptions.SectionName}:CertificatePath: this process's "
                + $"certificate ({Certificate.Subject}) is not usable with the CA of CaPath: {own}.");
    }

    /// <summary>This process's certificate, with its key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The cluster CA's certificates: the only roots peers are checked against.</summary>
    public X509Certificate2Collection Authorities { get; }

    /// <summary>A silo's listener for other silos: only silo certificates.</summary>
    public TlsOptions SiloInbound() => Server("silo port", [_options.SiloName]);

    /// <summary>A silo's gateway for clients: front ends (and silos).</summary>
    public TlsOptions GatewayInbound() => Server("gateway", [_options.FrontEndName, _options.SiloName]);

    /// <summary>A silo's or front end's connection to a silo or gateway: the other side must be a silo.</summary>
    public TlsOptions Outbound() => new()
    {
        LocalCertificate = Certificate,
        RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
        ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
        HandshakeTimeout = _options.HandshakeTimeout,
        RemoteCertificateValidation = (certificate, chain, _) =>
            Accept("outbound", certificate, chain, ServerAuthentication, [_options.SiloName]),
        // The name a silo's certificate carries, sent as SNI (silos are reached by IP address).
        OnAuthenticateAsClient = (_, o) => o.TargetHost = _options.SiloName,
    };

    private TlsOptions Server(string listener, string[] names) => new()
    {
        LocalCertificate = Certificate,
        RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
        ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
        HandshakeTimeout = _options.HandshakeTimeout,
        RemoteCertificateValidation = (certificate, chain, _) =>
            Accept(listener, certificate, chain, ClientAuthentication, names),
    };

    /// <summary>
    /// The peer's certificate checked by BpClub's rules alone (the platform's verdict, which looks at the system's
    /// trust store and the host name, is ignored); a refusal is logged with the peer's subject and the reason.
    /// </summary>
    private bool Accept(string where, X509Certificate2 certificate, X509Chain? presented, Oid usage, string[] names)
    {
        var problem = Check(certificate, presented, usage, names);
        if (problem is null) return true;
        LogRefused(_logger, where, certificate.Subject, certificate.Issuer, problem);
        return false;
    }

    /// <summary>Why <paramref name="certificate"/> is not acceptable, or null when it is.</summary>
    public string? Check(X509Certificate2 certificate, X509Chain? presented, Oid? usage,
        IReadOnlyCollection<string> names)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        if (usage is not null) chain.ChainPolicy.ApplicationPolicy.Add(usage);
        // Intermediates the peer sent may help build the chain; they are never trusted by themselves.
        if (presented is not null)
            foreach (var element in presented.ChainElements.Skip(1))
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        if (!chain.Build(certificate))
            return "not issued by the cluster's CA, or not valid now or for this use ("
                + string.Join(", ", chain.ChainStatus.Select(s => s.Status)) + ")";
        if (names.Count > 0 && !Names(certificate).Any(n => names.Contains(n, StringComparer.OrdinalIgnoreCase)))
            return $"names none of {string.Join(", ", names)}";
        return null;
    }

    /// <summary>The certificate's DNS names, or its common name when it has none.</summary>
    public static IEnumerable<string> Names(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions.FirstOrDefault(e => e.Oid?.Value == SubjectAlternativeName);
        if (extension is not null)
            return new X509SubjectAlternativeNameExtension(extension.RawData, extension.Critical).EnumerateDnsNames()
                .ToList();
        return [certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false)];
    }

    private static X509Certificate2Collection LoadAuthorities(string path)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidOperationException(
                $"{ClusterTlsOptions.SectionName}:CaPath: cannot read the CA certificates ({e.Message}).", e);
        }
        if (authorities.Count == 0)
            throw new InvalidOperationException(
                $"{ClusterTlsOptions.SectionName}:CaPath: {path} holds no PEM certificate.");
        return authorities;
    }

    private static X509Certificate2 LoadCertificate(string certificate, string key)
    {
        try
        {
            var loaded = X509Certificate2.CreateFromPemFile(certificate, key);
            return loaded.HasPrivateKey ? loaded
                : throw new InvalidOperationException("the key does not belong to the certificate");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException
            or InvalidOperationException or ArgumentException)
        {
            throw new InvalidOperationException($"{ClusterTlsOptions.SectionName}:CertificatePath/KeyPath: cannot "
                + $"load the certificate and its key ({e.Message}).", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Orleans TLS: refused a peer at the {Where} (certificate {Subject}, issuer {Issuer}): {Problem}")]
    private static partial void LogRefused(ILogger logger, string where, string subject, string issuer,
        string problem);
}
