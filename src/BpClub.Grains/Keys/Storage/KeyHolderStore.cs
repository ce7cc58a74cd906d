using Npgsql;

namespace BpClub.Grains.Keys.Storage;

/// <summary>
/// The stations and partners tables: the machine callers and their hashed keys. Both have the same shape (an id,
/// a name, one value of their own, the key's hash and when it was rotated); a station's value is its address, a
/// partner's its earning rate.
/// </summary>
public sealed class KeyHolderStore(NpgsqlDataSource database)
{
    private static readonly KeyHolderTable Stations = new("stations", "station_id", "address", ValueIsRate: false);
    private static readonly KeyHolderTable Partners =
        new("partners", "partner_id", "points_per_uah", ValueIsRate: true);

    public async Task<KeyHolderRecord?> Load(KeyKind kind, string id)
    {
        var table = TableOf(kind);
        await using var command = database.CreateCommand(table.Select);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        var name = reader.GetString(0);
        var keyHash = (byte[])reader[2];
        return table.ValueIsRate
            ? new KeyHolderRecord(id, name, "", reader.GetDecimal(1), keyHash)
            : new KeyHolderRecord(id, name, reader.GetString(1), 0m, keyHash);
    }

    /// <summary>Inserts or updates; a new key hash (creation or rotation) also stamps the rotation time.</summary>
    public async Task Save(KeyKind kind, KeyHolderRecord holder, bool newKey, DateTimeOffset now)
    {
        var table = TableOf(kind);
        await using var command = database.CreateCommand(table.Upsert);
        command.Parameters.AddWithValue("id", holder.Id);
        command.Parameters.AddWithValue("name", holder.Name);
        command.Parameters.AddWithValue("value", table.ValueIsRate ? holder.PointsPerUah : holder.Detail);
        command.Parameters.AddWithValue("hash", holder.KeyHash);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("newKey", newKey);
        await command.ExecuteNonQueryAsync();
    }

    private static KeyHolderTable TableOf(KeyKind kind) => kind == KeyKind.Station ? Stations : Partners;

    /// <summary>One key holders' table and its two statements, built once from constant names.</summary>
    private sealed record KeyHolderTable(string Name, string IdColumn, string ValueColumn, bool ValueIsRate)
    {
        public string Select { get; } = $"select name, {ValueColumn}, key_hash from {Name} where {IdColumn} = @id";

        public string Upsert { get; } = $"""
            insert into {Name} ({IdColumn}, name, {ValueColumn}, key_hash, created_at, key_rotated_at)
            values (@id, @name, @value, @hash, @now, @now)
            on conflict ({IdColumn}) do update set name = excluded.name, {ValueColumn} = excluded.{ValueColumn},
                key_hash = excluded.key_hash,
                key_rotated_at = case when @newKey then excluded.key_rotated_at else {Name}.key_rotated_at end
            """;
    }
}
