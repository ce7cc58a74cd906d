using System.Globalization;
using Npgsql;

namespace BpClub.Cluster.Tests;

/// <summary>Every receipt against the purchase rows in card_ledger and the operations in card_operations.</summary>
public sealed record LedgerCheck(int Acknowledged, int Unacknowledged, int UnacknowledgedCredited, int Lost,
    int Duplicated,
    int Unknown, int PointsMismatch, long PurchaseRows, long PurchaseOperations, long CardsWithSequenceGaps,
        string OtherKinds,
    string OperationsWithoutPurchase);

/// <summary>The ground truth after a run: what the ledger in PostgreSQL holds, read with SQL.</summary>
public static class LedgerJudge
{
    public static async Task<LedgerCheck> Check(NpgsqlDataSource database, IReadOnlyCollection<Receipt> receipts)
    {
        var rows = new Dictionary<(string Card, string Station, string Receipt), List<long>>();
        await using (var command = database.CreateCommand(
            "select card_number, station_id, receipt_id, points from card_ledger where kind = 'purchase'"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var key = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
                if (!rows.TryGetValue(key, out var points)) rows[key] = points = [];
                points.Add(reader.GetInt64(3));
            }
        }
        int lost = 0, duplicated = 0, mismatch = 0, unackedCredited = 0;
        var sent = new HashSet<(string, string, string)>();
        foreach (var r in receipts)
        {
            var key = (r.Card, r.Station, r.Id);
            sent.Add(key);
            var found = rows.GetValueOrDefault(key) ?? [];
            if (found.Count > 1) duplicated++;
            if (r.Acknowledged)
            {
                if (found.Count == 0) lost++;
                else if (found[0] != r.PointsEarned) mismatch++;
            }
            else if (found.Count == 1)
            {
                unackedCredited++;
            }
        }
        return new LedgerCheck(
            Acknowledged: receipts.Count(r => r.Acknowledged),
            Unacknowledged: receipts.Count(r => !r.Acknowledged),
            UnacknowledgedCredited: unackedCredited,
            Lost: lost,
            Duplicated: duplicated,
            Unknown: rows.Keys.Count(k => !sent.Contains(k)),
            PointsMismatch: mismatch,
            PurchaseRows: rows.Values.Sum(v => v.Count),
            PurchaseOperations: await Scalar<long>(database,
                "select count(*) from card_operations where operation_key like 'purchase:%'"),
            CardsWithSequenceGaps: await Scalar<long>(database, """
                select count(*) from (select card_number from card_ledger group by card_number
                                      having max(seq) <> count(*) or min(seq) <> 1) g
                """),
            // The run issues cards and records purchases; the rest of the ledger follows from those alone.
            OtherKinds: await Scalar<string>(database, """
                select coalesce(string_agg(distinct kind, ', '), '') from card_ledger
                where kind not in ('issued', 'purchase', 'released')
                """),
            // For the post-mortem when the counts differ: a few operations and what the ledger holds at their seq.
            OperationsWithoutPurchase: await Scalar<string>(database, """
                select coalesce(string_agg(o.card_number || ' ' || o.operation_key || ' seq ' || o.seq || ': '
                    || coalesce(l.kind || ' ' || coalesce(l.receipt_id, '-'), 'no entry'), '; '), '')
                from (select * from card_operations o where o.operation_key like 'purchase:%' and not exists (
                          select 1 from card_ledger p where p.card_number = o.card_number and p.kind = 'purchase'
                            and o.operation_key = 'purchase:' || p.station_id || ':' || p.receipt_id)
                      limit 5) o
                left join card_ledger l on l.card_number = o.card_number and l.seq = o.seq
                """));
    }

    public static async Task<T> Scalar<T>(NpgsqlDataSource database, string sql, DateTimeOffset? at = null)
    {
        await using var command = database.CreateCommand(sql);
        if (at is { } a) command.Parameters.AddWithValue("at", a.UtcDateTime);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default!
            : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }
}
