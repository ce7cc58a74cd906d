using BpClub.Domain.Earning;
using Npgsql;

namespace BpClub.Grains.Promotions.Storage;

/// <summary>
/// The promotions table, cached per silo for a few seconds: every purchase needs the promotions
/// in force, and an operator's change may take that long to reach the tills.
/// </summary>
public sealed class ActivePromotions(NpgsqlDataSource database, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Loaded? _loaded;

    private sealed record Loaded(IReadOnlyList<Promotion> Promotions, long Timestamp);

    public async ValueTask<IReadOnlyList<Promotion>> Current()
    {
        if (Fresh(_loaded) is { } cached) return cached;
        await _refresh.WaitAsync();
        try
        {
            if (Fresh(_loaded) is { } loadedMeanwhile) return loadedMeanwhile;
            var promotions = await Load();
            _loaded = new Loaded(promotions, time.GetTimestamp());
            return promotions;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Forget the cache, so the next purchase sees an operator's change at once.</summary>
    public void Invalidate() => _loaded = null;

    // "Never loaded" is a null, not a sentinel timestamp: elapsed time since long.MinValue
    // overflows to a negative span, which would look fresh forever.
    private IReadOnlyList<Promotion>? Fresh(Loaded? loaded) =>
        loaded is not null && time.GetElapsedTime(loaded.Timestamp) < CacheFor ? loaded.Promotions : null;

    private async Task<IReadOnlyList<Promotion>> Load()
    {
        // Promotions that ended more than the backdating window ago can no longer match a receipt.
        await using var command = database.CreateCommand("""
            select promotion_id, name, starts_at, ends_at, station_ids, product_codes, categories, multiplier,
                bonus_points, levels
            from promotions where ends_at > now() - interval '31 days'
            """);
        var list = new List<Promotion>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            IReadOnlySet<string>? Set(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<string[]>(i)
                .ToHashSet();
            list.Add(new Promotion(
                reader.GetString(0), reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3),
                Set(4), Set(5), Set(6),
                reader.IsDBNull(7) ? null : reader.GetDecimal(7),
                reader.IsDBNull(8) ? null : reader.GetInt64(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<int[]>(9).ToHashSet()));
        }
        return list;
    }
}
