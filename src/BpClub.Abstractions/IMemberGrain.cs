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
    /// registration). 422 otherwise, revealing nothing of the recorded phone; 429 while locked. The answer says
    /// which proof it was: a recorded phone is only a proof once a code sent to it comes back.
    /// </summary>
    Task<Outcome<PossessionProof>> ProveHolder(PhoneNumber phone, string? cardCode);

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

    /// <summary>Reads the account again: a card replacement moved it to or from this card.</summary>
    Task Reload();

    /// <summary>
    /// After a replacement moved the account here: the session, if it is open, as a grant naming this card (the
    /// member's token names the old one), counted as used now.
    /// </summary>
    Task<SessionGrant?> AdoptSession(string sessionId);

    /// <summary>Termination: the account and its sessions are deleted, with the phone they held.</summary>
    Task Close();

    /// <summary>
    /// The member leaves the programme: with the password again (wrong ones count against the phone's sign-in
    /// lock-out, from <paramref name="source"/>), the card is terminated as an operator's termination would (points
    /// forfeited, personal data erased in the same transaction) and every session ends.
    /// </summary>
    Task<Outcome<TerminationResult>> Terminate(string sessionId, string password, string source);

    /// <summary>The member edits the name or the birth date recorded at the till; answers the updated
    /// profile.</summary>
    Task<Outcome<MemberProfile>> UpdateProfile(string sessionId, ProfileChange change);

    /// <summary>
    /// The password asked for again before a phone change sends its code: wrong ones count against the current
    /// phone's sign-in lock-out (as for leaving the programme); <paramref name="newPhone"/> being the current phone is
    /// a 400 on <c>phone</c>.
    /// </summary>
    Task<Outcome<bool>> ProvePassword(string sessionId, string password, PhoneNumber newPhone, string source);

    /// <summary>A confirmed phone change: the account moves to <paramref name="phone"/> atomically (409 when that
    /// phone holds a card by now), and the old phone is told by SMS.</summary>
    Task<Outcome<MemberProfile>> MovePhone(string sessionId, PhoneNumber phone);
}
