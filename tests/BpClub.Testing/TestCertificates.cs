using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BpClub.Testing;

/// <summary>
/// Self-signed RSA certificates as PEM files (what a mounted TLS Secret holds), made once per test process: the
/// certificate that encrypts the Data Protection key ring at rest (DataProtection:CertificatePath and KeyPath),
/// which a front end in Production requires; and the Orleans cluster's mutual TLS (Orleans:Tls): a test CA and the
/// certificates it issues to silos and front ends, laid out as a cert-manager Secret (tls.crt, tls.key, ca.crt).
/// </summary>
public static class TestCertificates
{
    private static readonly Lazy<(string Certificate, string Key)> DataProtection = new(() => Make("bpclub-dp-test"));

    /// <summary>The settings that give a front end the key-ring certificate (configuration keys).</summary>
    public static Dictionary<string, string?> DataProtectionSettings() => new()
    {
        ["DataProtection:CertificatePath"] = DataProtection.Value.Certificate,
        ["DataProtection:KeyPath"] = DataProtection.Value.Key,
    };

    /// <summary>The same as environment variables, for front ends run as processes.</summary>
    public static Dictionary<string, string> DataProtectionEnvironment() => new()
    {
        ["DataProtection__CertificatePath"] = DataProtection.Value.Certificate,
        ["DataProtection__KeyPath"] = DataProtection.Value.Key,
    };

    /// <summary>A new certificate and key, as PEM files in a directory of their own.</summary>
    public static (string Certificate, string Key) Make(string name)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1),
            DateTimeOffset.UtcNow.AddYears(1));
        var directory = Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var certificatePath = Path.Combine(directory, "tls.crt");
        var keyPath = Path.Combine(directory, "tls.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    /// <summary>The test cluster's CA, and a silo's and a front end's certificate issued by it.</summary>
    public static readonly Lazy<TestAuthority> Cluster = new(() => TestAuthority.Create("bpclub-test-ca"));

    /// <summary>Orleans:Tls for a silo of the test CA (configuration keys).</summary>
    public static Dictionary<string, string?> SiloTlsSettings() => Settings(Cluster.Value.Silo);

    /// <summary>Orleans:Tls for a front end of the test CA (configuration keys).</summary>
    public static Dictionary<string, string?> FrontEndTlsSettings() => Settings(Cluster.Value.FrontEnd);

    /// <summary>Orleans:Tls as configuration keys for <paramref name="files"/>.</summary>
    public static Dictionary<string, string?> Settings(TlsFiles files) => new()
    {
        ["Orleans:Tls:CertificatePath"] = files.Certificate,
        ["Orleans:Tls:KeyPath"] = files.Key,
        ["Orleans:Tls:CaPath"] = files.Authority,
    };

    /// <summary>The same as environment variables, for processes.</summary>
    public static Dictionary<string, string> TlsEnvironment(TlsFiles files) => new()
    {
        ["Orleans__Tls__CertificatePath"] = files.Certificate,
        ["Orleans__Tls__KeyPath"] = files.Key,
        ["Orleans__Tls__CaPath"] = files.Authority,
    };
}

/// <summary>A certificate, its key and the CA certificate to check peers by, as PEM files in one directory.</summary>
public sealed record TlsFiles(string Certificate, string Key, string Authority, X509Certificate2 Leaf);

/// <summary>A test CA (RSA, self-signed, CA:true) and the certificates it issues, as a cluster's would be.</summary>
public sealed class TestAuthority
{
    public const string SiloName = "bpclub-silo";
    public const string FrontEndName = "bpclub-api";

    private readonly X509Certificate2 _ca;
    private readonly string _caPath;

    private TestAuthority(X509Certificate2 ca, string caPath)
    {
        _ca = ca;
        _caPath = caPath;
        Silo = Issue(SiloName, server: true);
        FrontEnd = Issue(FrontEndName, server: false);
    }

    /// <summary>A silo's certificate: server and client authentication, named bpclub-silo.</summary>
    public TlsFiles Silo { get; }

    /// <summary>A front end's certificate: client authentication only, named bpclub-api.</summary>
    public TlsFiles FrontEnd { get; }

    public string Name => _ca.GetNameInfo(X509NameType.SimpleName, false);

    public static TestAuthority Create(string name)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // From 90 days ago, so that it can issue a certificate that has already expired.
        var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-90), DateTimeOffset.UtcNow.AddYears(2));
        var directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}"));
        var caPath = Path.Combine(directory.FullName, "ca.crt");
        File.WriteAllText(caPath, ca.ExportCertificatePem());
        return new TestAuthority(ca, caPath);
    }

    /// <summary>A certificate for <paramref name="name"/> (CN and DNS name), valid from <paramref name="from"/>
    /// for <paramref name="lifetime"/> (a day ago, for a year, unless said).</summary>
    public TlsFiles Issue(string name, bool server, DateTimeOffset? from = null, TimeSpan? lifetime = null)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        var usages = new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") };
        if (server) usages.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        var notBefore = from ?? DateTimeOffset.UtcNow.AddDays(-1);
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(_ca, notBefore, notBefore + (lifetime ?? TimeSpan.FromDays(366)), serial);
        var directory = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(_caPath)!,
            $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]));
        var certificatePath = Path.Combine(directory.FullName, "tls.crt");
        var keyPath = Path.Combine(directory.FullName, "tls.key");
        File.WriteAllText(certificatePath, issued.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        // cert-manager puts the CA beside them; so does this.
        var authorityPath = Path.Combine(directory.FullName, "ca.crt");
        File.Copy(_caPath, authorityPath);
        return new TlsFiles(certificatePath, keyPath, authorityPath,
            X509Certificate2.CreateFromPemFile(certificatePath, keyPath));
    }
}
