namespace BpClub.Api.Tests;

[Collection(ServiceCollection.Name)]
public sealed class CabinetOffersApiTests(AppFixture fixture)
{
    private readonly BpClubApp _app = fixture.App;

    private async Task Promotion(string id, object promotion) =>
        await _app.Operator().PutAsJsonAsync($"/api/admin/v1/promotions/{id}", promotion)
            .Expect(HttpStatusCode.Created);

    /// <summary>Promotions only at a station of this test's own, so that no other test's purchases earn more.</summary>
    private async Task<string> OwnStation(string name)
    {
        var id = "st-" + Guid.NewGuid().ToString("N")[..8];
        await _app.Operator()
            .PutAsJsonAsync($"/api/admin/v1/stations/{id}", new { name, address = "Lviv, Horodotska 9" })
            .Expect(HttpStatusCode.Created);
        return id;
    }

    [Fact]
    public async Task A_member_sees_the_promotions_running_and_starting_soon_with_their_rules_and_no_ids()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var station = await OwnStation("BP Lviv " + tag);
        var now = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 4).Select(i => $"offer-{tag}-{i}").ToArray();
        await Promotion(ids[0], new { name = $"Running {tag}", startsAt = now.AddHours(-1), endsAt = now.AddDays(3),
            stationIds = new[] { station }, productCodes = new[] { "A95", "DP" }, multiplier = 2m });
        await Promotion(ids[1], new { name = $"Soon {tag}", startsAt = now.AddDays(5), endsAt = now.AddDays(9),
            categories = new[] { "coffee" }, bonusPoints = 20 });
        await Promotion(ids[2], new { name = $"Far {tag}", startsAt = now.AddDays(45), endsAt = now.AddDays(50),
            bonusPoints = 5 });
        await Promotion(ids[3], new { name = $"Over {tag}", startsAt = now.AddDays(-5), endsAt = now.AddDays(-1),
            stationIds = new[] { station }, bonusPoints = 5 });
        var member = await _app.NewMember(await _app.NewStationKey());

        var response = await member.Client().GetAsync("/api/cabinet/v1/offers");
        var text = await response.Content.ReadAsStringAsync();
        var offers = (await response.Expect(HttpStatusCode.OK)).GetProperty("offers").EnumerateArray()
            .Where(o => o.GetProperty("name").GetString()!.EndsWith(tag, StringComparison.Ordinal)).ToList();

        Assert.Equal([$"Running {tag}", $"Soon {tag}"], offers.Select(o => o.GetProperty("name").GetString()));
        var running = offers[0];
        Assert.True(running.GetProperty("running").GetBoolean());
        var rule = running.GetProperty("rule");
        Assert.Equal(2m, rule.GetProperty("multiplier").GetDecimal());
        Assert.Equal(JsonValueKind.Null, rule.GetProperty("bonusPoints").ValueKind);
        Assert.Equal(JsonValueKind.Null, rule.GetProperty("levels").ValueKind);
        Assert.Equal(["A95", "DP"], rule.GetProperty("productCodes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(("BP Lviv " + tag, "Lviv, Horodotska 9"), (rule.GetProperty("stations")[0].GetProperty("name")
            .GetString(), rule.GetProperty("stations")[0].GetProperty("address").GetString()));
        var soon = offers[1];
        Assert.False(soon.GetProperty("running").GetBoolean());
        Assert.Equal(now.AddDays(5).ToUnixTimeSeconds(), soon.GetProperty("startsAt").GetDateTimeOffset()
            .ToUnixTimeSeconds());
        Assert.Equal(20, soon.GetProperty("rule").GetProperty("bonusPoints").GetInt64());
        Assert.Equal(JsonValueKind.Null, soon.GetProperty("rule").GetProperty("stations").ValueKind);
        // Members see what a promotion gives, not the programme's internal ids.
        Assert.All(ids, id => Assert.DoesNotContain(id, text));
        Assert.DoesNotContain(station, text);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_promotion_an_operator_ends_leaves_the_offers_at_once()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var station = await OwnStation("BP Rivne " + tag);
        var now = DateTimeOffset.UtcNow;
        await Promotion($"offer-{tag}", new { name = $"Ending {tag}", startsAt = now.AddHours(-1),
            endsAt = now.AddDays(3), stationIds = new[] { station }, bonusPoints = 10 });
        var member = (await _app.NewMember(await _app.NewStationKey())).Client();
        Assert.Contains($"Ending {tag}", await member.GetStringAsync("/api/cabinet/v1/offers"));

        await _app.Operator().DeleteAsync($"/api/admin/v1/promotions/offer-{tag}").Expect(HttpStatusCode.OK);

        Assert.DoesNotContain($"Ending {tag}", await member.GetStringAsync("/api/cabinet/v1/offers"));
    }

    [Fact]
    public async Task A_promotion_for_other_levels_is_neither_offered_to_the_member_nor_earned_by_the_card()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var stationId = "st-" + tag;
        var till = _app.Client(await _app.NewStationKey(stationId));
        var now = DateTimeOffset.UtcNow;
        var saved = await _app.Operator().PutAsJsonAsync($"/api/admin/v1/promotions/gold-{tag}", new
        {
            name = $"Gold {tag}", startsAt = now.AddHours(-1), endsAt = now.AddDays(3),
            stationIds = new[] { stationId }, multiplier = 2m, levels = new[] { 3, 2 },
        }).Expect(HttpStatusCode.Created);
        Assert.Equal([3, 2], saved.GetProperty("levels").EnumerateArray().Select(l => l.GetInt32()));
        await Promotion($"green-{tag}", new { name = $"Green {tag}", startsAt = now.AddHours(-1),
            endsAt = now.AddDays(3), stationIds = new[] { stationId }, bonusPoints = 5, levels = new[] { 1 } });
        var member = await _app.NewMember(await _app.NewStationKey());

        async Task<List<string>> Offered() =>
            (await member.Client().GetFromJsonAsync<JsonElement>("/api/cabinet/v1/offers")).GetProperty("offers")
            .EnumerateArray().Select(o => o.GetProperty("name").GetString()!).Where(n => n.EndsWith(tag)).ToList();

        // Green: the Green promotion only, and a Green card's purchase earns nothing from the Gold one.
        Assert.Equal([$"Green {tag}"], await Offered());
        var green = await till.Purchase(Http.FuelPurchase($"r1-{tag}", member.Card, litres: 10m, amount: 600m));
        Assert.Equal(10 + 5, green.GetProperty("pointsEarned").GetInt64());
        Assert.DoesNotContain(green.GetProperty("breakdown").EnumerateArray(),
            b => b.GetProperty("reason").GetString() == $"promotion:gold-{tag}");

        await till.Purchase(Http.FuelPurchase($"r2-{tag}", member.Card, litres: 100m, amount: 6000m));

        // Gold: the Gold promotion, named for its levels, and no longer the Green one; its purchases earn it.
        var offers = (await member.Client().GetFromJsonAsync<JsonElement>("/api/cabinet/v1/offers"))
            .GetProperty("offers").EnumerateArray().Where(o => o.GetProperty("name").GetString()!.EndsWith(tag))
            .ToList();
        Assert.Equal([$"Gold {tag}"], offers.Select(o => o.GetProperty("name").GetString()));
        Assert.Equal(["Gold", "Platinum"], offers[0].GetProperty("rule").GetProperty("levels").EnumerateArray()
            .Select(l => l.GetString()));
        var gold = await till.Purchase(Http.FuelPurchase($"r3-{tag}", member.Card, litres: 10m, amount: 600m));
        Assert.Equal(10 * 2 * 2, gold.GetProperty("pointsEarned").GetInt64());
        Assert.Contains(gold.GetProperty("breakdown").EnumerateArray(),
            b => b.GetProperty("reason").GetString() == $"promotion:gold-{tag}");
    }

    [Fact]
    public async Task A_member_whose_card_is_at_no_listed_level_sees_none_of_the_levels_promotions()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var station = await OwnStation("BP Odesa " + tag);
        var now = DateTimeOffset.UtcNow;
        await Promotion($"plat-{tag}", new { name = $"Platinum {tag}", startsAt = now.AddDays(1),
            endsAt = now.AddDays(3), stationIds = new[] { station }, bonusPoints = 50, levels = new[] { 3 } });
        var member = (await _app.NewMember(await _app.NewStationKey())).Client();

        var text = await member.GetStringAsync("/api/cabinet/v1/offers");

        Assert.DoesNotContain(tag, text);
    }
}
