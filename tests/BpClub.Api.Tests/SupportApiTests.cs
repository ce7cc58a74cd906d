namespace BpClub.Api.Tests;

/// <summary>
/// Operators supporting a member: the card lookup, manual adjustments and held points released early. Points are
/// money: every way in is checked for what a retry, a race or a wrong amount could make of it.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class SupportApiTests(AppFixture fixture)
{
    private readonly BpClubApp _app = fixture.App;

    private static object Adjustment(string id, long points, string reason = "Pump 4 printed no receipt") =>
        new { adjustmentId = id, points, reason };

    private async Task<JsonElement> Balance(string card) =>
        (await _app.Operator().GetFromJsonAsync<JsonElement>($"/api/admin/v1/cards/{card}")).GetProperty("balance");

    private static (long Available, long OnHold) Points(JsonElement balance) =>
        (balance.GetProperty("available").GetInt64(), balance.GetProperty("onHold").GetInt64());

    [Fact]
    public async Task The_lookup_shows_the_card_its_registration_with_the_phone_masked_and_the_last_operations()
    {
        var stationKey = await _app.NewStationKey();
        var member = await _app.NewMember(stationKey);
        await _app.Client(stationKey).Purchase(Http.FuelPurchase("look-1", member.Card, litres: 12m, amount: 700m));

        var card = await _app.Operator().GetFromJsonAsync<JsonElement>($"/api/admin/v1/cards/{member.Card}");

        Assert.Equal(("active", 12L),
            (card.GetProperty("status").GetString(), card.GetProperty("balance").GetProperty("total").GetInt64()));
        Assert.Equal("Green", card.GetProperty("tier").GetProperty("name").GetString());
        var registration = card.GetProperty("registration");
        var masked = registration.GetProperty("phone").GetString()!;
        Assert.Equal("+380" + new string('*', 7) + member.Phone[^2..], masked);
        Assert.DoesNotContain(member.Phone[4..^2], masked);
        Assert.True(registration.GetProperty("registeredAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(-1));
        var operations = card.GetProperty("lastOperations").EnumerateArray().ToList();
        Assert.Equal(["purchase", "issued"], operations.Select(o => o.GetProperty("kind").GetString()));
        Assert.Equal(stationKey.Split('.')[1], operations[0].GetProperty("stationId").GetString());

        var limited = await _app.Operator()
            .GetFromJsonAsync<JsonElement>($"/api/admin/v1/cards/{member.Card}?operations=1");
        Assert.Single(limited.GetProperty("lastOperations").EnumerateArray());
        // A card without a cabinet account, and one never issued.
        var unregistered = await _app.IssueCard(stationKey);
        var plain = await _app.Operator().GetFromJsonAsync<JsonElement>($"/api/admin/v1/cards/{unregistered}");
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("registration").ValueKind);
        await _app.Operator().GetAsync($"/api/admin/v1/cards/{Cards.NewNumber()}")
            .ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_adjustment_is_available_at_once_shown_to_the_member_with_its_reason_and_to_support_with_who()
    {
        var stationKey = await _app.NewStationKey();
        var member = await _app.NewMember(stationKey);
        await _app.Client(stationKey).Purchase(Http.FuelPurchase("adj-1", member.Card, litres: 20m, amount: 1100m));

        var added = await _app.Operator().PostAsJsonAsync($"/api/admin/v1/cards/{member.Card}/adjustments",
            Adjustment("adj-a", 35)).Expect(HttpStatusCode.Created);
        Assert.Equal(("adj-a", 35L),
            (added.GetProperty("adjustmentId").GetString(), added.GetProperty("points").GetInt64()));
        Assert.Equal((35L, 20L), Points(added.GetProperty("balance")));
        var taken = await _app.SecondOperator().PostAsJsonAsync($"/api/admin/v1/cards/{member.Card}/adjustments",
            Adjustment("adj-b", -5, "Duplicate goodwill")).Expect(HttpStatusCode.Created);
        Assert.Equal((30L, 20L), Points(taken.GetProperty("balance")));

        var history = await member.Client().GetFromJsonAsync<JsonElement>("/api/cabinet/v1/history");
        var items = history.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(("adjustment", -5L, "Duplicate goodwill"),
            (items[0].GetProperty("kind").GetString(), items[0].GetProperty("points").GetInt64(),
                items[0].GetProperty("reason").GetString()));
        Assert.Equal(("adjustment", 35L, "Pump 4 printed no receipt"),
            (items[1].GetProperty("kind").GetString(), items[1].GetProperty("points").GetInt64(),
                items[1].GetProperty("reason").GetString()));
        // The member is not told which operator's key it was.
        Assert.DoesNotContain("\"by\"", history.ToString());
        Assert.DoesNotContain(BpClubApp.OperatorId(BpClubApp.OperatorKey), history.ToString());

        var lookup = await _app.Operator().GetFromJsonAsync<JsonElement>($"/api/admin/v1/cards/{member.Card}");
        var operations = lookup.GetProperty("lastOperations").EnumerateArray().ToList();
        Assert.Equal(BpClubApp.OperatorId(BpClubApp.SecondOperatorKey), operations[0].GetProperty("by").GetString());
        Assert.Equal(BpClubApp.OperatorId(BpClubApp.OperatorKey), operations[1].GetProperty("by").GetString());
        Assert.Equal(JsonValueKind.Null, operations[2].GetProperty("by").ValueKind);
        Assert.DoesNotContain(BpClubApp.OperatorKey, lookup.ToString());
    }

    [Fact]
    public async Task An_adjustment_retried_answers_its_first_result_and_a_reused_id_with_another_body_is_a_conflict()
    {
        var member = await _app.NewMember(await _app.NewStationKey());
        var path = $"/api/admin/v1/cards/{member.Card}/adjustments";

        // Ten at once with the same id: one adjustment.
        var racing = await Task.WhenAll(Enumerable.Range(0, 10)
            .Select(_ => _app.Operator().PostAsJsonAsync(path, Adjustment("same", 100))));
        Assert.Single(racing, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(racing, r
            => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        // Another operator retrying it is the same operation too.
        var replay = await _app.SecondOperator().PostAsJsonAsync(path, Adjustment("same", 100))
            .Expect(HttpStatusCode.OK);
        Assert.Equal(100, replay.GetProperty("balance").GetProperty("available").GetInt64());
        Assert.Equal((100L, 0L), Points(await Balance(member.Card)));

        await _app.Operator().PostAsJsonAsync(path, Adjustment("same", 1000)).ExpectProblem(HttpStatusCode.Conflict);
        await _app.Operator().PostAsJsonAsync(path, Adjustment("same", 100, "Another reason"))
            .ExpectProblem(HttpStatusCode.Conflict);
        Assert.Equal((100L, 0L), Points(await Balance(member.Card)));
        var history = await member.Client().GetFromJsonAsync<JsonElement>("/api/cabinet/v1/history");
        Assert.Single(history.GetProperty("items").EnumerateArray(),
            i => i.GetProperty("kind").GetString() == "adjustment");
    }

    [Fact]
    public async Task A_negative_adjustment_never_takes_the_available_balance_below_zero_and_a_closed_card_takes_none()
    {
        var stationKey = await _app.NewStationKey();
        var member = await _app.NewMember(stationKey);
        await _app.Client(stationKey).Purchase(Http.FuelPurchase("neg-1", member.Card, litres: 20m, amount: 1100m));
        var path = $"/api/admin/v1/cards/{member.Card}/adjustments";
        await _app.Operator().PostAsJsonAsync(path, Adjustment("neg-a", 10)).Expect(HttpStatusCode.Created);

        // Held points are not available: taking 11 of 10 available (20 on hold) is refused.
        var refused = await _app.Operator().PostAsJsonAsync(path, Adjustment("neg-b", -11))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("below zero", refused.GetProperty("detail").GetString());
        Assert.Equal((10L, 20L), Points(await Balance(member.Card)));
        // The refused id was not used up: it may be sent again with a good amount.
        await _app.Operator().PostAsJsonAsync(path, Adjustment("neg-b", -10)).Expect(HttpStatusCode.Created);
        Assert.Equal((0L, 20L), Points(await Balance(member.Card)));

        await _app.Operator()
            .PostAsJsonAsync($"/api/admin/v1/cards/{Cards.NewNumber()}/adjustments", Adjustment("x", 10))
            .ExpectProblem(HttpStatusCode.NotFound);
        await _app.Operator().PostAsJsonAsync($"/api/admin/v1/cards/{member.Card}/termination",
            new { applicationReceivedAt = DateTimeOffset.UtcNow.AddDays(-1), reference = "APP-ADJ" })
                .Expect(HttpStatusCode.OK);
        await _app.Operator().PostAsJsonAsync(path, Adjustment("after-end", 10))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Held_points_are_released_early_some_or_all_soonest_first_and_never_more_than_are_held()
    {
        var stationKey = await _app.NewStationKey();
        var member = await _app.NewMember(stationKey);
        var station = _app.Client(stationKey);
        await station.Purchase(Http.FuelPurchase("hold-1", member.Card, litres: 30m, amount: 1700m));
        await station.Purchase(Http.FuelPurchase("hold-2", member.Card, litres: 50m, amount: 2800m));
        var path = $"/api/admin/v1/cards/{member.Card}/holds/release";

        var some = await _app.Operator().PostAsJsonAsync(path, new { releaseId = "rel-1", points = 45 })
            .Expect(HttpStatusCode.Created);
        Assert.Equal(("rel-1", 45L),
            (some.GetProperty("releaseId").GetString(), some.GetProperty("pointsReleased").GetInt64()));
        Assert.Equal((45L, 35L), Points(some.GetProperty("balance")));
        await _app.Operator().PostAsJsonAsync(path, new { releaseId = "rel-1", points = 45 }).Expect(HttpStatusCode.OK);
        await _app.Operator().PostAsJsonAsync(path, new { releaseId = "rel-1", points = 5 })
            .ExpectProblem(HttpStatusCode.Conflict);
        var tooMany = await _app.Operator().PostAsJsonAsync(path, new { releaseId = "rel-2", points = 36 })
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Only 35 points are on hold", tooMany.GetProperty("detail").GetString());
        Assert.Equal((45L, 35L), Points(await Balance(member.Card)));

        var rest = await _app.Operator().PostAsJsonAsync(path, new { releaseId = "rel-3" })
            .Expect(HttpStatusCode.Created);
        Assert.Equal(35, rest.GetProperty("pointsReleased").GetInt64());
        Assert.Equal((80L, 0L), Points(rest.GetProperty("balance")));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("balance").GetProperty("nextRelease").ValueKind);
        await _app.Operator().PostAsJsonAsync(path, new { releaseId = "rel-4" })
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);

        var history = await member.Client().GetFromJsonAsync<JsonElement>("/api/cabinet/v1/history");
        var releases = history.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("kind").GetString() == "releasedEarly")
            .Select(i => i.GetProperty("points").GetInt64()).ToList();
        Assert.Equal([35L, 45L], releases);
        // The member can spend them at the till now.
        await member.Client()
            .PutAsJsonAsync("/api/cabinet/v1/spending", new { enabled = true, password = member.Password })
            .Expect(HttpStatusCode.OK);
        await station.PostAsJsonAsync("/api/pos/v1/redemptions",
            new { redemptionId = "spend-1", cardNumber = member.Card, points = 80 })
            .Expect(HttpStatusCode.Created);
        // A purchase refunded after its points were released early takes them from the available balance.
        var refund = await station.PostAsJsonAsync("/api/pos/v1/refunds",
            new { refundId = "back-1", receiptId = "hold-1", cardNumber = member.Card })
            .Expect(HttpStatusCode.Created);
        Assert.Equal((-30L, 0L), Points(refund.GetProperty("balance")));
    }

    [Fact]
    public async Task Releases_of_the_same_id_racing_release_once()
    {
        var stationKey = await _app.NewStationKey();
        var member = await _app.NewMember(stationKey);
        await _app.Client(stationKey).Purchase(Http.FuelPurchase("race-1", member.Card, litres: 40m, amount: 2200m));
        var path = $"/api/admin/v1/cards/{member.Card}/holds/release";

        var racing = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            _app.Operator().PostAsJsonAsync(path, new { releaseId = "race", points = 10 })));

        Assert.Single(racing, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(racing, r
            => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        Assert.Equal((10L, 30L), Points(await Balance(member.Card)));
    }
}
