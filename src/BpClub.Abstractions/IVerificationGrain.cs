using BpClub.Domain.Cards;

namespace BpClub.Abstractions;

/// <summary>
/// A pending confirmation by SMS code (registration, password reset, a member's new phone, or a card replacement
/// proven by the phone the till recorded with the new card), keyed by a random id.
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

    /// <summary>
    /// A signed-in member moves to <paramref name="phone"/>: the password again (wrong ones count against the current
    /// phone's sign-in lock-out), then a code goes to the new phone under the same caps as any code. A phone that
    /// already holds a card answers exactly like a free one: its owner gets a text without a code, and no code
    /// confirms the change.
    /// </summary>
    Task<Outcome<CodeSent>> StartPhoneChange(CardNumber card, string sessionId, PhoneNumber phone, string password,
        string source);

    /// <summary>The code from the new phone: the account moves to it (an unknown id, or another card's, is a
    /// 404).</summary>
    Task<Outcome<MemberProfile>> ConfirmPhoneChange(CardNumber card, string sessionId, string code);

    /// <summary>Sends a code to the member's phone before <paramref name="card"/> moves to
    /// <paramref name="newCard"/>, whose till recorded that phone: a session alone (perhaps a stolen one) cannot
    /// move a member's points onto a card someone had issued with their number.</summary>
    Task<Outcome<CodeSent>> StartCardReplacement(CardNumber card, CardNumber newCard, PhoneNumber phone,
        string source);

    /// <summary>The new card, once the member of <paramref name="card"/> brings the right code back.</summary>
    Task<Outcome<CardNumber>> ConfirmCardReplacement(CardNumber card, string code);
}
