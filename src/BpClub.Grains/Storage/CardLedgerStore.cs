using System.Text.Json;
using BpClub.Abstractions;
using BpClub.Domain.Earning;
using BpClub.Domain.Ledger;
using BpClub.Domain.Units;
using Npgsql;
using NpgsqlTypes;

namespace BpClub.Grains.Storage;

/// <summary>An idempotent command's record: its key, a hash of its payload and its first result.</summary>
public sealed record OperationRecord(string Key, byte[] RequestHash, string ResultJson);

/// <summary>The questionnaire filled in at the till: the only personal data a card has.</summary>
public sealed record CardHolderRecord(string FirstName, string LastName, string? Phone, DateOnly? BirthDate, DateTimeOffset IssuedAt, string IssuedBy);

/// <summary>One command's share of a ledger write: its entries from <see cref="FirstSeq"/> on, its operation row, its personal data.</summary>
public sealed record LedgerWrite(long FirstSeq, IReadOnlyList<CardEvent> Events, OperationRecord? Operation,
    CardHolderRecord? NewHolder = null, bool EraseHolder = false);

/// <summary>
/// The card_ledger table and its companions. Every write is one transaction for one or more
/// commands of a card: their operation rows (the primary key makes a retried operation id a no-op),
/// their ledger rows, and any change to the card holder's personal data.
/// </summary>
public sealed class CardLedgerStore(NpgsqlDataSource database)
{
    /// <summary>The operation key of a card's issue: one per card.</summary>
    public const string IssueOperationKey = "issue";

