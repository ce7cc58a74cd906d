namespace BpClub.Api.Tests;

/// <summary>Operators: stations and partners with their keys, promotions, card support, the cluster view.</summary>
[Collection(ServiceCollection.Name)]
public sealed class AdminApiTests(AppFixture fixture)
{
    private readonly BpClubApp _app = fixture.App;

    [Fact]
    public async Task A_station_is_created_with_a_key_shown_once_and_a_rotated_key_replaces_it()
    {
        var id = "st-" + Guid.NewGuid().ToString("N")[..8];
        var created = await _app.Operator()
            .PutAsJsonAsync($"/api/admin/v1/stations/{id}", new { name = "Kyiv 1", address = "Khreshchatyk 1" })
            .Expect(HttpStatusCode.Created);
        Assert.Equal(id, created.GetProperty("stationId").GetString());
        var key = created.GetProperty("apiKey").GetString()!;
        var card = await _app.IssueCard(key);

        var updated = await _app.Operator()
            .PutAsJsonAsync($"/api/admin/v1/stations/{id}", new { name = "Kyiv 1 (new)", address = "Khreshchatyk 1" })
            .Expect(HttpStatusCode.OK);
        Assert.True(updated.GetProperty("apiKey").ValueKind == JsonValueKind.Null);

        var rotated = await _app.Operator().PostAsync($"/api/admin/v1/stations/{id}/key", null)
            .Expect(HttpStatusCode.OK);
        var newKey = rotated.GetProperty("apiKey").GetString()!;
        Assert.NotEqual(key, newKey);
        await _app.Client(newKey).GetAsync($"/api/pos/v1/cards/{card}/balance").Expect(HttpStatusCode.OK);
        await Poll.Until(async () => (await _app.Client(key).GetAsync($"/api/pos/v1/cards/{card}/balance")).StatusCode,
            s => s == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(30), "the old station key to stop working");

        await _app.Operator().PostAsync("/api/admin/v1/stations/st-never-created/key", null)
            .ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_partner_is_created_with_its_rate_and_a_key_and_its_key_can_be_rotated()
    {
        var id = "pa-" + Guid.NewGuid().ToString("N")[..8];
        var created = await _app.Operator()
            .PutAsJsonAsync($"/api/admin/v1/partners/{id}", new { name = "Coffee", pointsPerUah = 0.25m })
            .Expect(HttpStatusCode.Created);
        Assert.Equal(id, created.GetProperty("partnerId").GetString());
        var card = await _app.IssueCard(await _app.NewStationKey());
        var accrued = await _app.Client(created.GetProperty("apiKey").GetString())
            .PostAsJsonAsync("/api/partners/v1/accruals",
            new { partnerTransactionId = "t1", cardNumber = card, amount = 400m }).Expect(HttpStatusCode.Created);
        Assert.Equal(100, accrued.GetProperty("pointsEarned").GetInt64());

        var rotated = await _app.Operator().PostAsync($"/api/admin/v1/partners/{id}/key", null)
            .Expect(HttpStatusCode.OK);
        await _app.Client(rotated.GetProperty("apiKey").GetString()).PostAsJsonAsync("/api/partners/v1/accruals",
            new { partnerTransactionId = "t2", cardNumber = card, amount = 4m }).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Promotions_are_created_listed_replaced_and_ended()
    {
        var id = "promo-" + Guid.NewGuid().ToString("N")[..8];
        var stationId = "st-" + Guid.NewGuid().ToString("N")[..8];
        var stationKey = await _app.NewStationKey(stationId);
        var promotion = new
        {
            name = "Double points on A95", startsAt = DateTimeOffset.UtcNow.AddDays(-1),
                endsAt = DateTimeOffset.UtcNow.AddDays(7),
            stationIds = new[] { stationId }, productCodes = new[] { "A95" }, multiplier = 2m,
        };
        var created = await _app.Operator().PutAsJsonAsync($"/api/admin/v1/promotions/{id}", promotion)
            .Expect(HttpStatusCode.Created);
        Assert.Equal(id, created.GetProperty("promotionId").GetString());
        await _app.Operator()
            .PutAsJsonAsync($"/api/admin/v1/promotions/{id}", promotion with { name = "Double points on A-95" })
            .Expect(HttpStatusCode.OK);

        var list = await _app.Operator().GetFromJsonAsync<JsonElement>("/api/admin/v1/promotions");
        var listed = Assert.Single(list.EnumerateArray(), p => p.GetProperty("promotionId").GetString() == id);
        Assert.Equal("Double points on A-95", listed.GetProperty("name").GetString());

        // Tills see a saved promotion within seconds.
        var card = await _app.IssueCard(stationKey);
        var station = _app.Client(stationKey);
        var receipt = 0;
        await Poll.Until(async ()
            => (await station.Purchase(Http.FuelPurchase($"p-{++receipt}", card, litres: 10m, amount: 600m)))
            .GetProperty("pointsEarned").GetInt64(), points => points == 20, TimeSpan.FromSeconds(30),
                "the promotion to reach the till");

        var ended = await _app.Operator().DeleteAsync($"/api/admin/v1/promotions/{id}").Expect(HttpStatusCode.OK);
        Assert.True(ended.GetProperty("endsAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow.AddMinutes(1));
        await Poll.Until(async ()
            => (await station.Purchase(Http.FuelPurchase($"p-{++receipt}", card, litres: 10m, amount: 600m)))
            .GetProperty("pointsEarned").GetInt64(), points => points == 10, TimeSpan.FromSeconds(30),
                "the ended promotion to leave the till");

        await _app.Operator().DeleteAsync("/api/admin/v1/promotions/no-such-promotion")
            .ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_card_summary_for_support_shows_status_balance_tier_and_dates()
    {
        var stationKey = await _app.NewStationKey();
        var card = await _app.IssueCard(stationKey);
        await _app.Client(stationKey).Purchase(Http.FuelPurchase("s-1", card, litres: 12m, amount: 700m));

        var summary = await _app.Operator().GetFromJsonAsync<JsonElement>($"/api/admin/v1/cards/{card}");
        Assert.Equal(card, summary.GetProperty("cardNumber").GetString());
        Assert.Equal("active", summary.GetProperty("status").GetString());
        Assert.Equal(12, summary.GetProperty("balance").GetProperty("total").GetInt64());
        Assert.Equal("Green", summary.GetProperty("tier").GetProperty("name").GetString());
        Assert.True(summary.GetProperty("issuedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(-1));
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("terminatedAt").ValueKind);
    }

    [Fact]
    public async Task The_cluster_view_lists_the_active_silos_with_their_activations()
    {
        var cluster = await _app.Operator().GetFromJsonAsync<JsonElement>("/api/admin/v1/cluster");
        Assert.Equal(_app.Cluster.Cluster.Silos.Count, cluster.GetProperty("activeSilos").GetInt32());
        var silos = cluster.GetProperty("silos").EnumerateArray()
            .Where(s => s.GetProperty("status").GetString() == "active").ToList();
        Assert.Equal(_app.Cluster.Cluster.Silos.Count, silos.Count);
        Assert.All(silos, s => Assert.True(s.GetProperty("activations").GetInt32() > 0));
        Assert.True(cluster.GetProperty("totalActivations").GetInt64() > 0);
    }
}
