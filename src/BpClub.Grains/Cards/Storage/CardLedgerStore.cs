using System.Text.Json;
using BpClub.Abstractions;
using BpClub.Domain.Earning;
using BpClub.Domain.Ledger;
using BpClub.Domain.Units;
using Npgsql;

namespace BpClub.Grains.Cards.Storage;

/// <summary>An idempotent command's record: its key, a hash of its payload and its first result.</summary>
public sealed record OperationRecord(string Key, byte[] RequestHash, string ResultJson);

/// <summary>
/// The questionnaire filled in at the till: the only personal data a card has; with the hash of the card's
/// code when no phone was recorded (registration then needs the code).
/// </summary>
public sealed record CardHolderRecord(string FirstName, string LastName, string? Phone, DateOnly? BirthDate,
    DateTimeOffset IssuedAt, string IssuedBy, byte[]? CardCodeHash = null);

/// <summary>One command's share of a ledger write: its entries from <see cref="FirstSeq"/> on, its operation row, its
/// personal data.</summary>
public sealed record LedgerWrite(long FirstSeq, IReadOnlyList<CardEvent> Events, OperationRecord? Operation,
    CardHolderRecord? NewHolder = null, bool EraseHolder = false);

/// <summary>
/// The card's release reminder as the Orleans ADO.NET reminder table holds it, written in the same transaction as
/// the lot it releases: <paramref name="GrainId"/> and <paramref name="GrainHash"/> as Orleans computes them, the
/// first tick at <paramref name="StartAt"/>, then every <paramref name="Period"/>.
/// </summary>
public sealed record ReminderRow(string GrainId, int GrainHash, string Name, DateTimeOffset StartAt, TimeSpan Period)
{
    /// <summary>The row for a grain's reminder: its id as text and its ring hash as a signed int, as the provider
    /// stores them.</summary>
    public static ReminderRow For(Orleans.Runtime.GrainId grain, string name, DateTimeOffset startAt,
        TimeSpan period) =>
        new(grain.ToString(), unchecked((int)grain.GetUniformHashCode()), name, startAt, period);
}

/// <summary>
/// Reads of the card_ledger table and its companions. Writes go through <see cref="LedgerGroupCommit"/>:
/// one transaction for the commands of many cards, their operation rows (the primary key makes a retried
/// operation id a no-op), their ledger rows, and any change to a card holder's personal data.
/// </summary>
public sealed partial class CardLedgerStore(NpgsqlDataSource database)
{
    /// <summary>The operation key of a card's issue: one per card.</summary>
    public const string IssueOperationKey = "issue";

    public async Task<OperationRecord?> FindOperation(string card, string key)
    {
        await using var command =
            database.CreateCommand(
                "select request_hash, result::text from card_operations "
                + "where card_number = @card::char(16) and operation_key = @key");
        command.Parameters.AddWithValue("card", card);
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new OperationRecord(key, (byte[])reader[0], reader.GetString(1)) : null;
    }

    /// <summary>
    /// A receipt of <paramref name="stationId"/> on this card, the refunds already made against it, and its annulment
    /// when it was reported so late that its points were annulled as it was recorded.
    /// </summary>
    public async Task<(PointsEarned? Purchase, IReadOnlyList<PurchaseRefunded> Refunds,
        LateReceiptAnnulled? Annulled)> FindReceipt(
        string card, string receiptId, string stationId)
    {
        PointsEarned? purchase = null;
        var refunds = new List<PurchaseRefunded>();
        LateReceiptAnnulled? annulled = null;
        foreach (var e in await EventsWhere(card, receiptId, """
            (receipt_id = @id and kind in ('purchase', 'refund')) or (operation_id = @id and kind = 'annulled')
            """))
        {
            switch (e)
            {
                // Receipt ids are unique only per station, and a station refunds only what it sold:
                // another station's receipt with the same id is not this one.
                case PointsEarned earned when earned.SourceId == stationId:
                    purchase = earned;
                    break;
                case PurchaseRefunded refund:
                    refunds.Add(refund);
                    break;
                case LateReceiptAnnulled late when late.SourceId == stationId:
                    annulled = late;
                    break;
            }
        }
        // Without the purchase here, the refunds of that receipt id here still count: the card that replaced the
        // one which earned it records them (RefundCommand).
        return purchase is null ? (null, refunds, null)
            : (purchase, refunds.Where(r => r.Refunds(purchase)).ToList(), annulled);
    }

    /// <summary>The hand-over a replaced card recorded under the transfer id (step 1 of a replacement).</summary>
    public async Task<ReplacementStarted?> FindReplacementStarted(string card, string transferId)
    {
        var events = await EventsWhere(card, transferId, "kind = 'replacing' and operation_id = @id");
        return events.Count > 0 ? events[0] as ReplacementStarted : null;
    }

