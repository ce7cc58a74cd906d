using BpClub.Domain.Cards;

namespace BpClub.Abstractions;

/// <summary>
/// A pending confirmation by SMS code (registration, password reset, or a card replacement proven by the phone the
/// till recorded with the new card), keyed by a random id.
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

    /// <summary>Sends a code to the member's phone before <paramref name="card"/> moves to
    /// <paramref name="newCard"/>, whose till recorded that phone: a session alone (perhaps a stolen one) cannot
    /// move a member's points onto a card someone had issued with their number.</summary>
    Task<Outcome<CodeSent>> StartCardReplacement(CardNumber card, CardNumber newCard, PhoneNumber phone,
        string source);

    /// <summary>The new card, once the member of <paramref name="card"/> brings the right code back.</summary>
    Task<Outcome<CardNumber>> ConfirmCardReplacement(CardNumber card, string code);
}
