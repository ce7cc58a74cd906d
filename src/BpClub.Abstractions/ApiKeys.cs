using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace BpClub.Abstractions;

public enum KeyKind { Station, Partner }

/// <summary>
/// Machine callers' keys: "st.{stationId}.{secret}" or "pt.{partnerId}.{secret}", the secret 32
/// random bytes. The prefix tells the front end which grain checks the secret without a lookup.
/// </summary>
public static partial class ApiKeys
{
    /// <summary>Station and partner ids: letters, digits, '-' and '_' (they appear in keys and URLs).</summary>
    /// <summary>What is said of an id that <see cref="IsValidId"/> refuses.</summary>
    public const string InvalidId = "Letters, digits, '-' and '_', at most 32.";

    public static bool IsValidId([NotNullWhen(true)] string? id) => id is not null && IdPattern().IsMatch(id);

    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=')
        .Replace('+', '-').Replace('/', '_');

    public static string Compose(KeyKind kind, string id, string secret) => $"{Prefix(kind)}.{id}.{secret}";

    public static byte[] Hash(string secret) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret));

    public static bool Matches(byte[] hash, string secret)
        => CryptographicOperations.FixedTimeEquals(hash, Hash(secret));

    public static bool TryParse(string? key, out KeyKind kind, [NotNullWhen(true)] out string? id,
        [NotNullWhen(true)] out string? secret)
    {
        (kind, id, secret) = (default, null, null);
        if (key is null || key.Length > 200) return false;
        var parts = key.Split('.');
        if (parts.Length != 3 || !IsValidId(parts[1]) || parts[2].Length < 20) return false;
        switch (parts[0])
        {
            case "st": kind = KeyKind.Station; break;
            case "pt": kind = KeyKind.Partner; break;
            default: return false;
        }
        (id, secret) = (parts[1], parts[2]);
        return true;
    }

    private static string Prefix(KeyKind kind) => kind == KeyKind.Station ? "st" : "pt";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex IdPattern();
}
