namespace BpClub.Abstractions;

/// <summary>A partner as members see it: its name and rate, nothing of its key or id.</summary>
[GenerateSerializer, Immutable]
public sealed record PartnerListing(
    [property: Id(0)] string Name,
    [property: Id(1)] decimal PointsPerUah);

/// <summary>A station where an offer runs, as members see it.</summary>
[GenerateSerializer, Immutable]
public sealed record OfferStation(
    [property: Id(0)] string Name,
    [property: Id(1)] string Address);

/// <summary>
/// What a promotion gives, for members to read: the matching lines (fuels, shop categories, or every line when
/// neither), at which stations (null: all), for which levels (their names; null: all), and the extra points (a
/// multiplier of a line's points, bonus points on it).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OfferRule(
    [property: Id(0)] decimal? Multiplier,
    [property: Id(1)] long? BonusPoints,
    [property: Id(2)] IReadOnlyList<string>? ProductCodes,
    [property: Id(3)] IReadOnlyList<string>? Categories,
    [property: Id(4)] IReadOnlyList<OfferStation>? Stations,
    [property: Id(5)] IReadOnlyList<string>? Levels);

/// <summary>A promotion running now (<see cref="Running"/>) or starting soon, as members see it.</summary>
[GenerateSerializer, Immutable]
public sealed record OfferModel(
    [property: Id(0)] string Name,
    [property: Id(1)] DateTimeOffset StartsAt,
    [property: Id(2)] DateTimeOffset EndsAt,
    [property: Id(3)] bool Running,
    [property: Id(4)] OfferRule Rule);

/// <summary>What the programme offers members (one directory, key 0): partners and promotions.</summary>
public interface IProgrammeDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>The partners that earn points, by name.</summary>
    Task<IReadOnlyList<PartnerListing>> Partners();

    /// <summary>The promotions for a card at <paramref name="level"/> (its number) running at <paramref name="now"/>
    /// (soonest end first), then those starting before <paramref name="now"/> + <paramref name="horizon"/> (soonest
    /// start first).</summary>
    Task<IReadOnlyList<OfferModel>> Offers(DateTimeOffset now, TimeSpan horizon, int level);
}
