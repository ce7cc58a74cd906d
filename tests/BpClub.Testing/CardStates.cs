using System.Globalization;
using System.Text;
using System.Text.Json;
using BpClub.Domain.Ledger;
using BpClub.Domain.Programme;
using BpClub.Grains;
using BpClub.Grains.Cards;
using BpClub.Grains.Cards.Storage;
using Npgsql;

namespace BpClub.Testing;

/// <summary>
/// A card's full account state two ways: as its grain stored it (the snapshot in the Orleans storage
/// table) and as the domain rebuilds it from the ledger rows alone — to compare every field, not only
/// what a summary shows.
/// </summary>
public static class CardStates
{
    /// <summary>The card grain's stored snapshot; null when none was written.</summary>
    public static async Task<CardSnapshot?> StoredSnapshot(this NpgsqlDataSource database, string card)
    {
        await using var command = database.CreateCommand(
            $"select payloadbinary from orleansstorage where {LedgerQueries.IsCardState}");
        command.Parameters.AddWithValue("card", card);
        var payloads = new List<byte[]>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) payloads.Add((byte[])reader[0]);
        if (payloads.Count > 1) throw new InvalidOperationException($"Card {card} has {payloads.Count} stored states.");
        return payloads.Count == 0 ? null : JsonSerializer.Deserialize<CardSnapshot>(payloads[0], LedgerJson.Options);
    }

    /// <summary>
    /// The state after ledger entries 1..<paramref name="throughSeq"/>, each row's event applied in order by
    /// the domain's own account; throws on a gap in the sequence.
    /// </summary>
    public static async Task<(long Sequence, CardAccountState State)> RebuildFromLedger(this NpgsqlDataSource database,
        string card, ProgrammeRules rules, long throughSeq = long.MaxValue)
    {
        await using var command = database.CreateCommand(
            "select seq, event::text from card_ledger where card_number = @card and seq <= @through order by seq");
        command.Parameters.AddWithValue("card", card);
        command.Parameters.AddWithValue("through", throughSeq);
        var account = new CardAccount(rules);
        var seq = 0L;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var next = reader.GetInt64(0);
            if (next != seq + 1)
                throw new InvalidOperationException($"Card {card}: entry {seq + 1} is missing (next is {next}).");
            account.Apply(LedgerJson.DeserializeEvent(reader.GetString(1)));
            seq = next;
        }
        return (seq, account.ToState());
    }

    /// <summary>Every field, one per line (instants in UTC, litres unpadded): equal text, equal state.</summary>
    public static string Describe(CardAccountState state)
    {
        static string Instant(DateTimeOffset? at) => at?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) ?? "-";
        var text = new StringBuilder()
            .AppendLine($"status {state.Status}, spending {(state.SpendingEnabled ? "on" : "off")}")
            .AppendLine($"settled {state.Settled}")
            .AppendLine($"settled through {Instant(state.SettledThrough)}")
            .AppendLine($"issued {Instant(state.IssuedAt)}, terminated {Instant(state.TerminatedAt)}");
        foreach (var lot in state.Lots.OrderBy(l => l.AvailableAt))
            text.AppendLine($"on hold until {Instant(lot.AvailableAt)}: {lot.Points}");
        foreach (var (month, litres) in state.MonthLitres.OrderBy(m => m.Key))
            text.AppendLine($"month {month}: {litres.ToString("0.############", CultureInfo.InvariantCulture)} L");
        return text.ToString();
    }
}
