using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace BpClub.Bench;

/// <summary>
/// Seeds the card pool in SQL: issuing 200 000 cards through BpClub's API would take most of an hour
/// today. A template card is issued through the API; its issue rows (the "issued" ledger entry, the
/// "issue" operation row with its result, the questionnaire) are copied to every pool card with the
/// card number replaced: the rows CardLedgerStore writes on issue. The baseline gets its card rows by
/// COPY. Neither service has any pool card in memory afterwards.
/// </summary>
public static class CardPool
{
    public static async Task<TimeSpan> SeedBpClub(string connectionString, string template, int count)
    {
        var clock = Stopwatch.StartNew();
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await Exec(connection, "create temp table bench_pool (card char(16) not null) on commit drop");
        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy bench_pool (card) from stdin (format binary)"))
        {
            for (var i = 0; i < count; i++) await copy.WriteRowAsync(default, Service.Card(i));
            await copy.CompleteAsync();
        }
        await Exec(connection, """
            insert into card_holders (card_number, first_name, last_name, phone, birth_date, consent_at, issued_at,
                                      issued_by)
            select p.card, t.first_name, t.last_name, t.phone, t.birth_date, t.consent_at, t.issued_at, t.issued_by
            from card_holders t cross join bench_pool p where t.card_number = @t
            """, template);
        await Exec(connection, """
            insert into card_operations (card_number, operation_key, request_hash, result, seq)
            select p.card, t.operation_key, t.request_hash, replace(t.result::text, @t, p.card)::jsonb, t.seq
            from card_operations t cross join bench_pool p where t.card_number = @t and t.operation_key = 'issue'
            """, template);
        await Exec(connection, """
            insert into card_ledger (card_number, seq, kind, at, points, litres, amount, station_id, operation_id,
                                     receipt_id, available_at, description, event, recorded_at)
            select p.card, t.seq, t.kind, t.at, t.points, t.litres, t.amount, t.station_id, t.operation_id,
                   t.receipt_id, t.available_at, t.description, t.event, t.recorded_at
            from card_ledger t cross join bench_pool p where t.card_number = @t
            """, template);
        await transaction.CommitAsync();
        await Exec(connection, "analyze card_holders; analyze card_operations; analyze card_ledger");
        return clock.Elapsed;
    }

    public static async Task<TimeSpan> SeedBaseline(string connectionString, string station, int count)
    {
        var clock = Stopwatch.StartNew();
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using var connection = await db.OpenConnectionAsync();
        var issuedAt = DateTimeOffset.UtcNow;
        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy cards (card_number, first_name, last_name, issued_at, issued_by) from stdin (format binary)"))
        {
            for (var i = 0; i < count; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(Service.Card(i), NpgsqlDbType.Text);
                await copy.WriteAsync("Bench", NpgsqlDbType.Text);
                await copy.WriteAsync("Till", NpgsqlDbType.Text);
                await copy.WriteAsync(issuedAt, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(station, NpgsqlDbType.Text);
            }
            await copy.CompleteAsync();
        }
        await Exec(connection, "analyze cards");
        return clock.Elapsed;
    }

    /// <summary>The --card-text-index diagnostic: what the card lookups' text parameter can use.</summary>
    public static async Task AddCardTextIndexes(string connectionString)
    {
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using var connection = await db.OpenConnectionAsync();
        await Exec(connection, """
            create index if not exists bench_ledger_card_text on card_ledger ((card_number::text), seq);
            create index if not exists bench_ledger_receipt_text on card_ledger ((card_number::text), receipt_id)
                where receipt_id is not null;
            create index if not exists bench_operations_card_text
                on card_operations ((card_number::text), operation_key);
            """);
    }

    private static async Task Exec(NpgsqlConnection connection, string sql, string? template = null)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        if (template is not null) command.Parameters.AddWithValue("t", template);
        await command.ExecuteNonQueryAsync();
    }
}
