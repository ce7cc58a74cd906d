using Microsoft.Extensions.Time.Testing;

namespace BpClub.Api.Tests;

/// <summary>
/// A service of its own whose card grains read a fake programme clock, so tests can let a hold run
/// out. The clock starts at the real time and only moves forward; tests date what they send by it.
/// </summary>
public sealed class HoldServiceFixture : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    public BpClubApp App { get; private set; } = null!;
    public DateTimeOffset Now => Clock.GetUtcNow();

    public async Task InitializeAsync() => App = await BpClubApp.Start(
        siloSettings: new Dictionary<string, string?> { ["Cabinet:CodeResendInterval"] = "00:00:00" },
        programmeClock: Clock);

    /// <summary>Past the hold of every purchase recorded so far.</summary>
    public void MovePastHold() => Clock.Advance(App.Cluster.Rules.HoldPeriod);

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>Holds through HTTP: when points come off hold, and what can be done with them then.</summary>
public sealed class HoldApiTests(HoldServiceFixture fixture) : IClassFixture<HoldServiceFixture>
{
    private const string Redemptions = "/api/pos/v1/redemptions";
    private const string Spending = "/api/cabinet/v1/spending";
    private static readonly TimeSpan Hold = TimeSpan.FromDays(14);
    private readonly BpClubApp _app = fixture.App;

