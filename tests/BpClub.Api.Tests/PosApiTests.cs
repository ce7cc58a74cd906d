namespace BpClub.Api.Tests;

/// <summary>The tills' endpoints: issue, purchase, redemption, refund, balance; idempotency of each write.</summary>
[Collection(ServiceCollection.Name)]
public sealed class PosApiTests(AppFixture fixture)
{
    private readonly BpClubApp _app = fixture.App;

    [Fact]
    public async Task Issuing_a_card_answers_201_with_the_card_and_a_different_questionnaire_for_it_409()
    {
        var station = _app.Client(await _app.NewStationKey());
        var number = Cards.NewNumber();
        var questionnaire = new { firstName = "Taras", lastName = "Shevchenko", phone = "+380671112233",
            birthDate = "1990-03-09", consent = true };

        var card = await station.PutAsJsonAsync($"/api/pos/v1/cards/{number}", questionnaire)
            .Expect(HttpStatusCode.Created);
        Assert.Equal(number, card.GetProperty("cardNumber").GetString());
        Assert.Equal("active", card.GetProperty("status").GetString());
        Assert.Equal(0, card.GetProperty("balance").GetProperty("total").GetInt64());

        var again = await station.PutAsJsonAsync($"/api/pos/v1/cards/{number}", questionnaire)
            .Expect(HttpStatusCode.OK);
        Assert.Equal(card.GetProperty("cardNumber").GetString(), again.GetProperty("cardNumber").GetString());
        await station.PutAsJsonAsync($"/api/pos/v1/cards/{number}", questionnaire with { firstName = "Lesya" })
            .ExpectProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Purchase_answers_201_replay_200_with_the_same_body_and_another_payload_409()
    {
        var station = _app.Client(await _app.NewStationKey());
        var card = await _app.IssueCard(await _app.NewStationKey());
        var purchase = Http.FuelPurchase("r-100", card, litres: 30m, amount: 1800m);

        var first = await station.PostAsJsonAsync("/api/pos/v1/purchases", purchase);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var firstBody = await first.Content.ReadAsStringAsync();
        var result = JsonDocument.Parse(firstBody).RootElement;
        Assert.Equal("r-100", result.GetProperty("receiptId").GetString());
        Assert.Equal(30, result.GetProperty("pointsEarned").GetInt64());
        Assert.Equal(30, result.GetProperty("breakdown").EnumerateArray().Sum(b => b.GetProperty("points").GetInt64()));
        Assert.Equal(30, result.GetProperty("balance").GetProperty("total").GetInt64());
        Assert.Equal("Green", result.GetProperty("tier").GetProperty("name").GetString());
        Assert.Equal(0m, result.GetProperty("tier").GetProperty("litresToKeepLevel").GetDecimal());
        Assert.Equal("Green", result.GetProperty("tier").GetProperty("levelNextMonth").GetString());

        var replay = await station.PostAsJsonAsync("/api/pos/v1/purchases", purchase);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(firstBody, await replay.Content.ReadAsStringAsync());

        await station.PostAsJsonAsync("/api/pos/v1/purchases",
            Http.FuelPurchase("r-100", card, litres: 31m, amount: 1800m))
            .ExpectProblem(HttpStatusCode.Conflict);
        var balance = await station.GetFromJsonAsync<JsonElement>($"/api/pos/v1/cards/{card}/balance");
        Assert.Equal(30, balance.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task The_same_receipt_sent_at_once_many_times_is_recorded_once()
    {
        var stationKey = await _app.NewStationKey();
        var card = await _app.IssueCard(stationKey);
        var purchase = Http.FuelPurchase("r-burst", card, litres: 10m, amount: 600m);
        var responses = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => _app.Client(stationKey).PostAsJsonAsync("/api/pos/v1/purchases", purchase)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        Assert.Single((await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()))).Distinct());
        var balance = await _app.Client(stationKey).GetFromJsonAsync<JsonElement>($"/api/pos/v1/cards/{card}/balance");
        Assert.Equal(10, balance.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Receipt_ids_are_unique_per_station_not_across_stations()
    {
        var card = await _app.IssueCard(await _app.NewStationKey());
        await _app.Client(await _app.NewStationKey())
            .PostAsJsonAsync("/api/pos/v1/purchases", Http.FuelPurchase("1", card, 10m, 600m))
            .Expect(HttpStatusCode.Created);
        var second = await _app.Client(await _app.NewStationKey())
            .PostAsJsonAsync("/api/pos/v1/purchases", Http.FuelPurchase("1", card, 20m, 1200m))
            .Expect(HttpStatusCode.Created);
        Assert.Equal(30, second.GetProperty("balance").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Refund_takes_back_the_points_of_the_receipt_and_is_idempotent()
    {
        var stationKey = await _app.NewStationKey();
        var station = _app.Client(stationKey);
        var card = await _app.IssueCard(stationKey);
        await station.Purchase(new
        {
            receiptId = "r-7", cardNumber = card, paymentMethod = "cash",
            lines = new object[]
            {
                new { type = "fuel", productCode = "A95", litres = 20m, amount = 1200m },
                new { type = "shop", category = "coffee", amount = 200m },
            },
        });
        await station.Purchase(Http.FuelPurchase("r-8", card, litres: 5m, amount: 300m));

        var partial = await station.PostAsJsonAsync("/api/pos/v1/refunds",
            new { refundId = "rf-1", receiptId = "r-7", cardNumber = card, lines = new[] { 2 } })
            .Expect(HttpStatusCode.Created);
        Assert.Equal("rf-1", partial.GetProperty("refundId").GetString());
        Assert.Equal(10, partial.GetProperty("pointsReversed").GetInt64());
        Assert.Equal(25, partial.GetProperty("balance").GetProperty("total").GetInt64());

        var refund = new { refundId = "rf-2", receiptId = "r-7", cardNumber = card };
        var rest = await station.PostAsJsonAsync("/api/pos/v1/refunds", refund);
        Assert.Equal(HttpStatusCode.Created, rest.StatusCode);
        var restBody = await rest.Content.ReadAsStringAsync();
        Assert.Equal(20, JsonDocument.Parse(restBody).RootElement.GetProperty("pointsReversed").GetInt64());
        var replay = await station.PostAsJsonAsync("/api/pos/v1/refunds", refund);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(restBody, await replay.Content.ReadAsStringAsync());
        await station.PostAsJsonAsync("/api/pos/v1/refunds", refund with { receiptId = "r-8" })
            .ExpectProblem(HttpStatusCode.Conflict);

        await station.PostAsJsonAsync("/api/pos/v1/refunds",
            new { refundId = "rf-3", receiptId = "no-such-receipt", cardNumber = card })
            .ExpectProblem(HttpStatusCode.NotFound);
        var balance = await station.GetFromJsonAsync<JsonElement>($"/api/pos/v1/cards/{card}/balance");
        Assert.Equal(5, balance.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Refund_by_another_station_of_a_receipt_is_404_and_changes_nothing()
    {
        var stationA = _app.Client(await _app.NewStationKey());
        var stationB = _app.Client(await _app.NewStationKey());
        var card = await _app.IssueCard(await _app.NewStationKey());
        await stationA.Purchase(Http.FuelPurchase("r-a", card, litres: 30m, amount: 1800m));

        await stationB.PostAsJsonAsync("/api/pos/v1/refunds",
            new { refundId = "rf-b", receiptId = "r-a", cardNumber = card })
            .ExpectProblem(HttpStatusCode.NotFound);

        var balance = await stationA.GetFromJsonAsync<JsonElement>($"/api/pos/v1/cards/{card}/balance");
        Assert.Equal(30, balance.GetProperty("total").GetInt64());
        // The receipt is still whole: its own station can take all of it back.
        var own = await stationA.PostAsJsonAsync("/api/pos/v1/refunds",
            new { refundId = "rf-a", receiptId = "r-a", cardNumber = card })
            .Expect(HttpStatusCode.Created);
        Assert.Equal(30, own.GetProperty("pointsReversed").GetInt64());
    }

    [Fact]
    public async Task Quote_answers_what_the_purchase_earns_records_nothing_and_the_receipt_is_then_recorded_as_new()
    {
        var stationKey = await _app.NewStationKey();
        var station = _app.Client(stationKey);
        var card = await _app.IssueCard(stationKey);
        var purchase = new
        {
            receiptId = "q-1", cardNumber = card, paymentMethod = "bpClubCard",
            lines = new object[]
            {
                new { type = "fuel", productCode = "A95", litres = 30.5m, amount = 1800m },
                new { type = "shop", category = "coffee", amount = 130m },
            },
        };
        var database = _app.Cluster.Database;
        var rows = (await database.LedgerCount(card), await database.OperationCount(card));

        var quote = await station.PostAsJsonAsync("/api/pos/v1/purchases/quote", purchase).Expect(HttpStatusCode.OK);
        var again = await station.PostAsJsonAsync("/api/pos/v1/purchases/quote", purchase).Expect(HttpStatusCode.OK);

        // Green: 30.5 for the fuel, 30.5 for paying with the card, 130 / 20 for the coffee: 67.5, rounded down.
        Assert.Equal(67, quote.GetProperty("pointsEarned").GetInt64());
        Assert.Equal(67, quote.GetProperty("breakdown").EnumerateArray().Sum(b => b.GetProperty("points").GetInt64()));
        Assert.Equal(["fuel", "bpClubCard", "shop"],
            quote.GetProperty("breakdown").EnumerateArray().Select(b => b.GetProperty("reason").GetString()));
        Assert.Equal(quote.ToString(), again.ToString());
        Assert.Equal(rows, (await database.LedgerCount(card), await database.OperationCount(card)));
        var balance = await station.GetFromJsonAsync<JsonElement>($"/api/pos/v1/cards/{card}/balance");
        Assert.Equal(0, balance.GetProperty("total").GetInt64());

        var recorded = await station.PostAsJsonAsync("/api/pos/v1/purchases", purchase).Expect(HttpStatusCode.Created);
        Assert.Equal(quote.GetProperty("pointsEarned").GetInt64(), recorded.GetProperty("pointsEarned").GetInt64());
        Assert.Equal(quote.GetProperty("breakdown").ToString(), recorded.GetProperty("breakdown").ToString());
        Assert.Equal(67, recorded.GetProperty("balance").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Quote_with_bad_input_is_400_of_an_unknown_card_404_and_neither_writes_anything()
    {
        var stationKey = await _app.NewStationKey();
        var station = _app.Client(stationKey);
        var card = await _app.IssueCard(stationKey);
        var database = _app.Cluster.Database;
        var rows = (await database.LedgerCount(card), await database.OperationCount(card));

        const string quotes = "/api/pos/v1/purchases/quote";
        var problem = await station.PostAsJsonAsync(quotes, Http.FuelPurchase("q-bad", card, litres: -5m))
            .ExpectProblem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("lines[0].litres", out _), problem.ToString());
        problem = await station.PostAsJsonAsync(quotes,
                new { receiptId = "q-bad", cardNumber = "4000001234567890", paymentMethod = "cash",
                    lines = Array.Empty<object>() })
            .ExpectProblem(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("cardNumber", out _), problem.ToString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("lines", out _), problem.ToString());
        await station.Send("POST", quotes, "{\"receiptId\":").ExpectProblem(HttpStatusCode.BadRequest);
        var unknown = Cards.NewNumber();
        await station.PostAsJsonAsync(quotes, Http.FuelPurchase("q-x", unknown))
            .ExpectProblem(HttpStatusCode.NotFound);

        Assert.Equal(rows, (await database.LedgerCount(card), await database.OperationCount(card)));
        Assert.Equal((0L, 0L), (await database.LedgerCount(unknown), await database.OperationCount(unknown)));
        await station.GetAsync($"/api/pos/v1/cards/{unknown}/balance").ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Purchase_on_an_unknown_card_is_404_and_creates_nothing()
    {
        var station = _app.Client(await _app.NewStationKey());
        var card = Cards.NewNumber();
        await station.PostAsJsonAsync("/api/pos/v1/purchases", Http.FuelPurchase("r-x", card))
            .ExpectProblem(HttpStatusCode.NotFound);
        await station.GetAsync($"/api/pos/v1/cards/{card}/balance").ExpectProblem(HttpStatusCode.NotFound);
        await _app.Operator().GetAsync($"/api/admin/v1/cards/{card}").ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task One_receipt_earns_on_one_card_only_the_same_receipt_on_another_card_is_409()
    {
        var stationKey = await _app.NewStationKey();
        var station = _app.Client(stationKey);
        var (first, second) = (await _app.IssueCard(stationKey), await _app.IssueCard(stationKey));
        var created = await station.PostAsJsonAsync("/api/pos/v1/purchases", Http.FuelPurchase("one-receipt", first))
            .Expect(HttpStatusCode.Created);

        // A till retrying after a timeout, with another card this time (or a cashier's trick): refused.
        await station.PostAsJsonAsync("/api/pos/v1/purchases", Http.FuelPurchase("one-receipt", second))
            .ExpectProblem(HttpStatusCode.Conflict);
        var again = await station.PostAsJsonAsync("/api/pos/v1/purchases", Http.FuelPurchase("one-receipt", first))
            .Expect(HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("pointsEarned").GetInt64(), again.GetProperty("pointsEarned").GetInt64());
        var balance = await station.GetFromJsonAsync<JsonElement>($"/api/pos/v1/cards/{second}/balance");
        Assert.Equal(0, balance.GetProperty("total").GetInt64());
        // Another station's receipt of that number is another receipt.
        await _app.Client(await _app.NewStationKey())
            .PostAsJsonAsync("/api/pos/v1/purchases", Http.FuelPurchase("one-receipt", second))
            .Expect(HttpStatusCode.Created);
    }
}
