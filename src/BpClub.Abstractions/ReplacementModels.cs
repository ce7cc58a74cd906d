using BpClub.Domain.Units;

namespace BpClub.Abstractions;

/// <summary>
/// Moves everything of a lost or damaged card to <see cref="NewCardNumber"/>, a card issued at a till: by the member
/// (<see cref="OperatorId"/> null) or by an operator (their key's fingerprint, not part of the request).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ReplaceCard(
    [property: Id(0)] string NewCardNumber,
    [property: Id(1)] string? OperatorId = null)
{
    public const string AnotherCard = "The new card must be another card.";
}

/// <summary>A card replaced: what moved to the new card (available and on hold) and when.</summary>
[GenerateSerializer, Immutable]
public sealed record ReplacementResult(
    [property: Id(0)] string CardNumber,
    [property: Id(1)] string NewCardNumber,
    [property: Id(2)] string TransferId,
    [property: Id(3)] Points Available,
    [property: Id(4)] Points OnHold,
    [property: Id(5)] DateTimeOffset ReplacedAt);
