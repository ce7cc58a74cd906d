using Orleans.Concurrency;

namespace BpClub.Abstractions;

/// <summary>
/// Everything addressed by a phone number before anyone is signed in: sign-in with its lock-out
/// after repeated wrong passwords, and the pace of SMS codes. Kept in memory only, so no phone
/// number is written anywhere by it.
/// </summary>
public interface IPhoneGrain : IGrainWithStringKey
{
    /// <summary>Signs in from <paramref name="source"/> (the client's address): wrong passwords lock that source,
    /// and enough of them from all sources together lock the phone.</summary>
    Task<Outcome<SessionGrant>> SignIn(string password, string source);

    /// <summary>
    /// Sends a text unless a code went to this phone less than the resend interval ago, the number may not get
    /// texts, or a cap against SMS pumping is reached (per phone, per <paramref name="source"/> address, daily budget).
    /// </summary>
    Task<Outcome<bool>> SendCode(string text, string source);

    /// <summary>A password reset succeeded: the lock-out and its back-off end.</summary>
    Task ClearLockout();

    /// <summary>How long sign-in for this phone from <paramref name="source"/> stays locked, or null when it is not:
    /// a password asked for again in the cabinet (leaving the programme) obeys the same lock. Interleaved: the member
    /// grain asks it while a sign-in may be waiting for that member grain.</summary>
    [AlwaysInterleave]
    Task<TimeSpan?> PasswordLockedFor(string source);

    /// <summary>Counts a password given in the cabinet as sign-in counts one: a right one ends the run of wrong
    /// ones, a wrong one may start the lock-out (then the answer is the 429).</summary>
    [AlwaysInterleave]
    Task<Outcome<bool>> CountPassword(bool right, string source);

    /// <summary>Takes the throttle without sending: an unknown phone answers exactly like a known one.</summary>
    Task<Outcome<bool>> PretendToSendCode();
}