    [Fact]
    public async Task Purchase_dated_20_days_back_is_on_hold_for_14_days_from_when_it_was_recorded()
    {
        var station = _app.Client(await _app.NewStationKey());
        var card = await _app.IssueCard(await _app.NewStationKey());
        var recordedAt = fixture.Now;

        var result = await station.Purchase(Http.FuelPurchase("late-1", card, litres: 30m, amount: 1800m,
            occurredAt: recordedAt.AddDays(-20)));

        var balance = result.GetProperty("balance");
        Assert.Equal((0L, 30L), (Points(balance, "available"), Points(balance, "onHold")));
        Assert.Equal(recordedAt + Hold, balance.GetProperty("nextRelease").GetProperty("at").GetDateTimeOffset());
        var redemption = new { redemptionId = "late-r", cardNumber = card, points = 1 };
        await station.PostAsJsonAsync(Redemptions, redemption).ExpectProblem(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Partner_accrual_dated_20_days_back_is_on_hold_for_14_days_from_when_it_was_recorded()
    {
        var partner = _app.Client(await _app.NewPartnerKey(pointsPerUah: 0.5m));
        var card = await _app.IssueCard(await _app.NewStationKey());
        var recordedAt = fixture.Now;

        var result = await partner.PostAsJsonAsync("/api/partners/v1/accruals",
                new { partnerTransactionId = "late-p", cardNumber = card, amount = 100m,
                    occurredAt = recordedAt.AddDays(-20) })
            .Expect(HttpStatusCode.Created);

        var balance = result.GetProperty("balance");
        Assert.Equal((0L, 50L), (Points(balance, "available"), Points(balance, "onHold")));
        Assert.Equal(recordedAt + Hold, balance.GetProperty("nextRelease").GetProperty("at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Balance_at_the_till_shows_available_total_and_on_hold()
    {
        var stationKey = await _app.NewStationKey();
        var station = _app.Client(stationKey);
        var card = await _app.IssueCard(stationKey);
        await station.Purchase(Http.FuelPurchase("old", card, litres: 10m, amount: 600m));
        fixture.MovePastHold();
        await station.Purchase(Http.FuelPurchase("new", card, litres: 20m, amount: 1200m));

        var balance = await station.GetFromJsonAsync<JsonElement>($"/api/pos/v1/cards/{card}/balance");
        Assert.Equal(10, balance.GetProperty("available").GetInt64());
        Assert.Equal(30, balance.GetProperty("total").GetInt64());
        Assert.Equal(20, balance.GetProperty("onHold").GetInt64());
        Assert.Equal(20, balance.GetProperty("nextRelease").GetProperty("points").GetInt64());
        Assert.Equal(fixture.Now, balance.GetProperty("asOf").GetDateTimeOffset());

        await station.GetAsync($"/api/pos/v1/cards/{Cards.NewNumber()}/balance").ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Redemption_is_422_until_the_member_enables_spending_then_201_and_idempotent()
    {
        var stationKey = await _app.NewStationKey();
        var station = _app.Client(stationKey);
        var member = await _app.NewMember(stationKey);
        await station.Purchase(Http.FuelPurchase("old-1", member.Card, litres: 50m, amount: 3000m));
        fixture.MovePastHold();
        var redemption = new { redemptionId = "rd-1", cardNumber = member.Card, points = 20 };

        await station.PostAsJsonAsync(Redemptions, redemption).ExpectProblem(HttpStatusCode.UnprocessableEntity);

        var switched = await member.Client()
            .PutAsJsonAsync(Spending, new { enabled = true, password = member.Password }).Expect(HttpStatusCode.OK);
        Assert.True(switched.GetProperty("enabled").GetBoolean());

        var first = await station.PostAsJsonAsync("/api/pos/v1/redemptions", redemption);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var firstBody = await first.Content.ReadAsStringAsync();
        var result = JsonDocument.Parse(firstBody).RootElement;
        Assert.Equal("rd-1", result.GetProperty("redemptionId").GetString());
        Assert.Equal(20, result.GetProperty("pointsSpent").GetInt64());
        Assert.Equal(30, result.GetProperty("balance").GetProperty("available").GetInt64());

        var replay = await station.PostAsJsonAsync("/api/pos/v1/redemptions", redemption);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(firstBody, await replay.Content.ReadAsStringAsync());
        await station.PostAsJsonAsync(Redemptions, redemption with { points = 21 })
            .ExpectProblem(HttpStatusCode.Conflict);

        await station.PostAsJsonAsync(Redemptions, new { redemptionId = "rd-2", cardNumber = member.Card, points = 31 })
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);

        await member.Client().PutAsJsonAsync(Spending, new { enabled = false }).Expect(HttpStatusCode.OK);
        await station.PostAsJsonAsync(Redemptions, new { redemptionId = "rd-3", cardNumber = member.Card, points = 1 })
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        var balance = await station.GetFromJsonAsync<JsonElement>($"/api/pos/v1/cards/{member.Card}/balance");
        Assert.Equal(30, balance.GetProperty("available").GetInt64());
    }

    [Fact]
    public async Task A_payment_with_points_is_reversed_once_by_its_own_station_and_the_points_come_back()
    {
        const string Reversals = "/api/pos/v1/redemption-reversals";
        var stationKey = await _app.NewStationKey();
        var station = _app.Client(stationKey);
        var member = await _app.NewMember(stationKey);
        await station.Purchase(Http.FuelPurchase("rv-old", member.Card, litres: 50m, amount: 3000m));
        fixture.MovePastHold();
        await member.Client().PutAsJsonAsync(Spending, new { enabled = true, password = member.Password })
            .Expect(HttpStatusCode.OK);
        await station.PostAsJsonAsync(Redemptions,
            new { redemptionId = "rv-pay", cardNumber = member.Card, points = 35 })
            .Expect(HttpStatusCode.Created);
        var reversal = new { reversalId = "rv-1", redemptionId = "rv-pay", cardNumber = member.Card };

        // Another station cannot undo this station's payment: 404 like an unknown one, and nothing changes.
        await _app.Client(await _app.NewStationKey()).PostAsJsonAsync(Reversals, reversal)
            .ExpectProblem(HttpStatusCode.NotFound);
        var first = await station.PostAsJsonAsync(Reversals, reversal);
        var body = await first.Expect(HttpStatusCode.Created);
        Assert.Equal(("rv-1", "rv-pay", 35L, 50L),
            (body.GetProperty("reversalId").GetString(), body.GetProperty("redemptionId").GetString(),
            body.GetProperty("pointsReturned").GetInt64(), Points(body.GetProperty("balance"), "available")));
        var replay = await station.PostAsJsonAsync(Reversals, reversal).Expect(HttpStatusCode.OK);
        Assert.Equal(35, replay.GetProperty("pointsReturned").GetInt64());
        await station.PostAsJsonAsync(Reversals, reversal with { redemptionId = "rd-other" })
            .ExpectProblem(HttpStatusCode.Conflict);
        // Once: under a new id it is refused.
        await station.PostAsJsonAsync(Reversals, reversal with { reversalId = "rv-2" })
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        await station.PostAsJsonAsync(Reversals,
            new { reversalId = "rv-3", redemptionId = "nothing", cardNumber = member.Card })
            .ExpectProblem(HttpStatusCode.NotFound);

        var balance = await station.GetFromJsonAsync<JsonElement>($"/api/pos/v1/cards/{member.Card}/balance");
        Assert.Equal(50, balance.GetProperty("available").GetInt64());
        var history = await member.Client().GetFromJsonAsync<JsonElement>("/api/cabinet/v1/history?limit=1");
        var latest = history.GetProperty("items")[0];
        Assert.Equal(("reversal", 35L),
            (latest.GetProperty("kind").GetString(), latest.GetProperty("points").GetInt64()));
    }

    private static long Points(JsonElement balance, string field) => balance.GetProperty(field).GetInt64();
}
