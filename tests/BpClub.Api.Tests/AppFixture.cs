namespace BpClub.Api.Tests;

/// <summary>One running service (cluster, database, front end) shared by every class of the
/// <see cref="ServiceCollection"/>; tests use fresh cards and phones so they do not meet.</summary>
public sealed class AppFixture : IAsyncLifetime
{
    /// <summary>Tests sign their own tokens with it (an expired one, for instance).</summary>
    public static readonly byte[] TokenSigningKey = "bpclub-api-tests-token-signing-key-32+bytes"u8.ToArray();

    /// <summary>The kid the front end names that key by (cfg- and 16 hex digits of its SHA-256).</summary>
    public static readonly string KeyId = "cfg-" + Convert.ToHexStringLower(
        System.Security.Cryptography.SHA256.HashData(TokenSigningKey))[..16];

    public BpClubApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await BpClubApp.Start(
        // Journeys send a phone several codes in a row; the one-a-minute pacing is tested on a service of its own.
        siloSettings: new Dictionary<string, string?> { ["Cabinet:CodeResendInterval"] = "00:00:00" },
        apiSettings: new Dictionary<string, string?>
    {
        ["Cabinet:TokenSigningKey"] = Convert.ToBase64String(TokenSigningKey),
        // Request logging on, so the secret-scanning test sees what a real deployment's log would hold.
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
        // Balance streams renew quickly, so a test sees a lost subscription come back within seconds.
        ["Api:BalanceStreamRenewal"] = "00:00:02",
    });

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>Classes that share one service: a cluster start each would cost more than the tests.</summary>
[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "service";
}
