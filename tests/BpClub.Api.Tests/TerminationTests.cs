namespace BpClub.Api.Tests;

/// <summary>Termination forfeits the points, closes access and leaves no personal data anywhere in the
/// database.</summary>
[Collection(ServiceCollection.Name)]
public sealed class TerminationTests(AppFixture fixture)
{
    private readonly BpClubApp _app = fixture.App;

    [Fact]
    public async Task Termination_leaves_no_personal_data_in_a_full_database_dump_and_closes_the_card()
    {
        var stationKey = await _app.NewStationKey();
        var station = _app.Client(stationKey);
        var unique = Guid.NewGuid().ToString("N")[..6];
        var (first, last) = ($"Zinoviia{unique}", $"Yaremchuk{unique}");
        var phone = BpClubApp.NewPhone();
        var card = Cards.NewNumber();
        await station.PutAsJsonAsync($"/api/pos/v1/cards/{card}",
            new { firstName = first, lastName = last, phone, birthDate = "1985-07-14", consent = true })
            .Expect(HttpStatusCode.Created);
        var token = await _app.Register(card, phone, "Sunflower-2026");
        await station.Purchase(Http.FuelPurchase("term-1", card, litres: 30m, amount: 1800m));
        await station.Purchase(Http.FuelPurchase("term-2", card, litres: 12m, amount: 700m));
        await _app.Client(bearer: token)
            .PutAsJsonAsync("/api/cabinet/v1/spending", new { enabled = true, password = "Sunflower-2026" })
                .Expect(HttpStatusCode.OK);

        // The dump can find them while the member is in: the search works.
        var before = await Dump();
        Assert.Contains(first, before);
        Assert.Contains(phone, before);

        var termination = new { applicationReceivedAt = DateTimeOffset.UtcNow.AddDays(-1), reference = "APP-2026-117" };
        var terminated = await _app.Operator().PostAsJsonAsync($"/api/admin/v1/cards/{card}/termination", termination)
            .Expect(HttpStatusCode.OK);
        Assert.Equal(42, terminated.GetProperty("forfeitedPoints").GetInt64());
        await _app.Cluster.DeactivateAll();

        var dump = await Dump();
        Assert.DoesNotContain(first, dump);
        Assert.DoesNotContain(last, dump);
        Assert.DoesNotContain(phone, dump);
        Assert.DoesNotContain(phone[1..], dump);
        Assert.DoesNotContain(phone[4..], dump);
        Assert.DoesNotContain("1985-07-14", dump);

        // Access is closed and the card takes nothing more.
        await _app.Client(bearer: token).GetAsync("/api/cabinet/v1/me").ExpectProblem(HttpStatusCode.Unauthorized);
        await _app.Client().PostAsJsonAsync("/api/cabinet/v1/sessions", new { phone, password = "Sunflower-2026" })
            .ExpectProblem(HttpStatusCode.Unauthorized);
        await station.PostAsJsonAsync("/api/pos/v1/purchases", Http.FuelPurchase("term-3", card))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        await station.PostAsJsonAsync("/api/pos/v1/purchases/quote", Http.FuelPurchase("term-3", card))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        await station.PostAsJsonAsync("/api/pos/v1/redemptions",
            new { redemptionId = "term-r", cardNumber = card, points = 1 })
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        var partner = _app.Client(await _app.NewPartnerKey());
        await partner.PostAsJsonAsync("/api/partners/v1/accruals",
            new { partnerTransactionId = "term-p", cardNumber = card, amount = 100m })
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        await _app.Client().PostAsJsonAsync("/api/cabinet/v1/registrations",
            new { cardNumber = card, phone = BpClubApp.NewPhone(), password = "Sunflower-2026" })
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        await station.PutAsJsonAsync($"/api/pos/v1/cards/{card}",
            new { firstName = first, lastName = last, consent = true })
            .ExpectProblem(HttpStatusCode.Conflict);
        var summary = await _app.Operator().GetFromJsonAsync<JsonElement>($"/api/admin/v1/cards/{card}");
        Assert.Equal("terminated", summary.GetProperty("status").GetString());
        Assert.Equal(0, summary.GetProperty("balance").GetProperty("total").GetInt64());
        Assert.NotEqual(JsonValueKind.Null, summary.GetProperty("terminatedAt").ValueKind);

        // The same application again is a replay, not a second forfeit.
        var again = await _app.Operator().PostAsJsonAsync($"/api/admin/v1/cards/{card}/termination", termination)
            .Expect(HttpStatusCode.OK);
        Assert.Equal(42, again.GetProperty("forfeitedPoints").GetInt64());
        Assert.DoesNotContain(phone, await Dump());
    }

    private Task<string> Dump() => DatabaseDump.Of(_app.Cluster.ConnectionString);
}
