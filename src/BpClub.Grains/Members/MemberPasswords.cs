using Microsoft.AspNetCore.Identity;

namespace BpClub.Grains.Members;

/// <summary>
/// Members' passwords as salted slow hashes: ASP.NET Core Identity's PasswordHasher, format V3
/// (PBKDF2-HMAC-SHA512, <see cref="CabinetOptions.PasswordHashIterations"/> iterations, at least Identity's
/// own default of 100 000, per-password salt). A hash made with fewer iterations or an older format verifies as
/// SuccessRehashNeeded, and sign-in stores a new one. Hashing takes tens of milliseconds of CPU, so it runs on
/// the thread pool, never on the Orleans scheduler where it would hold up every other grain of the silo.
/// </summary>
public sealed class MemberPasswords
{
    private static readonly object Member = new();
    private readonly PasswordHasher<object> _hasher;
    private readonly Lazy<string> _decoy;

    public MemberPasswords(IOptions<CabinetOptions> options)
    {
        _hasher = new PasswordHasher<object>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = options.Value.PasswordHashIterations,
        }));
        _decoy = new(() => _hasher.HashPassword(Member, Guid.NewGuid().ToString()));
    }

    public Task<string> HashAsync(string password) => Task.Run(() => _hasher.HashPassword(Member, password));

    public Task<PasswordVerificationResult> VerifyAsync(string hash, string password) =>
        Task.Run(() => _hasher.VerifyHashedPassword(Member, hash, password));

    /// <summary>Spends the time of a real check, so an unknown phone answers no faster than a known one.</summary>
    public Task VerifyDecoyAsync(string password)
        => Task.Run(() => _hasher.VerifyHashedPassword(Member, _decoy.Value, password));
}
