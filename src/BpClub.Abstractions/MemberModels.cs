using BpClub.Domain.Cards;

namespace BpClub.Abstractions;

/// <summary>A one-time code is on its way to the phone; <see cref="Id"/> names the pending confirmation.</summary>
[GenerateSerializer, Immutable]
public sealed record CodeSent([property: Id(0)] Guid Id, [property: Id(1)] DateTimeOffset CodeExpiresAt);

/// <summary>A signed-in session of a member: the front end turns it into a signed access token.</summary>
[GenerateSerializer, Immutable]
public sealed record SessionGrant(
    [property: Id(0)] string CardNumber,
    [property: Id(1)] string SessionId,
    [property: Id(2)] DateTimeOffset ExpiresAt);

[GenerateSerializer, Immutable]
public sealed record MemberProfile(
    [property: Id(0)] string CardNumber,
    [property: Id(1)] PhoneNumber Phone,
    [property: Id(2)] string? FirstName,
    [property: Id(3)] string? LastName,
    [property: Id(4)] string Status,
    [property: Id(5)] DateOnly? BirthDate = null,
    [property: Id(6)] DateTimeOffset? RegisteredAt = null,
    [property: Id(7)] DateTimeOffset? ConsentAt = null);

/// <summary>The member's own changes to the questionnaire: a null field stays as it is.</summary>
[GenerateSerializer, Immutable]
public sealed record ProfileChange(
    [property: Id(0)] string? FirstName,
    [property: Id(1)] string? LastName,
    [property: Id(2)] DateOnly? BirthDate);

/// <summary>A card's cabinet account as support sees it: the phone masked, when it was registered.</summary>
[GenerateSerializer, Immutable]
public sealed record RegistrationSummary(
    [property: Id(0)] string MaskedPhone,
    [property: Id(1)] DateTimeOffset RegisteredAt);
