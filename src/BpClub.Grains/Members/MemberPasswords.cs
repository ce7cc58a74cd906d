using Microsoft.AspNetCore.Identity;

namespace BpClub.Grains.Members;

/// <summary>
/// Members' passwords as salted slow hashes: ASP.NET Core Identity's PasswordHasher
/// (PBKDF2-HMAC-SHA512, 100 000 iterations, per-password salt).
/// </summary>
public sealed class MemberPasswords
{
    private static readonly object Member = new();
    private readonly PasswordHasher<object> _hasher = new();
    private readonly Lazy<string> _decoy;

    public MemberPasswords() => _decoy = new(() => _hasher.HashPassword(Member, Guid.NewGuid().ToString()));

    public string Hash(string password) => _hasher.HashPassword(Member, password);

    public PasswordVerificationResult Verify(string hash, string password)
        => _hasher.VerifyHashedPassword(Member, hash, password);

    /// <summary>Spends the time of a real check, so an unknown phone answers no faster than a known one.</summary>
    public void VerifyDecoy(string password) => _hasher.VerifyHashedPassword(Member, _decoy.Value, password);
}
