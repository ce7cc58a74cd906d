namespace BpClub.Api.Tests;

[Collection(ServiceCollection.Name)]
public sealed class MemberJourneyTests(AppFixture fixture)
{
    private readonly BpClubApp _app = fixture.App;

    [Fact]
    public async Task Register_with_sms_code_sign_in_and_see_balance_history_and_level()
    {
        var station = await _app.NewStationKey();
        var card = await _app.IssueCard(station);
        var phone = BpClubApp.NewPhone();

        var started = await _app.Client()
            .PostAsJsonAsync("/api/cabinet/v1/registrations",
                new { cardNumber = card, phone, password = "Sunflower-2026", cardCode = _app.CardCode(card) });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var registration = await started.Content.ReadFromJsonAsync<JsonElement>();
        var code = await _app.LatestCode(phone);
        var confirmed = await _app.Client().PostAsJsonAsync(
            $"/api/cabinet/v1/registrations/{registration.GetProperty("registrationId").GetString()}/confirm",
                new { code });
        Assert.Equal(HttpStatusCode.Created, confirmed.StatusCode);

        var purchase = await _app.Client(station).PostAsJsonAsync("/api/pos/v1/purchases", new
        {
            receiptId = "r-1", cardNumber = card, paymentMethod = "cash",
            lines = new object[] { new { type = "fuel", productCode = "A95", litres = 40.5m, amount = 2430m } },
        });
        Assert.Equal(HttpStatusCode.Created, purchase.StatusCode);

        var signedIn = await _app.Client()
            .PostAsJsonAsync("/api/cabinet/v1/sessions",
                new { phone = "067" + phone[6..], password = "Sunflower-2026" });
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var token = (await signedIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        var member = _app.Client(bearer: token);

        var balance = await member.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/balance");
        Assert.Equal(40, balance.GetProperty("total").GetInt64());
        Assert.Equal(0, balance.GetProperty("available").GetInt64());
        Assert.Equal(40, balance.GetProperty("onHold").GetInt64());
        var history = await member.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/history?limit=10");
        Assert.Contains(history.GetProperty("items").EnumerateArray(),
            i => i.GetProperty("kind").GetString() == "purchase" && i.GetProperty("points").GetInt64() == 40);
        var tier = await member.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/tier");
        Assert.Equal("Green", tier.GetProperty("name").GetString());
        Assert.Equal(59.5m, tier.GetProperty("litresToNextLevel").GetDecimal());
        var me = await member.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/me");
        Assert.Equal(phone, me.GetProperty("phone").GetString());
        Assert.Equal("Olena", me.GetProperty("firstName").GetString());
    }
}
