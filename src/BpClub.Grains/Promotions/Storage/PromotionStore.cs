using Npgsql;
using NpgsqlTypes;

namespace BpClub.Grains.Promotions.Storage;

/// <summary>The promotions table as operators edit it (silos read it through <see cref="ActivePromotions"/>).</summary>
public sealed class PromotionStore(NpgsqlDataSource database)
{
    /// <summary>Inserts or replaces; true when the promotion is new.</summary>
    public async Task<bool> Save(PromotionModel p)
    {
        await using var command = database.CreateCommand("""
            insert into promotions (promotion_id, name, starts_at, ends_at, station_ids, product_codes, categories,
                multiplier, bonus_points, levels, updated_at)
            values (@id, @name, @starts, @ends, @stations, @products, @categories, @multiplier, @bonus, @levels, now())
            on conflict (promotion_id) do update set name = excluded.name, starts_at = excluded.starts_at,
                ends_at = excluded.ends_at, station_ids = excluded.station_ids, product_codes = excluded.product_codes,
                categories = excluded.categories,
                multiplier = excluded.multiplier, bonus_points = excluded.bonus_points, levels = excluded.levels,
                updated_at = now()
            returning (xmax = 0)
            """);
        var ps = command.Parameters;
        ps.AddWithValue("id", p.PromotionId);
        ps.AddWithValue("name", p.Name);
        ps.AddWithValue("starts", p.StartsAt);
        ps.AddWithValue("ends", p.EndsAt);
        ps.Add(TextArray("stations", p.StationIds));
        ps.Add(TextArray("products", p.ProductCodes));
        ps.Add(TextArray("categories", p.Categories));
        ps.Add(new NpgsqlParameter("multiplier",
            NpgsqlDbType.Numeric) { Value = (object?)p.Multiplier ?? DBNull.Value });
        ps.Add(new NpgsqlParameter("bonus", NpgsqlDbType.Bigint) { Value = (object?)p.BonusPoints ?? DBNull.Value });
        ps.Add(new NpgsqlParameter("levels", NpgsqlDbType.Array | NpgsqlDbType.Integer)
        {
            Value = p.Levels is null ? DBNull.Value : p.Levels.ToArray(),
        });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    public async Task<IReadOnlyList<PromotionModel>> List(string? id = null)
    {
        await using var command = database.CreateCommand("""
            select promotion_id, name, starts_at, ends_at, station_ids, product_codes, categories, multiplier,
                bonus_points, levels
            from promotions where @id::text is null or promotion_id = @id order by starts_at desc, promotion_id
            """);
        command.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Text) { Value = (object?)id ?? DBNull.Value });
        var list = new List<PromotionModel>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            IReadOnlyList<string>? Strings(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<string[]>(i);
            list.Add(new PromotionModel(reader.GetString(0), reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3),
                Strings(4), Strings(5), Strings(6),
                reader.IsDBNull(7) ? null : reader.GetDecimal(7),
                reader.IsDBNull(8) ? null : reader.GetInt64(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<int[]>(9)));
        }
        return list;
    }

    /// <summary>Ends a promotion now (or leaves an earlier end alone); false when there is no such promotion.</summary>
    public async Task<bool> End(string id, DateTimeOffset now)
    {
        await using var command = database.CreateCommand(
            "update promotions set ends_at = least(ends_at, @now), updated_at = now() where promotion_id = @id");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("now", now);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    private static NpgsqlParameter TextArray(string name, IReadOnlyList<string>? values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values is null ? DBNull.Value : values.ToArray() };
}
