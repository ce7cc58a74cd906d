using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace BpClub.Api.Security;

/// <summary>
/// Data Protection (anti-forgery tokens, the token-signing keys at rest) with one key ring for every front end, kept
/// in PostgreSQL (data_protection_keys), so that what one replica protected another unprotects, after restarts too.
/// The ring's keys are encrypted with a certificate (DataProtection:CertificatePath and KeyPath, PEM files from a
/// Secret); a previous certificate (DataProtection:PreviousCertificatePath and PreviousKeyPath) still decrypts the
/// keys made under it. Production refuses to start without one; other environments may keep the ring unencrypted.
/// </summary>
public static class DataProtectionSetup
{
    public const string SectionName = "DataProtection";
    public const string ApplicationName = "bpclub";

    public static void AddBpClubDataProtection(this IServiceCollection services, IConfiguration configuration,
        IHostEnvironment environment)
    {
        var section = configuration.GetSection(SectionName);
        var current = Certificate(section, "CertificatePath", "KeyPath");
        if (current is null && environment.IsProduction())
            throw new InvalidOperationException(
                "Production needs a certificate to encrypt the Data Protection key ring at rest: set "
                + "DataProtection:CertificatePath and DataProtection:KeyPath (PEM files, e.g. a mounted TLS Secret).");
        var builder = services.AddDataProtection().SetApplicationName(ApplicationName);
        if (current is not null)
        {
            var previous = Certificate(section, "PreviousCertificatePath", "PreviousKeyPath");
            builder.ProtectKeysWithCertificate(current)
                .UnprotectKeysWithAnyCertificate(previous is null ? [current] : [current, previous]);
        }
        services.AddSingleton<PostgresXmlRepository>();
        services.AddOptions<KeyManagementOptions>().Configure<PostgresXmlRepository>(
            (o, repository) => o.XmlRepository = repository);
        services.AddHostedService<FirstDataProtectionKey>();
    }

    private static X509Certificate2? Certificate(IConfiguration section, string certificateKey, string keyKey)
    {
        var certificate = section[certificateKey];
        var key = section[keyKey];
        if (string.IsNullOrEmpty(certificate) && string.IsNullOrEmpty(key)) return null;
        if (string.IsNullOrEmpty(certificate) || string.IsNullOrEmpty(key))
            throw new InvalidOperationException(
                $"{SectionName}:{certificateKey} and {SectionName}:{keyKey} go together (PEM certificate and key).");
        try
        {
            var loaded = X509Certificate2.CreateFromPemFile(certificate, key);
            if (!loaded.HasPrivateKey || loaded.GetRSAPublicKey() is null)
                throw new InvalidOperationException("Not an RSA certificate with its private key.");
            return loaded;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException
            or System.Security.Cryptography.CryptographicException or InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"{SectionName}:{certificateKey}/{keyKey}: cannot load an RSA certificate and its key ({e.Message}).",
                e);
        }
    }
}

/// <summary>The key ring's elements, one row each in data_protection_keys.</summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var command = database.CreateCommand("select xml from data_protection_keys order by id");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read()) elements.Add(XElement.Parse(reader.GetString(0)));
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var command = database.CreateCommand(
            "insert into data_protection_keys (friendly_name, xml) values (@name, @xml)");
        command.Parameters.AddWithValue("name", friendlyName);
        command.Parameters.AddWithValue("xml", element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }
}

/// <summary>
/// Makes the ring's first key at start, one front end at a time (a PostgreSQL advisory lock): replicas starting
/// together on an empty ring would otherwise each make a key of their own and, until their rings are next re-read,
/// refuse each other's payloads. Later keys Data Protection makes itself, days before they are needed.
/// </summary>
public sealed class FirstDataProtectionKey(NpgsqlDataSource database, IKeyManager keys, TimeProvider time,
    ILogger<FirstDataProtectionKey> logger) : IHostedService
{
    private const long LockId = 0x6270_636C_7562_4450; // "bpclubDP"

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CreateFirst(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // PostgreSQL not there yet: the front end starts anyway (its readiness says so), and Data Protection makes
            // the key at first use.
            DataProtectionLog.FirstKeyDeferred(logger, e.Message);
        }
    }

    private async Task CreateFirst(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using (var locking = new NpgsqlCommand("select pg_advisory_lock(@id)", connection))
        {
            locking.Parameters.AddWithValue("id", LockId);
            await locking.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            var now = time.GetUtcNow();
            if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now))
                keys.CreateNewKey(now, now.AddDays(90));
        }
        finally
        {
            await using var unlocking = new NpgsqlCommand("select pg_advisory_unlock(@id)", connection);
            unlocking.Parameters.AddWithValue("id", LockId);
            await unlocking.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal static partial class DataProtectionLog
{
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not check the Data Protection key ring at start; it is made at first use ({Reason})")]
    public static partial void FirstKeyDeferred(ILogger logger, string reason);
}
