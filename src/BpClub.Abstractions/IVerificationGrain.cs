using BpClub.Domain.Cards;

namespace BpClub.Abstractions;

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
