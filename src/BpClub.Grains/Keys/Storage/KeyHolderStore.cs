using Npgsql;

namespace BpClub.Grains.Keys.Storage;

/// <summary>A station's or partner's row: who it is and the hash of its current key.</summary>
public sealed record KeyHolderRecord(string Id, string Name, string Detail, decimal PointsPerUah, byte[] KeyHash);

/// <summary>The stations and partners tables: the machine callers and their hashed keys.</summary>
public sealed class KeyHolderStore(NpgsqlDataSource database)
{
    public async Task<KeyHolderRecord?> LoadStation(string id)
    {
        await using var command =
            database.CreateCommand("select name, address, key_hash from stations where station_id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new KeyHolderRecord(id, reader.GetString(0), reader.GetString(1), 0m, (byte[])reader[2]) : null;
    }

    public async Task<KeyHolderRecord?> LoadPartner(string id)
    {
        await using var command =
            database.CreateCommand("select name, points_per_uah, key_hash from partners where partner_id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new KeyHolderRecord(id, reader.GetString(0), "", reader.GetDecimal(1), (byte[])reader[2]) : null;
    }

    /// <summary>Inserts or updates; a new key hash (creation or rotation) also stamps the rotation time.</summary>
    public async Task SaveStation(KeyHolderRecord station, bool newKey, DateTimeOffset now)
    {
        await using var command = database.CreateCommand("""
            insert into stations (station_id, name, address, key_hash, created_at, key_rotated_at)
            values (@id, @name, @address, @hash, @now, @now)
            on conflict (station_id) do update set name = excluded.name, address = excluded.address,
                key_hash = excluded.key_hash,
                key_rotated_at = case when @newKey then excluded.key_rotated_at else stations.key_rotated_at end
            """);
        command.Parameters.AddWithValue("id", station.Id);
        command.Parameters.AddWithValue("name", station.Name);
        command.Parameters.AddWithValue("address", station.Detail);
        command.Parameters.AddWithValue("hash", station.KeyHash);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("newKey", newKey);
        await command.ExecuteNonQueryAsync();
    }

    public async Task SavePartner(KeyHolderRecord partner, bool newKey, DateTimeOffset now)
    {
        await using var command = database.CreateCommand("""
            insert into partners (partner_id, name, points_per_uah, key_hash, created_at, key_rotated_at)
            values (@id, @name, @rate, @hash, @now, @now)
            on conflict (partner_id) do update set name = excluded.name, points_per_uah = excluded.points_per_uah,
                key_hash = excluded.key_hash,
                key_rotated_at = case when @newKey then excluded.key_rotated_at else partners.key_rotated_at end
            """);
        command.Parameters.AddWithValue("id", partner.Id);
        command.Parameters.AddWithValue("name", partner.Name);
        command.Parameters.AddWithValue("rate", partner.PointsPerUah);
        command.Parameters.AddWithValue("hash", partner.KeyHash);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("newKey", newKey);
        await command.ExecuteNonQueryAsync();
    }
}
