using Npgsql;
using NpgsqlTypes;

namespace BpClub.Baseline;

public enum PurchaseStatus { Recorded, Replayed, UnknownCard, OtherCard }

/// <summary>Every request is one statement, so one transaction and one round trip (autocommit).</summary>
public sealed class Store(NpgsqlDataSource db)
{
    /// <summary>False when the card was issued before.</summary>
    public async Task<bool> Issue(string card, IssueCardRequest r, string station, DateTimeOffset at)
    {
        await using var command = db.CreateCommand("""
            insert into cards (card_number, first_name, last_name, phone, birth_date, issued_at, issued_by)
            values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing
            """);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string> { TypedValue = card });
        p.Add(new NpgsqlParameter<string> { TypedValue = r.FirstName!.Trim() });
        p.Add(new NpgsqlParameter<string> { TypedValue = r.LastName!.Trim() });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)r.Phone ?? DBNull.Value });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Date, Value = (object?)r.BirthDate ?? DBNull.Value });
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at });
        p.Add(new NpgsqlParameter<string> { TypedValue = station });
        return await command.ExecuteNonQueryAsync() == 1;
    }

    /// <summary>
    /// Inserts the purchase row (its primary key makes a replayed receipt insert nothing) and adds its
    /// points to the card's balance, in one statement; a replay then reads the first result.
    /// </summary>
    public async Task<(PurchaseStatus Status, long Points, long Balance)> Purchase(string station, string receipt,
        string card, DateTimeOffset at, decimal litres, decimal amount, long points)
    {
        try
        {
            await using var command = db.CreateCommand("""
                with recorded as (
                    insert into purchases (station_id, receipt_id, card_number, occurred_at, litres, amount, points)
                    values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing
                    returning card_number, points)
                update cards c set balance = c.balance + r.points from recorded r
                where c.card_number = r.card_number returning c.balance
                """);
            var p = command.Parameters;
            p.Add(new NpgsqlParameter<string> { TypedValue = station });
            p.Add(new NpgsqlParameter<string> { TypedValue = receipt });
            p.Add(new NpgsqlParameter<string> { TypedValue = card });
            p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at });
            p.Add(new NpgsqlParameter<decimal> { TypedValue = litres });
            p.Add(new NpgsqlParameter<decimal> { TypedValue = amount });
            p.Add(new NpgsqlParameter<long> { TypedValue = points });
            if (await command.ExecuteScalarAsync() is long balance) return (PurchaseStatus.Recorded, points, balance);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return (PurchaseStatus.UnknownCard, 0, 0);
        }
        await using var first = db.CreateCommand("""
            select p.points, c.balance, p.card_number = $3
            from purchases p join cards c on c.card_number = p.card_number
            where p.station_id = $1 and p.receipt_id = $2
            """);
        first.Parameters.Add(new NpgsqlParameter<string> { TypedValue = station });
        first.Parameters.Add(new NpgsqlParameter<string> { TypedValue = receipt });
        first.Parameters.Add(new NpgsqlParameter<string> { TypedValue = card });
        await using var reader = await first.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return (PurchaseStatus.UnknownCard, 0, 0);
        return reader.GetBoolean(2)
            ? (PurchaseStatus.Replayed, reader.GetInt64(0), reader.GetInt64(1))
            : (PurchaseStatus.OtherCard, 0, 0);
    }

    /// <summary>The card's balance, or null for a card never issued.</summary>
    public async Task<long?> Balance(string card)
    {
        await using var command = db.CreateCommand("select balance from cards where card_number = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = card });
        return await command.ExecuteScalarAsync() is long balance ? balance : null;
    }

    public async Task SaveStation(string id, string name, string address, byte[] keyHash)
    {
        await using var command = db.CreateCommand("""
            insert into stations (id, name, address, key_hash) values ($1, $2, $3, $4)
            on conflict (id) do update
            set name = excluded.name, address = excluded.address, key_hash = excluded.key_hash
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = address });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = keyHash });
        await command.ExecuteNonQueryAsync();
    }

    public async Task SavePromotion(string id, string[] productCodes, decimal multiplier, DateTimeOffset startsAt,
        DateTimeOffset endsAt)
    {
        await using var command = db.CreateCommand("""
            insert into promotions (id, product_codes, multiplier, starts_at, ends_at) values ($1, $2, $3, $4, $5)
            on conflict (id) do update set product_codes = excluded.product_codes, multiplier = excluded.multiplier,
                starts_at = excluded.starts_at, ends_at = excluded.ends_at
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = productCodes });
        command.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = multiplier });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = startsAt });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = endsAt });
        await command.ExecuteNonQueryAsync();
    }
}
