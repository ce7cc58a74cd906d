using System.Security.Cryptography;
using System.Text;

namespace BpClub.Grains.Members;

/// <summary>
/// The secret printed on a card issued without a phone: 12 characters of Crockford's base 32 (60 random
/// bits), shown as <c>XXXX-XXXX-XXXX</c>. Kept only as its SHA-256: unlike a password it is random, so a
/// hash cannot be guessed back, and a slow one would add nothing.
/// </summary>
public static class CardCodes
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    public const int Length = 12;

    public static string New()
    {
        var chars = new char[Length];
        for (var i = 0; i < Length; i++) chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        var code = new string(chars);
        return $"{code[..4]}-{code[4..8]}-{code[8..]}";
    }

    public static byte[] Hash(string code) => SHA256.HashData(Encoding.ASCII.GetBytes(Normalise(code)!));

    /// <summary>A code as typed (any case, spaces or dashes, O for 0, I or L for 1), or null when it cannot be
    /// one.</summary>
    public static string? Normalise(string? typed)
    {
        if (typed is null) return null;
        var code = new StringBuilder(Length);
        foreach (var c in typed)
        {
            if (c is ' ' or '-') continue;
            var upper = char.ToUpperInvariant(c) switch { 'O' => '0', 'I' or 'L' => '1', var u => u };
            if (!Alphabet.Contains(upper) || code.Length == Length) return null;
            code.Append(upper);
        }
        return code.Length == Length ? code.ToString() : null;
    }

    public static bool Matches(byte[] hash, string? typed) =>
        Normalise(typed) is { } code
            && CryptographicOperations.FixedTimeEquals(hash, SHA256.HashData(Encoding.ASCII.GetBytes(code)));
}
