namespace BpClub.Api.Tests;

[Collection(ServiceCollection.Name)]
public sealed class PartnersApiTests(AppFixture fixture)
{
    private readonly BpClubApp _app = fixture.App;

    [Fact]
    public async Task Partner_accrual_earns_at_the_partners_rate_and_replays_its_transaction_id()
    {
        var card = await _app.IssueCard(await _app.NewStationKey());
        var partner = _app.Client(await _app.NewPartnerKey(pointsPerUah: 0.5m));
        var accrual = new { partnerTransactionId = "tx-1", cardNumber = card, amount = 300m };

        var first = await partner.PostAsJsonAsync("/api/partners/v1/accruals", accrual);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var firstBody = await first.Content.ReadAsStringAsync();
        var result = JsonDocument.Parse(firstBody).RootElement;
        Assert.Equal("tx-1", result.GetProperty("partnerTransactionId").GetString());
        Assert.Equal(150, result.GetProperty("pointsEarned").GetInt64());
        Assert.Equal(150, result.GetProperty("balance").GetProperty("total").GetInt64());

        var replay = await partner.PostAsJsonAsync("/api/partners/v1/accruals",
            new { partnerTransactionId = "tx-1", cardNumber = card, amount = 300.00m });
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(firstBody, await replay.Content.ReadAsStringAsync());
        await partner.PostAsJsonAsync("/api/partners/v1/accruals", accrual with { amount = 301m })
            .ExpectProblem(HttpStatusCode.Conflict);

        var station = _app.Client(await _app.NewStationKey());
        var balance = await station.GetFromJsonAsync<JsonElement>($"/api/pos/v1/cards/{card}/balance");
        Assert.Equal(150, balance.GetProperty("total").GetInt64());
        Assert.Equal(150, balance.GetProperty("onHold").GetInt64());
    }

    [Fact]
    public async Task Two_partners_may_use_the_same_transaction_id()
    {
        var card = await _app.IssueCard(await _app.NewStationKey());
        var accrual = new { partnerTransactionId = "same", cardNumber = card, amount = 100m };
        await _app.Client(await _app.NewPartnerKey(1m)).PostAsJsonAsync("/api/partners/v1/accruals", accrual)
            .Expect(HttpStatusCode.Created);
        var second = await _app.Client(await _app.NewPartnerKey(1m))
            .PostAsJsonAsync("/api/partners/v1/accruals", accrual).Expect(HttpStatusCode.Created);
        Assert.Equal(200, second.GetProperty("balance").GetProperty("total").GetInt64());
    }
}
