namespace BpClub.Api.Tests;

[Collection(ServiceCollection.Name)]
public sealed class PartnerRefundsApiTests(AppFixture fixture)
{
    private const string Accruals = "/api/partners/v1/accruals", Refunds = "/api/partners/v1/refunds";
    private readonly BpClubApp _app = fixture.App;

    private async Task<(string Card, HttpClient Partner)> CardWithAccrual(string transaction = "tx-1",
        decimal amount = 1000m)
    {
        var card = await _app.IssueCard(await _app.NewStationKey());
        var partner = _app.Client(await _app.NewPartnerKey(pointsPerUah: 0.1m));
        await partner.PostAsJsonAsync(Accruals, new { partnerTransactionId = transaction, cardNumber = card, amount })
            .Expect(HttpStatusCode.Created);
        return (card, partner);
    }

    private async Task<long> Total(string card) => (await _app.Client(await _app.NewStationKey())
        .GetFromJsonAsync<JsonElement>($"/api/pos/v1/cards/{card}/balance")).GetProperty("total").GetInt64();

    [Fact]
    public async Task A_partner_refunds_its_transaction_without_naming_the_card_and_a_retry_answers_the_first()
    {
        var (card, partner) = await CardWithAccrual();
        var refund = new { partnerRefundId = "pr-1", partnerTransactionId = "tx-1", amount = 250m };

        var first = await partner.PostAsJsonAsync(Refunds, refund);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var firstBody = await first.Content.ReadAsStringAsync();
        var result = JsonDocument.Parse(firstBody).RootElement;
        Assert.Equal("pr-1", result.GetProperty("partnerRefundId").GetString());
        Assert.Equal("tx-1", result.GetProperty("partnerTransactionId").GetString());
        Assert.Equal(250m, result.GetProperty("amount").GetDecimal());
        Assert.Equal(25, result.GetProperty("pointsReversed").GetInt64());
        Assert.Equal(75, result.GetProperty("balance").GetProperty("total").GetInt64());

        var retry = await partner.PostAsJsonAsync(Refunds, refund with { amount = 250.00m });
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(firstBody, await retry.Content.ReadAsStringAsync());
        await partner.PostAsJsonAsync(Refunds, refund with { amount = 300m }).ExpectProblem(HttpStatusCode.Conflict);
        Assert.Equal(75, await Total(card));
    }

    [Fact]
    public async Task Without_an_amount_it_refunds_what_is_left_and_then_nothing_more()
    {
        var (card, partner) = await CardWithAccrual();
        await partner.PostAsJsonAsync(Refunds, new { partnerRefundId = "pr-1", partnerTransactionId = "tx-1",
            amount = 400m }).Expect(HttpStatusCode.Created);

        var rest = await partner.PostAsJsonAsync(Refunds,
            new { partnerRefundId = "pr-2", partnerTransactionId = "tx-1" }).Expect(HttpStatusCode.Created);

        Assert.Equal((600m, 60L), (rest.GetProperty("amount").GetDecimal(), rest.GetProperty("pointsReversed")
            .GetInt64()));
        await partner.PostAsJsonAsync(Refunds, new { partnerRefundId = "pr-3", partnerTransactionId = "tx-1" })
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        await partner.PostAsJsonAsync(Refunds, new { partnerRefundId = "pr-4", partnerTransactionId = "tx-1",
            amount = 0.01m }).ExpectProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(0, await Total(card));
    }