    public async Task<IReadOnlyList<(long Seq, CardEvent Event)>> ReadAfter(string card, long seq)
    {
        await using var command = database.CreateCommand("select seq, event from card_ledger where card_number = @card and seq > @seq order by seq");
        command.Parameters.AddWithValue("card", card);
        command.Parameters.AddWithValue("seq", seq);
        var events = new List<(long, CardEvent)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) events.Add((reader.GetInt64(0), LedgerJson.DeserializeEvent(reader.GetString(1))));
        return events;
    }

    /// <summary>
    /// Commits the writes of several commands in one transaction, or none of them: when an operation
    /// key was committed before (a retry that reached another activation), nothing is kept and the
    /// keys found are returned, so the caller answers those from their first result and writes the rest again.
    /// </summary>
    public async Task<IReadOnlyList<string>> Append(string card, IReadOnlyList<LedgerWrite> writes)
    {
        await using var batch = new NpgsqlBatch();
        var operationRows = new List<(int Index, string Key)>();
        foreach (var write in writes)
        {
            if (write.Operation is { } operation)
            {
                var insert = new NpgsqlBatchCommand("""
                    insert into card_operations (card_number, operation_key, request_hash, result, seq)
                    values (@card, @key, @hash, @result::jsonb, @seq) on conflict do nothing
                    """);
                insert.Parameters.AddWithValue("card", card);
                insert.Parameters.AddWithValue("key", operation.Key);
                insert.Parameters.AddWithValue("hash", operation.RequestHash);
                insert.Parameters.AddWithValue("result", operation.ResultJson);
                insert.Parameters.AddWithValue("seq", write.FirstSeq + write.Events.Count - 1);
                operationRows.Add((batch.BatchCommands.Count, operation.Key));
                batch.BatchCommands.Add(insert);
            }
            var seq = write.FirstSeq;
            foreach (var e in write.Events) batch.BatchCommands.Add(LedgerRow(card, seq++, e));
            if (write.NewHolder is not null) batch.BatchCommands.Add(HolderRow(card, write.NewHolder));
            if (write.EraseHolder)
            {
                // The questionnaire, and the issue operation whose request hash was computed from it:
                // a hash of a name, a phone and a birth date can be guessed back.
                var erase = new NpgsqlBatchCommand("delete from card_holders where card_number = @card");
                erase.Parameters.AddWithValue("card", card);
                batch.BatchCommands.Add(erase);
                var forget = new NpgsqlBatchCommand($"delete from card_operations where card_number = @card and operation_key = '{IssueOperationKey}'");
                forget.Parameters.AddWithValue("card", card);
                batch.BatchCommands.Add(forget);
            }
        }
        // Commands that changed nothing (a switch to the state it was in, a reminder with nothing due) cost no round trip.
        if (batch.BatchCommands.Count == 0) return [];

        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        (batch.Connection, batch.Transaction) = (connection, transaction);
        await batch.ExecuteNonQueryAsync();
        var recordedBefore = operationRows.Where(o => batch.BatchCommands[o.Index].RecordsAffected == 0).Select(o => o.Key).ToList();
        if (recordedBefore.Count > 0)
        {
            await transaction.RollbackAsync();
            return recordedBefore;
        }
        await transaction.CommitAsync();
        return [];
    }

    public async Task<OperationRecord?> FindOperation(string card, string key)
    {
        await using var command = database.CreateCommand("select request_hash, result::text from card_operations where card_number = @card and operation_key = @key");
        command.Parameters.AddWithValue("card", card);
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new OperationRecord(key, (byte[])reader[0], reader.GetString(1)) : null;
    }

    /// <summary>A receipt's purchase on this card and the refunds already made against it.</summary>
    public async Task<(PointsEarned? Purchase, IReadOnlyList<PurchaseRefunded> Refunds)> FindReceipt(string card, string receiptId, string stationId)
    {
        await using var command = database.CreateCommand("""
            select event from card_ledger
            where card_number = @card and receipt_id = @receipt and kind in ('purchase', 'refund') order by seq
            """);
        command.Parameters.AddWithValue("card", card);
        command.Parameters.AddWithValue("receipt", receiptId);
        PointsEarned? purchase = null;
        var refunds = new List<PurchaseRefunded>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            switch (LedgerJson.DeserializeEvent(reader.GetString(0)))
            {
                // Receipt ids are unique per station; prefer the refunding station's own receipt.
                case PointsEarned earned when purchase is null || earned.SourceId == stationId:
                    purchase = earned;
                    break;
                case PurchaseRefunded refund:
                    refunds.Add(refund);
                    break;
            }
        }
        return (purchase, purchase is null ? [] : refunds.Where(r => r.Refunds(purchase)).ToList());
    }

    /// <summary>Newest first, keyset-paginated on the sequence number: cost independent of history length.</summary>
    public async Task<HistoryPage> ReadHistory(string card, int limit, long? beforeSeq)
    {
        await using var command = database.CreateCommand("""
            select seq, at, kind, points, litres, amount, station_id, description, available_at
            from card_ledger where card_number = @card and seq < @before
            order by seq desc limit @limit
            """);
        command.Parameters.AddWithValue("card", card);
        command.Parameters.AddWithValue("before", beforeSeq ?? long.MaxValue);
        command.Parameters.AddWithValue("limit", limit + 1);
        var items = new List<HistoryItem>(limit + 1);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            items.Add(new HistoryItem(
                Id: reader.GetInt64(0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                At: reader.GetFieldValue<DateTimeOffset>(1),
                Kind: reader.GetString(2),
                Points: new Points(reader.GetInt64(3)),
                Litres: reader.IsDBNull(4) ? null : new Litres(reader.GetDecimal(4)),
                Amount: reader.IsDBNull(5) ? null : new Money(reader.GetDecimal(5)),
                StationId: reader.IsDBNull(6) ? null : reader.GetString(6),
                Description: reader.GetString(7),
                AvailableAt: reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8)));
        }
        var more = items.Count > limit;
        if (more) items.RemoveAt(items.Count - 1);
        return new HistoryPage(items, more ? items[^1].Id : null);
    }

    private static NpgsqlBatchCommand LedgerRow(string card, long seq, CardEvent e)
    {
        var row = LedgerRowValues.Of(e);
        var command = new NpgsqlBatchCommand("""
            insert into card_ledger (card_number, seq, kind, at, points, litres, amount, station_id, operation_id, receipt_id, available_at, description, event)
            values (@card, @seq, @kind, @at, @points, @litres, @amount, @station, @operation, @receipt, @available, @description, @event::jsonb)
            """);
        var p = command.Parameters;
        p.AddWithValue("card", card);
        p.AddWithValue("seq", seq);
        p.AddWithValue("kind", LedgerJson.KindOf(e));
        // timestamptz takes UTC only; tills and the programme calendar speak Kyiv offsets.
        p.AddWithValue("at", e.At.ToUniversalTime());
        p.AddWithValue("points", row.Points);
        p.Add(new NpgsqlParameter("litres", NpgsqlDbType.Numeric) { Value = (object?)row.Litres ?? DBNull.Value });
        p.Add(new NpgsqlParameter("amount", NpgsqlDbType.Numeric) { Value = (object?)row.Amount ?? DBNull.Value });
        p.Add(new NpgsqlParameter("station", NpgsqlDbType.Text) { Value = (object?)row.StationId ?? DBNull.Value });
        p.Add(new NpgsqlParameter("operation", NpgsqlDbType.Text) { Value = (object?)row.OperationId ?? DBNull.Value });
        p.Add(new NpgsqlParameter("receipt", NpgsqlDbType.Text) { Value = (object?)row.ReceiptId ?? DBNull.Value });
        p.Add(new NpgsqlParameter("available", NpgsqlDbType.TimestampTz) { Value = (object?)row.AvailableAt?.ToUniversalTime() ?? DBNull.Value });
        p.AddWithValue("description", row.Description);
        p.AddWithValue("event", LedgerJson.Serialize(e));
        return command;
    }

    private static NpgsqlBatchCommand HolderRow(string card, CardHolderRecord holder)
    {
        var command = new NpgsqlBatchCommand("""
            insert into card_holders (card_number, first_name, last_name, phone, birth_date, consent_at, issued_at, issued_by)
            values (@card, @first, @last, @phone, @birth, @issued, @issued, @by)
            """);
        var p = command.Parameters;
        p.AddWithValue("card", card);
        p.AddWithValue("first", holder.FirstName);
        p.AddWithValue("last", holder.LastName);
        p.Add(new NpgsqlParameter("phone", NpgsqlDbType.Text) { Value = (object?)holder.Phone ?? DBNull.Value });
        p.Add(new NpgsqlParameter("birth", NpgsqlDbType.Date) { Value = (object?)holder.BirthDate ?? DBNull.Value });
        p.AddWithValue("issued", holder.IssuedAt.ToUniversalTime());
        p.AddWithValue("by", holder.IssuedBy);
        return command;
    }
}
