using System.Net;
using System.Text.Json;
using Npgsql;

namespace BpClub.Cluster.Tests;

/// <summary>Cards whose balance through the API differs from their ledger, by figure.</summary>
public sealed record BalanceCheck(int Cards, int Disagreeing, int Unanswered, int TotalMismatched,
    int AvailableMismatched,
    string? FirstMismatch);

public static class Balances
{
    /// <summary>
    /// Every card's balance through the API (both front ends) against its ledger: the total is every signed
    /// change but releases (which only move points from hold to available); the available points are the
    /// released ones less what was spent or annulled. The API computes both from the card's state in memory,
    /// settling what fell due on the fly, so once the ledger has every release written they agree.
    /// </summary>
    public static async Task<BalanceCheck> Check(HttpClient http, Uri[] fronts, string stationKey, List<string> cards,
        NpgsqlDataSource database)
    {
        var ledger = new Dictionary<string, (long Total, long Available)>();
        await using (var command = database.CreateCommand("""
            select card_number,
                   coalesce(sum(points) filter (where kind not in ('released', 'releasedEarly')), 0),
                   coalesce(sum(points) filter (where kind in
                       ('released', 'releasedEarly', 'redemption', 'reversal', 'expired', 'adjustment')), 0)
            from card_ledger group by card_number
            """))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) ledger[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
        }
        int disagreeing = 0, unanswered = 0, total = 0, available = 0, next = -1;
        string? first = null;
        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < cards.Count)
            {
                var card = cards[i];
                var uri = new Uri(fronts[i % fronts.Length], $"api/pos/v1/cards/{card}/balance");
                using var response = await Setup.Send(http, () => Setup.Json(HttpMethod.Get, uri, stationKey, null),
                    TimeSpan.FromSeconds(60));
                var body = await response.Content.ReadAsStringAsync();
                var expected = ledger.GetValueOrDefault(card);
                var wrong = response.StatusCode != HttpStatusCode.OK;
                if (wrong)
                {
                    Interlocked.Increment(ref unanswered);
                }
                else
                {
                    using var json = JsonDocument.Parse(body);
                    if (json.RootElement.GetProperty("total").GetInt64() != expected.Total)
                    {
                        Interlocked.Increment(ref total);
                        wrong = true;
                    }
                    if (json.RootElement.GetProperty("available").GetInt64() != expected.Available)
                    {
                        Interlocked.Increment(ref available);
                        wrong = true;
                    }
                }
                if (!wrong) continue;
                Interlocked.Increment(ref disagreeing);
                Interlocked.CompareExchange(ref first,
                    $"{card}: API {(int)response.StatusCode} {body}, "
                    + $"ledger total {expected.Total} available {expected.Available}", null);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Worker()));
        return new BalanceCheck(cards.Count, disagreeing, unanswered, total, available, first);
    }
}
