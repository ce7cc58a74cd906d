namespace BpClub.Domain.Earning;

/// <summary>
/// A promotion: for a time window, optionally only at some stations, for some fuel product codes
/// or shop categories, optionally only for cards at some levels (<see cref="Levels"/>, their numbers), a
/// multiplier on the matching lines' points and/or fixed bonus points per line.
/// </summary>
public sealed record Promotion(
    string Id,
    string Name,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    IReadOnlySet<string>? StationIds = null,
    IReadOnlySet<string>? ProductCodes = null,
    IReadOnlySet<string>? Categories = null,
    decimal? Multiplier = null,
    long? BonusPoints = null,
    IReadOnlySet<int>? Levels = null)
{
    public bool IsActiveAt(DateTimeOffset at) => at >= StartsAt && at < EndsAt;

    /// <summary>Whether a card at <paramref name="level"/> (its number) may earn it: every level when none is
    /// set.</summary>
    public bool IsForLevel(int level) => Levels is not { Count: > 0 } || Levels.Contains(level);

    /// <summary>
    /// A promotion limited to product codes targets fuel, one limited to categories targets shop
    /// goods; with neither it targets every line.
    /// </summary>
    public bool Matches(PurchaseLine line, string stationId, DateTimeOffset at, int level)
    {
        if (!IsActiveAt(at) || !IsForLevel(level)) return false;
        if (StationIds is { Count: > 0 } && !StationIds.Contains(stationId)) return false;
        var byProduct = ProductCodes is { Count: > 0 };
        var byCategory = Categories is { Count: > 0 };
        if (!byProduct && !byCategory) return true;
        return line.Type switch
        {
            LineType.Fuel => byProduct && ProductCodes!.Contains(line.ProductCode ?? ""),
            LineType.Shop => byCategory && Categories!.Contains(line.Category ?? ""),
            _ => false,
        };
    }

    /// <summary>The extra (decimal) points this promotion adds to a line that earned <paramref
    /// name="basePoints"/>.</summary>
    public decimal ExtraPoints(decimal basePoints) =>
        basePoints * ((Multiplier ?? 1m) - 1m) + (BonusPoints ?? 0);
}