    /// <summary>A payment with points of <paramref name="stationId"/> on this card, and whether it was reversed
    /// already.</summary>
    public async Task<(PointsRedeemed? Redemption, bool Reversed)> FindRedemption(string card, string redemptionId,
        string stationId)
    {
        PointsRedeemed? redemption = null;
        var reversed = false;
        foreach (var e in await EventsWhere(card, redemptionId, """
            station_id = @station
              and ((kind = 'redemption' and operation_id = @id) or (kind = 'reversal' and receipt_id = @id))
            """, ("station", stationId)))
        {
            switch (e)
            {
                case PointsRedeemed found when found.StationId == stationId && found.OperationId == redemptionId:
                    redemption = found;
                    break;
                case RedemptionReversed earlier when earlier.StationId == stationId
                    && earlier.RedemptionId == redemptionId:
                    reversed = true;
                    break;
            }
        }
        return (redemption, reversed);
    }

    /// <summary>
    /// The card's ledger events, in order, that <paramref name="condition"/> selects: SQL over the ledger's columns,
    /// with <c>@id</c> bound to <paramref name="id"/> and any <paramref name="more"/> parameters.
    /// </summary>
    private async Task<List<CardEvent>> EventsWhere(string card, string id, string condition,
        params (string Name, string Value)[] more)
    {
        await using var command = database.CreateCommand(
            $"select event from card_ledger where card_number = @card::char(16) and ({condition}) order by seq");
        command.Parameters.AddWithValue("card", card);
        command.Parameters.AddWithValue("id", id);
        foreach (var (name, value) in more) command.Parameters.AddWithValue(name, value);
        var events = new List<CardEvent>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) events.Add(LedgerJson.DeserializeEvent(reader.GetString(0)));
        return events;
    }

    /// <summary>Newest first, keyset-paginated on the sequence number: cost independent of history length.</summary>
    /// <remarks>
    /// <paramref name="kinds"/> (null: all) and the period [<paramref name="from"/>, <paramref name="until"/>) filter
    /// the entries; the station's (or the partner's) name is its name now.
    /// </remarks>
    public async Task<HistoryPage> ReadHistory(string card, int limit, long? beforeSeq,
        IReadOnlyList<string>? kinds = null,
        DateTimeOffset? from = null, DateTimeOffset? until = null)
    {
        var rows = await ReadHistoryRows(card, limit + 1, beforeSeq, kinds, from, until);
        var items = rows.Select(r => r.Item).ToList();
        var more = items.Count > limit;
        if (more) items.RemoveAt(items.Count - 1);
        return new HistoryPage(items, more ? items[^1].Id : null);
    }

    /// <summary>The newest entries with the operator who made each (adjustments, early releases), for
    /// support.</summary>
    public async Task<IReadOnlyList<SupportHistoryItem>> ReadSupportHistory(string card, int limit) =>
        (await ReadHistoryRows(card, limit, null)).Select(r => new SupportHistoryItem(r.Item, r.By)).ToList();

    private async Task<List<(HistoryItem Item, string? By)>> ReadHistoryRows(string card, int limit, long? beforeSeq,
        IReadOnlyList<string>? kinds = null, DateTimeOffset? from = null, DateTimeOffset? until = null)
    {
        await using var command = database.CreateCommand("""
            select l.seq, l.at, l.kind, l.points, l.litres, l.amount, l.station_id, l.description, l.available_at,
                   l.event->>'reason', l.event->>'operatorId', coalesce(s.name, p.name)
            from card_ledger l
            left join stations s on s.station_id = l.station_id
            -- A partner's accrual names it as the source, a partner's refund as the partner.
            left join partners p on p.partner_id = case l.kind when 'partner' then l.event->>'sourceId'
                                                               when 'refund' then l.event->>'partnerId' end
            where l.card_number = @card::char(16) and l.seq < @before
              and (@kinds::text[] is null or l.kind = any(@kinds::text[]))
              and (@from::timestamptz is null or l.at >= @from::timestamptz)
              and (@until::timestamptz is null or l.at < @until::timestamptz)
            order by l.seq desc limit @limit
            """);
        command.Parameters.AddWithValue("card", card);
        command.Parameters.AddWithValue("before", beforeSeq ?? long.MaxValue);
        command.Parameters.AddWithValue("limit", limit);
        command.Parameters.Add(
            new NpgsqlParameter("kinds", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text)
            { Value = kinds is null ? DBNull.Value : kinds.ToArray() });
        command.Parameters.Add(
            new NpgsqlParameter("from",
                NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)from ?? DBNull.Value });
        command.Parameters.Add(
            new NpgsqlParameter("until",
                NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)until ?? DBNull.Value });
        var items = new List<(HistoryItem, string?)>(limit);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            items.Add((new HistoryItem(
                Id: reader.GetInt64(0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                At: reader.GetFieldValue<DateTimeOffset>(1),
                Kind: reader.GetString(2),
                Points: new Points(reader.GetInt64(3)),
                Litres: reader.IsDBNull(4) ? null : new Litres(reader.GetDecimal(4)),
                Amount: reader.IsDBNull(5) ? null : new Money(reader.GetDecimal(5)),
                StationId: reader.IsDBNull(6) ? null : reader.GetString(6),
                Description: reader.GetString(7),
                AvailableAt: reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                Reason: reader.IsDBNull(9) ? null : reader.GetString(9),
                StationName: reader.IsDBNull(11) ? null : reader.GetString(11)),
                reader.IsDBNull(10) ? null : reader.GetString(10)));
        }
        return items;
    }
}
