using Npgsql;

namespace BpClub.Testing;

/// <summary>What the database holds for a card, read directly — the ground truth grain tests check against.</summary>
public static class LedgerQueries
{
    public static async Task<T> Scalar<T>(this NpgsqlDataSource database, string sql, string card)
    {
        await using var command = database.CreateCommand(sql);
        command.Parameters.AddWithValue("card", card);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default!
            : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static Task<long> LedgerCount(this NpgsqlDataSource database, string card, string? kind = null) =>
        database.Scalar<long>(kind is null
            ? "select count(*) from card_ledger where card_number = @card"
            : $"select count(*) from card_ledger where card_number = @card and kind = '{kind}'", card);

    /// <summary>
    /// The card's total by the ledger: every signed change except releases (also those an operator made early), which
    /// only move points from hold to available.
    /// </summary>
    public static Task<long> LedgerTotal(this NpgsqlDataSource database, string card) =>
        database.Scalar<long>("""
            select coalesce(sum(points), 0) from card_ledger
            where card_number = @card and kind not in ('released', 'releasedEarly')
            """, card);

    /// <summary>Bytes of the card grain's stored Orleans state (its snapshot), 0 when none was written.</summary>
    public static Task<long> GrainStateBytes(this NpgsqlDataSource database, string card) =>
        database.Scalar<long>(
            $"select coalesce(max(octet_length(payloadbinary)), 0) from orleansstorage where {IsCardState}", card);

    /// <summary>
    /// The size of the card's stored state without what annual expiries annulled (one small item per expiry that
    /// annulled points, however many entries the ledger has), as PostgreSQL renders the JSON.
    /// </summary>
    public static Task<long> GrainStateBytesBesidesExpiries(this NpgsqlDataSource database, string card) =>
        database.Scalar<long>($$"""
            select coalesce(max(octet_length(
                (convert_from(payloadbinary, 'UTF8')::jsonb #- '{account,annulled}')::text)), 0)
            from orleansstorage where {{IsCardState}}
            """, card);

    public const string IsCardState =
        "graintypestring = 'card' and convert_from(payloadbinary, 'UTF8')::jsonb ->> 'card' = @card";

    /// <summary>Every row of the Orleans storage table that names the card, in its key or in its payload.</summary>
    public static Task<long> StoredStateRows(this NpgsqlDataSource database, string card) =>
        database.Scalar<long>("""
            select count(*) from orleansstorage
            where coalesce(grainidextensionstring, '') like '%' || @card || '%'
               or coalesce(convert_from(payloadbinary, 'UTF8'), '') like '%' || @card || '%'
            """, card);

    public static Task<long> OperationCount(this NpgsqlDataSource database, string card) =>
        database.Scalar<long>("select count(*) from card_operations where card_number = @card", card);

    public static Task<long> HolderCount(this NpgsqlDataSource database, string card) =>
        database.Scalar<long>("select count(*) from card_holders where card_number = @card", card);

    public static Task<long> MaxSeq(this NpgsqlDataSource database, string card) =>
        database.Scalar<long>("select coalesce(max(seq), 0) from card_ledger where card_number = @card", card);

    /// <summary>Ledger rows of one receipt (its purchase and any refunds) on the card.</summary>
    public static async Task<long> ReceiptRows(this NpgsqlDataSource database, string card, string receiptId)
    {
        await using var command = database.CreateCommand(
            "select count(*) from card_ledger where card_number = @card and receipt_id = @receipt");
        command.Parameters.AddWithValue("card", card);
        command.Parameters.AddWithValue("receipt", receiptId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Whether an operation key (e.g. "purchase:st-1:r-1") has its idempotency row.</summary>
    public static async Task<bool> HasOperation(this NpgsqlDataSource database, string card, string operationKey)
    {
        await using var command = database.CreateCommand(
            "select count(*) from card_operations where card_number = @card and operation_key = @key");
        command.Parameters.AddWithValue("card", card);
        command.Parameters.AddWithValue("key", operationKey);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    /// <summary>Points of each purchase on the card, by receipt id.</summary>
    public static async Task<Dictionary<string, long>> PurchasePoints(this NpgsqlDataSource database, string card)
    {
        await using var command = database.CreateCommand(
            "select receipt_id, points from card_ledger where card_number = @card and kind = 'purchase'");
        command.Parameters.AddWithValue("card", card);
        var points = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) points.Add(reader.GetString(0), reader.GetInt64(1));
        return points;
    }

    public static Task<long> ReminderCount(this NpgsqlDataSource database, string card) =>
        database.Scalar<long>("select count(*) from orleansreminderstable where grainid like '%' || @card || '%'",
            card);

    /// <summary>How many times the card's reminder row was written since it was created (-1: none).</summary>
    public static Task<long> ReminderWrites(this NpgsqlDataSource database, string card) =>
        database.Scalar<long>(
            "select coalesce(max(version), -1) from orleansreminderstable where grainid like '%' || @card || '%'",
                card);

    /// <summary>When the card's release reminder is due as registered (its start time), or null.</summary>
    public static async Task<DateTimeOffset?> ReminderStartsAt(this NpgsqlDataSource database, string card)
    {
        await using var command = database.CreateCommand(
            "select starttime from orleansreminderstable where grainid like '%' || @card || '%'");
        command.Parameters.AddWithValue("card", card);
        return await command.ExecuteScalarAsync() is DateTime start
            ? new DateTimeOffset(DateTime.SpecifyKind(start, DateTimeKind.Utc))
            : null;
    }

    /// <summary>Operations recorded more than once ("kind:operation id"); empty when every operation is in the ledger
    /// once.</summary>
    public static async Task<List<string>> Duplicates(this NpgsqlDataSource database, string card)
    {
        await using var command = database.CreateCommand("""
            select kind || ':' || operation_id from card_ledger
            where card_number = @card and operation_id is not null
            group by kind, operation_id having count(*) > 1
            """);
        command.Parameters.AddWithValue("card", card);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    public static async Task<int> Execute(this NpgsqlDataSource database, string sql, string card)
    {
        await using var command = database.CreateCommand(sql);
        command.Parameters.AddWithValue("card", card);
        return await command.ExecuteNonQueryAsync();
    }
}
