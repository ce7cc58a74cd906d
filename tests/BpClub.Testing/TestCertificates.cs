using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BpClub.Testing;

/// <summary>
/// Self-signed RSA certificates as PEM files (what a mounted TLS Secret holds), made once per test process: the
/// certificate that encrypts the Data Protection key ring at rest (DataProtection:CertificatePath and KeyPath),
/// which a front end in Production requires.
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
}
