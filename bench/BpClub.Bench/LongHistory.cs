using Npgsql;

namespace BpClub.Bench;

/// <summary>
/// Gives a card a ledger of a given length before its grain first activates. A template card gets
/// one real backdated purchase through the API (20 days old, so its points are already released:
/// the ledger records "earned" and "became available"); its rows — ledger entries, operation row,
/// questionnaire — are then copied in SQL to the long card, each copy under its own receipt id and
/// sequence numbers. The result is the ledger those purchases would have written through the API,
/// written in seconds instead of minutes. The long card's grain then activates from the ledger
/// like any card after a restart (no snapshot: it replays every entry once).
/// </summary>
public static class LongHistory
{
    public static async Task<long> Seed(string connectionString, string templateCard, string templateReceipt, string longCard, int entries)
    {
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        async Task<long> Exec(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            command.Parameters.AddWithValue("t", templateCard);
            command.Parameters.AddWithValue("l", longCard);
            command.Parameters.AddWithValue("r", templateReceipt);
            command.Parameters.AddWithValue("n", entries);
            command.CommandTimeout = 300;
            return await command.ExecuteNonQueryAsync();
        }

        // The template's purchase is entries 2..k+1 (after the issue); copy it n/k times.
        await Exec("insert into card_holders select @l, first_name, last_name, phone, birth_date, consent_at, issued_at, issued_by from card_holders where card_number = @t");
        await Exec("insert into card_operations select @l, operation_key, request_hash, result, seq from card_operations where card_number = @t and operation_key = 'issue'");
        await Exec("""
            insert into card_ledger (card_number, seq, kind, at, points, litres, amount, station_id, operation_id, receipt_id, available_at, description, event, recorded_at)
            select @l, seq, kind, at, points, litres, amount, station_id, operation_id, receipt_id, available_at, description, event, recorded_at
            from card_ledger where card_number = @t and seq = 1
            """);
        var copied = await Exec("""
            with k as (select count(*) as k from card_ledger where card_number = @t and seq > 1),
                 copies as (select i from generate_series(1, (select @n / k from k)) i)
            insert into card_ledger (card_number, seq, kind, at, points, litres, amount, station_id, operation_id, receipt_id, available_at, description, event, recorded_at)
            select @l, 1 + (c.i - 1) * k.k + (t.seq - 1), t.kind, t.at, t.points, t.litres, t.amount, t.station_id,
                   replace(t.operation_id, @r, @r || '-' || c.i), replace(t.receipt_id, @r, @r || '-' || c.i),
                   t.available_at, t.description, replace(t.event::text, '"' || @r || '"', '"' || @r || '-' || c.i || '"')::jsonb, t.recorded_at
            from card_ledger t cross join copies c cross join k
            where t.card_number = @t and t.seq > 1
            """);
        await Exec("""
            with k as (select count(*) as k from card_ledger where card_number = @t and seq > 1)
            insert into card_operations
            select @l, replace(o.operation_key, @r, @r || '-' || c.i), o.request_hash,
                   replace(o.result::text, '"' || @r || '"', '"' || @r || '-' || c.i || '"')::jsonb, 1 + c.i * k.k
            from card_operations o cross join k cross join generate_series(1, (select @n / k from k)) c(i)
            where o.card_number = @t and o.operation_key <> 'issue'
            """);
        await transaction.CommitAsync();
        await using var analyze = new NpgsqlCommand("analyze card_ledger; analyze card_operations", connection);
        await analyze.ExecuteNonQueryAsync();
        return copied + 1;
    }
}
