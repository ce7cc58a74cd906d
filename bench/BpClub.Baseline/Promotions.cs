using Npgsql;

namespace BpClub.Baseline;

/// <summary>Fuel multipliers in force, read once at start and again after every change (one process).</summary>
public sealed class Promotions(NpgsqlDataSource db)
{
    private sealed record Promotion(string[] ProductCodes, decimal Multiplier, DateTimeOffset StartsAt,
        DateTimeOffset EndsAt);

    private volatile Promotion[] _all = [];

    public async Task Load()
    {
        var all = new List<Promotion>();
        await using var command =
            db.CreateCommand("select product_codes, multiplier, starts_at, ends_at from promotions");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            all.Add(new Promotion(reader.GetFieldValue<string[]>(0), reader.GetDecimal(1),
                reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3)));
        _all = [.. all];
    }

    /// <summary>The best multiplier for a fuel product at a moment (1 when none applies).</summary>
    public decimal FuelMultiplier(string? productCode, DateTimeOffset at)
    {
        var best = 1m;
        foreach (var p in _all)
            if (p.Multiplier > best && at >= p.StartsAt && at < p.EndsAt
                && productCode is not null && p.ProductCodes.Contains(productCode))
                best = p.Multiplier;
        return best;
    }
}
