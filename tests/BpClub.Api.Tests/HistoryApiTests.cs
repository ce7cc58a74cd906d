using System.Text;

namespace BpClub.Api.Tests;

/// <summary>The member's history: where each entry happened, filters by kind and period, and the CSV
/// download.</summary>
[Collection(ServiceCollection.Name)]
public sealed class HistoryApiTests(AppFixture fixture)
{
    private readonly BpClubApp _app = fixture.App;
    private static readonly TimeZoneInfo KyivZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv");

    private static string Day(int offset) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, KyivZone).DateTime).AddDays(offset)
            .ToString("yyyy-MM-dd");

    private async Task<(Member Member, string StationId)> MemberWithHistory(string stationName)
    {
        var stationId = "st-" + Guid.NewGuid().ToString("N")[..8];
        var created = await _app.Operator()
            .PutAsJsonAsync($"/api/admin/v1/stations/{stationId}", new { name = stationName, address = "Kyiv" })
            .Expect(HttpStatusCode.Created);
        var stationKey = created.GetProperty("apiKey").GetString()!;
        var member = await _app.NewMember(stationKey);
        var partnerId = "pa-" + Guid.NewGuid().ToString("N")[..8];
        var partner = await _app.Operator()
            .PutAsJsonAsync($"/api/admin/v1/partners/{partnerId}", new { name = "Kava & Co", pointsPerUah = 0.5m })
            .Expect(HttpStatusCode.Created);
        var station = _app.Client(stationKey);
        await station.Purchase(Http.FuelPurchase("h-1", member.Card, litres: 20m, amount: 1100m));
        await _app.Client(partner.GetProperty("apiKey").GetString()).PostAsJsonAsync("/api/partners/v1/accruals",
            new { partnerTransactionId = "k-1", cardNumber = member.Card, amount = 40m })
                .Expect(HttpStatusCode.Created);
        await station.PostAsJsonAsync("/api/pos/v1/refunds",
            new { refundId = "h-back", receiptId = "h-1", cardNumber = member.Card })
            .Expect(HttpStatusCode.Created);
        return (member, stationId);
    }

    private static List<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray().ToList();

    [Fact]
    public async Task Items_carry_the_station_s_or_the_partner_s_name()
    {
        var (member, stationId) = await MemberWithHistory("BP Kyiv, Peremohy 1");

        var page = await member.Client().GetFromJsonAsync<JsonElement>("/api/cabinet/v1/history");

        var items = Items(page);
        Assert.Equal(["refund", "partner", "purchase", "issued"], items.Select(i => i.GetProperty("kind").GetString()));
        Assert.Equal(("BP Kyiv, Peremohy 1", stationId),
            (items[0].GetProperty("stationName").GetString(), items[0].GetProperty("stationId").GetString()));
        Assert.Equal(("Kava & Co", JsonValueKind.Null),
            (items[1].GetProperty("stationName").GetString(), items[1].GetProperty("stationId").ValueKind));
        Assert.Equal("BP Kyiv, Peremohy 1", items[2].GetProperty("stationName").GetString());
        Assert.Equal(JsonValueKind.Null, items[3].GetProperty("stationName").ValueKind);
        Assert.Equal("Europe/Kyiv", page.GetProperty("timeZone").GetString());
    }

    [Fact]
    public async Task History_is_filtered_by_kind_and_by_the_days_of_the_programme_s_calendar()
    {
        var (member, _) = await MemberWithHistory("BP Lviv");
        var client = member.Client();

        var purchases = Items(await client.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/history?kind=purchase"));
        Assert.Equal(["purchase"], purchases.Select(i => i.GetProperty("kind").GetString()));
        var two = Items(await client.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/history?kind=partner,refund"));
        Assert.Equal(["refund", "partner"], two.Select(i => i.GetProperty("kind").GetString()));

        Assert.Equal(4, Items(
            await client.GetFromJsonAsync<JsonElement>($"/api/cabinet/v1/history?from={Day(-1)}&to={Day(1)}")).Count);
        Assert.Empty(Items(await client.GetFromJsonAsync<JsonElement>($"/api/cabinet/v1/history?from={Day(2)}")));
        Assert.Empty(Items(await client.GetFromJsonAsync<JsonElement>($"/api/cabinet/v1/history?to={Day(-2)}")));

        // Pages of a filtered history follow each other with their cursor.
        var first = await client.GetFromJsonAsync<JsonElement>(
            "/api/cabinet/v1/history?kind=issued,purchase,partner&limit=2");
        Assert.Equal(["partner", "purchase"], Items(first).Select(i => i.GetProperty("kind").GetString()));
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await client.GetFromJsonAsync<JsonElement>(
            $"/api/cabinet/v1/history?kind=issued,purchase,partner&limit=2&cursor={cursor}");
        Assert.Equal(["issued"], Items(second).Select(i => i.GetProperty("kind").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task The_csv_has_every_entry_of_the_period_escaped_and_no_cell_a_spreadsheet_would_run_as_a_formula()
    {
        var (member, stationId) = await MemberWithHistory("=HYPERLINK(\"http://evil.example\",\"Kyiv, 1\")");
        await _app.Operator().PostAsJsonAsync($"/api/admin/v1/cards/{member.Card}/adjustments",
            new { adjustmentId = "csv-1", points = 7, reason = "@SUM(1+1), call +380 00" })
                .Expect(HttpStatusCode.Created);
        await _app.Operator().PostAsJsonAsync($"/api/admin/v1/cards/{member.Card}/adjustments",
            new { adjustmentId = "csv-2", points = -2, reason = "-2 for \"test\"" }).Expect(HttpStatusCode.Created);

        var response = await member.Client().GetAsync($"/api/cabinet/v1/history.csv?from={Day(-1)}&to={Day(1)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"bpclub-history-{Day(-1)}-{Day(1)}.csv", response.Content.Headers.ContentDisposition?.FileNameStar
            ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]); // so that a spreadsheet reads the Cyrillic as UTF-8
        var rows = ParseCsv(Encoding.UTF8.GetString(bytes[3..]));
        Assert.Equal(["at", "kind", "description", "station", "stationId", "points", "litres", "amount", "availableAt",
            "reason"], rows[0]);
        Assert.Equal(["adjustment", "adjustment", "refund", "partner", "purchase", "issued"],
            rows.Skip(1).Select(r => r[1]));
        Assert.Equal(("-2", "'-2 for \"test\""), (rows[1][5], rows[1][9]));
        Assert.Equal(("7", "'@SUM(1+1), call +380 00"), (rows[2][5], rows[2][9]));
        Assert.Equal(("'=HYPERLINK(\"http://evil.example\",\"Kyiv, 1\")", stationId, "-20"),
            (rows[3][3], rows[3][4], rows[3][5]));
        Assert.Equal(("Kava & Co", "20", "40.00"), (rows[4][3], rows[4][5], rows[4][7]));
        Assert.Equal(("20", "1100.00"), (rows[5][6], rows[5][7]));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[23]:00$", rows[5][0]);
        // No cell, as a spreadsheet reads it, starts a formula (numbers are numbers).
        Assert.All(rows.SelectMany(r => r).Where(c => !long.TryParse(c, out _)),
            c => Assert.DoesNotMatch("^[=+\\-@\t\r]", c));

        var later = await member.Client().GetAsync($"/api/cabinet/v1/history.csv?from={Day(2)}&to={Day(3)}");
        Assert.Single(ParseCsv(Encoding.UTF8.GetString((await later.Content.ReadAsByteArrayAsync())[3..])));
        var defaults = await member.Client().GetAsync("/api/cabinet/v1/history.csv?kind=adjustment");
        Assert.Equal(3, ParseCsv(Encoding.UTF8.GetString((await defaults.Content.ReadAsByteArrayAsync())[3..])).Count);
    }

    /// <summary>RFC 4180 as a spreadsheet reads it: quoted cells may hold commas, doubled quotes and line
    /// breaks.</summary>
    private static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString()); cell.Clear();
                rows.Add(row); row = [];
                i++;
            }
            else cell.Append(c);
        }
        Assert.True(row.Count == 0 && cell.Length == 0, "the file ends with a line break");
        return rows;
    }
}