    [Fact]
    public async Task A_refund_larger_than_the_transaction_is_refused_and_changes_nothing()
    {
        var (card, partner) = await CardWithAccrual();

        var problem = await partner.PostAsJsonAsync(Refunds, new { partnerRefundId = "pr-1",
            partnerTransactionId = "tx-1", amount = 1000.01m }).ExpectProblem(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("1000.00 UAH", problem.GetProperty("detail").GetString());
        Assert.Equal(100, await Total(card));
    }

    [Fact]
    public async Task Partner_A_cannot_refund_partner_Bs_transaction()
    {
        var (card, partnerB) = await CardWithAccrual("shared-id");
        var partnerA = _app.Client(await _app.NewPartnerKey(pointsPerUah: 0.1m));

        var problem = await partnerA.PostAsJsonAsync(Refunds,
            new { partnerRefundId = "pr-1", partnerTransactionId = "shared-id" })
            .ExpectProblem(HttpStatusCode.NotFound);

        Assert.DoesNotContain(card, problem.ToString());
        Assert.Equal(100, await Total(card));
        // Even once A has a transaction of that id on another card, it refunds only its own.
        var otherCard = await _app.IssueCard(await _app.NewStationKey());
        await partnerA.PostAsJsonAsync(Accruals, new { partnerTransactionId = "shared-id", cardNumber = otherCard,
            amount = 500m }).Expect(HttpStatusCode.Created);
        await partnerA.PostAsJsonAsync(Refunds, new { partnerRefundId = "pr-1", partnerTransactionId = "shared-id" })
            .Expect(HttpStatusCode.Created);
        Assert.Equal((100L, 0L), (await Total(card), await Total(otherCard)));
        // B's own refund is untouched by A's id of the same name.
        await partnerB.PostAsJsonAsync(Refunds, new { partnerRefundId = "pr-1", partnerTransactionId = "shared-id" })
            .Expect(HttpStatusCode.Created);
        Assert.Equal(0, await Total(card));
    }

    [Fact]
    public async Task An_unknown_transaction_is_a_404_and_a_refund_id_reused_for_another_transaction_a_409()
    {
        var (card, partner) = await CardWithAccrual();
        var otherCard = await _app.IssueCard(await _app.NewStationKey());
        await partner.PostAsJsonAsync(Accruals, new { partnerTransactionId = "tx-2", cardNumber = otherCard,
            amount = 500m }).Expect(HttpStatusCode.Created);

        await partner.PostAsJsonAsync(Refunds, new { partnerRefundId = "pr-1", partnerTransactionId = "tx-404" })
            .ExpectProblem(HttpStatusCode.NotFound);
        await partner.PostAsJsonAsync(Refunds, new { partnerRefundId = "pr-1", partnerTransactionId = "tx-1" })
            .Expect(HttpStatusCode.Created);
        await partner.PostAsJsonAsync(Refunds, new { partnerRefundId = "pr-1", partnerTransactionId = "tx-2" })
            .ExpectProblem(HttpStatusCode.Conflict);

        Assert.Equal((0L, 50L), (await Total(card), await Total(otherCard)));
    }

    [Fact]
    public async Task The_member_sees_the_refund_in_the_history()
    {
        var station = await _app.NewStationKey();
        var member = await _app.NewMember(station, "Olena", "Partnerska");
        var partner = _app.Client(await _app.NewPartnerKey(pointsPerUah: 0.1m));
        await partner.PostAsJsonAsync(Accruals, new { partnerTransactionId = "tx-1", cardNumber = member.Card,
            amount = 1000m }).Expect(HttpStatusCode.Created);
        await partner.PostAsJsonAsync(Refunds, new { partnerRefundId = "pr-1", partnerTransactionId = "tx-1",
            amount = 300m }).Expect(HttpStatusCode.Created);

        var history = await member.Client().GetFromJsonAsync<JsonElement>("/api/cabinet/v1/history");
        var item = history.GetProperty("items")[0];

        Assert.Equal(("refund", -30L), (item.GetProperty("kind").GetString(), item.GetProperty("points").GetInt64()));
        Assert.Equal(-300m, item.GetProperty("amount").GetDecimal());
        Assert.Contains("transaction tx-1", item.GetProperty("description").GetString());
        Assert.Equal("Coffee partner", item.GetProperty("stationName").GetString());
    }
}
