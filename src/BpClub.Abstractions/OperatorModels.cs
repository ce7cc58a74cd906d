namespace BpClub.Abstractions;

/// <summary>A station or partner as operators see it; <see cref="ApiKey"/> only when a key was just made.</summary>
[GenerateSerializer, Immutable]
public sealed record StationModel(
    [property: Id(0)] string StationId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Address,
    [property: Id(3)] string? ApiKey);

[GenerateSerializer, Immutable]
public sealed record PartnerModel(
    [property: Id(0)] string PartnerId,
    [property: Id(1)] string Name,
    [property: Id(2)] decimal PointsPerUah,
    [property: Id(3)] string? ApiKey);

[GenerateSerializer, Immutable]
public sealed record PromotionModel(
    [property: Id(0)] string PromotionId,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset StartsAt,
    [property: Id(3)] DateTimeOffset EndsAt,
    [property: Id(4)] IReadOnlyList<string>? StationIds,
    [property: Id(5)] IReadOnlyList<string>? ProductCodes,
    [property: Id(6)] IReadOnlyList<string>? Categories,
    [property: Id(7)] decimal? Multiplier,
    [property: Id(8)] long? BonusPoints,
    [property: Id(9)] IReadOnlyList<int>? Levels = null);

/// <summary>Who a machine caller is, once its key checked out.</summary>
[GenerateSerializer, Immutable]
public sealed record KeyHolder([property: Id(0)] string Id, [property: Id(1)] string Name,
    [property: Id(2)] decimal? PointsPerUah);
