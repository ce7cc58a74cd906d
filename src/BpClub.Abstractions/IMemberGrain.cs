using BpClub.Domain.Cards;
using Orleans.Concurrency;

namespace BpClub.Abstractions;

/// <summary>
/// The cabinet account of one card, keyed by its card number: the registered phone, the password
/// (a salted slow hash) and the signed-in sessions. Durable in PostgreSQL; erased on termination.
/// </summary>
public interface IMemberGrain : IGrainWithStringKey
{
    [AlwaysInterleave]
    Task<bool> IsRegistered();

    /// <summary>
    /// Whether someone registering this card with <paramref name="phone"/> holds it: the phone recorded at the till
    /// must be theirs; without one the card's printed code must be right (wrong ones are counted, then lock the card's
    /// registration). 422 otherwise, revealing nothing of the recorded phone; 429 while locked.
    /// </summary>
    Task<Outcome<bool>> ProveHolder(PhoneNumber phone, string? cardCode);

    /// <summary>Switching spending on needs the password again; the member is told by SMS that it was switched
    /// on.</summary>
    Task<Outcome<SpendingModel>> SwitchSpendingOn(string sessionId, string password);

    /// <summary>Completes a confirmed registration and opens the first session.</summary>
    Task<Outcome<SessionGrant>> Register(PhoneNumber phone, string passwordHash);

    /// <summary>Checks the password and opens a session; the caller counts failures for lock-out.</summary>
    Task<Outcome<SessionGrant>> SignIn(PhoneNumber phone, string password);

    /// <summary>
    /// Whether the session is open and was used within <paramref name="idleTimeout"/>; when <paramref name="touch"/>,
    /// this use counts as activity (a request does, a balance stream's periodic check does not).
    /// </summary>
    [AlwaysInterleave]
    Task<bool> IsSessionActive(string sessionId, TimeSpan idleTimeout, bool touch = true);

    Task EndSession(string sessionId);

    /// <summary>Sets a new password and ends every other session.</summary>
    Task<Outcome<bool>> ChangePassword(string sessionId, string currentPassword, string newPassword);

    /// <summary>A confirmed password reset: sets the new hash and ends every session.</summary>
    Task<Outcome<bool>> ResetPassword(string passwordHash);

    Task<Outcome<MemberProfile>> GetProfile();

    /// <summary>For support: the masked phone and the registration date, or null when the card has no
    /// account.</summary>
    [AlwaysInterleave]
    Task<RegistrationSummary?> GetRegistration();

    /// <summary>Termination: the account and its sessions are deleted, with the phone they held.</summary>
    Task Close();
}

/// <summary>
/// Everything addressed by a phone number before anyone is signed in: sign-in with its lock-out
/// after repeated wrong passwords, and the pace of SMS codes. Kept in memory only, so no phone
/// number is written anywhere by it.
/// </summary>
public interface IPhoneGrain : IGrainWithStringKey
{
    Task<Outcome<SessionGrant>> SignIn(string password);

    /// <summary>
    /// Sends a text unless a code went to this phone less than the resend interval ago, the number may not get
    /// texts, or a cap against SMS pumping is reached (per phone, per <paramref name="source"/> address, daily budget).
    /// </summary>
    Task<Outcome<bool>> SendCode(string text, string source);

    /// <summary>A password reset succeeded: the lock-out and its back-off end.</summary>
    Task ClearLockout();

    /// <summary>Takes the throttle without sending: an unknown phone answers exactly like a known one.</summary>
    Task<Outcome<bool>> PretendToSendCode();
}

/// <summary>
/// A pending confirmation by SMS code (registration or password reset), keyed by a random id.
/// Kept in memory: a code lives five minutes, and a lost one is simply asked for again.
/// </summary>
public interface IVerificationGrain : IGrainWithGuidKey
{
    /// <param name="source">The caller's address, for the per-source cap on texts.</param>
    Task<Outcome<CodeSent>> StartRegistration(CardNumber card, PhoneNumber phone, string password, string source,
        string? cardCode = null);

    Task<Outcome<SessionGrant>> ConfirmRegistration(string code);

    Task<Outcome<CodeSent>> StartPasswordReset(PhoneNumber phone, string source);

    Task<Outcome<bool>> ConfirmPasswordReset(string code, string newPassword);
}
