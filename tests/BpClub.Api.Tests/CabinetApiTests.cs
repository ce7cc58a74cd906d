namespace BpClub.Api.Tests;

/// <summary>Members: sessions, forgotten password, password change, spending, the card's views.</summary>
[Collection(ServiceCollection.Name)]
public sealed class CabinetApiTests(AppFixture fixture)
{
    private readonly BpClubApp _app = fixture.App;

    [Fact]
    public async Task Forgotten_password_journey_sets_a_new_password_with_the_sms_code_and_ends_every_session()
    {
        var member = await _app.NewMember(await _app.NewStationKey());
        var before = _app.CodesSentTo(member.Phone).Count;

        var started = await _app.Client()
            .PostAsJsonAsync("/api/cabinet/v1/password-resets", new { phone = member.Phone })
            .Expect(HttpStatusCode.Accepted);
        Assert.True(started.GetProperty("codeExpiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        var code = await _app.LatestCode(member.Phone, before);

        await _app.Client().PostAsJsonAsync(
            $"/api/cabinet/v1/password-resets/{started.GetProperty("resetId").GetString()}/confirm",
            new { code, newPassword = "Chestnut-Blossom-7" }).Expect(HttpStatusCode.NoContent);

        await member.Client().GetAsync("/api/cabinet/v1/me").ExpectProblem(HttpStatusCode.Unauthorized);
        await _app.Client().PostAsJsonAsync("/api/cabinet/v1/sessions",
            new { phone = member.Phone, password = member.Password })
            .ExpectProblem(HttpStatusCode.Unauthorized);
        var token = await _app.SignIn(member.Phone, "Chestnut-Blossom-7");
        var me = await _app.Client(bearer: token).GetFromJsonAsync<JsonElement>("/api/cabinet/v1/me");
        Assert.Equal(member.Card, me.GetProperty("cardNumber").GetString());

        // The code is used up.
        await _app.Client().PostAsJsonAsync(
            $"/api/cabinet/v1/password-resets/{started.GetProperty("resetId").GetString()}/confirm",
            new { code, newPassword = "Another-Password-8" }).ExpectProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Password_reset_for_an_unregistered_phone_answers_the_same_and_sends_nothing()
    {
        var phone = BpClubApp.NewPhone();
        var started = await _app.Client().PostAsJsonAsync("/api/cabinet/v1/password-resets", new { phone })
            .Expect(HttpStatusCode.Accepted);
        Assert.True(started.TryGetProperty("resetId", out _));
        Assert.True(started.TryGetProperty("codeExpiresAt", out _));
        Assert.Empty(_app.CodesSentTo(phone));
        await _app.Client().PostAsJsonAsync(
            $"/api/cabinet/v1/password-resets/{started.GetProperty("resetId").GetString()}/confirm",
            new { code = "123456", newPassword = "Chestnut-Blossom-7" }).ExpectProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Changing_the_password_ends_the_other_sessions_but_keeps_this_one()
    {
        var member = await _app.NewMember(await _app.NewStationKey());
        var other = await _app.SignIn(member.Phone, member.Password);
        await _app.Client(bearer: other).GetAsync("/api/cabinet/v1/me").Expect(HttpStatusCode.OK);

        await member.Client()
            .PutAsJsonAsync("/api/cabinet/v1/password",
                new { currentPassword = "not-the-password", newPassword = "Chestnut-Blossom-7" })
            .ExpectProblem(HttpStatusCode.BadRequest);
        await member.Client()
            .PutAsJsonAsync("/api/cabinet/v1/password",
                new { currentPassword = member.Password, newPassword = "Chestnut-Blossom-7" })
            .Expect(HttpStatusCode.NoContent);

        await _app.Client(bearer: other).GetAsync("/api/cabinet/v1/me").ExpectProblem(HttpStatusCode.Unauthorized);
        await member.Client().GetAsync("/api/cabinet/v1/me").Expect(HttpStatusCode.OK);
        await _app.Client().PostAsJsonAsync("/api/cabinet/v1/sessions",
            new { phone = member.Phone, password = member.Password })
            .ExpectProblem(HttpStatusCode.Unauthorized);
        await _app.SignIn(member.Phone, "Chestnut-Blossom-7");
    }

    [Fact]
    public async Task Signing_out_ends_this_session_only()
    {
        var member = await _app.NewMember(await _app.NewStationKey());
        var other = await _app.SignIn(member.Phone, member.Password);

        var signedOut = await member.Client().DeleteAsync("/api/cabinet/v1/sessions/current");
        Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);

        await member.Client().GetAsync("/api/cabinet/v1/balance").ExpectProblem(HttpStatusCode.Unauthorized);
        await _app.Client(bearer: other).GetAsync("/api/cabinet/v1/balance").Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Sign_in_sets_an_http_only_same_site_cookie_that_works_for_reads()
    {
        var member = await _app.NewMember(await _app.NewStationKey());
        var response = await _app.Client()
            .PostAsJsonAsync("/api/cabinet/v1/sessions", new { phone = member.Phone, password = member.Password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"),
            c => c.StartsWith("bpclub_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        var web = _app.Client();
        web.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
        var me = await web.GetAsync("/api/cabinet/v1/me").Expect(HttpStatusCode.OK);
        Assert.Equal(member.Card, me.GetProperty("cardNumber").GetString());
        // A change made with the cookie alone (as another site could make the browser do) is refused.
        await web.PutAsJsonAsync("/api/cabinet/v1/spending", new { enabled = true, password = member.Password })
            .ExpectProblem(HttpStatusCode.BadRequest);

        // With the anti-forgery token (and its cookie), as the web cabinet sends it, it is made.
        var antiforgery = await web.GetAsync("/api/cabinet/v1/antiforgery");
        var token = (await antiforgery.Expect(HttpStatusCode.OK)).GetProperty("token").GetString();
        var antiforgeryCookie = antiforgery.Headers.GetValues("Set-Cookie")
            .Single(c => c.StartsWith("bpclub_antiforgery=", StringComparison.Ordinal));
        var change = new HttpRequestMessage(HttpMethod.Put,
            "/api/cabinet/v1/spending") { Content =
                JsonContent.Create(new { enabled = true, password = member.Password }) };
        change.Headers.Add("Cookie", $"{cookie.Split(';')[0]}; {antiforgeryCookie.Split(';')[0]}");
        change.Headers.Add("X-CSRF-TOKEN", token);
        var changed = await _app.Client().SendAsync(change);
        Assert.True((await changed.Expect(HttpStatusCode.OK)).GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task The_member_sees_balance_history_pages_and_level_of_their_card()
    {
        var stationKey = await _app.NewStationKey();
        var station = _app.Client(stationKey);
        var member = await _app.NewMember(stationKey);
        await station.Purchase(Http.FuelPurchase("h-1", member.Card, litres: 15m, amount: 900m));
        await station.Purchase(Http.FuelPurchase("h-2", member.Card, litres: 90m, amount: 5400m));
        await station.Purchase(Http.FuelPurchase("h-3", member.Card, litres: 20m, amount: 1200m));
        var client = member.Client();

        var balance = await client.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/balance");
        Assert.Equal(balance.GetProperty("available").GetInt64() + balance.GetProperty("onHold").GetInt64(),
            balance.GetProperty("total").GetInt64());
        // 15 L at Green, 90 L at Green (the card reaches Gold with them), 20 L at Gold; all on hold.
        Assert.Equal(0, balance.GetProperty("available").GetInt64());
        Assert.Equal(145, balance.GetProperty("onHold").GetInt64());

        var page1 = await client.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/history?limit=2");
        var items = page1.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.True(items[0].GetProperty("at").GetDateTimeOffset() >= items[1].GetProperty("at").GetDateTimeOffset());
        var cursor = page1.GetProperty("nextCursor").GetString();
        Assert.NotNull(cursor);
        var all = items.ToList();
        for (var pages = 0; cursor is not null && pages < 10; pages++)
        {
            var page = await client.GetFromJsonAsync<JsonElement>(
                $"/api/cabinet/v1/history?limit=2&cursor={Uri.EscapeDataString(cursor)}");
            all.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        Assert.Null(cursor);
        // Newest first: in the order the ledger recorded them.
        Assert.Equal([20m, 90m, 15m],
            all.Where(i => i.GetProperty("kind").GetString() == "purchase")
                .Select(i => i.GetProperty("litres").GetDecimal()));
        Assert.Equal(all.Count, all.Select(i => i.GetProperty("id").GetString()).Distinct().Count());
        var purchases = all.Where(i => i.GetProperty("kind").GetString() == "purchase").ToList();
        Assert.Equal(3, purchases.Count);
        Assert.All(purchases, p => Assert.False(string.IsNullOrEmpty(p.GetProperty("description").GetString())));
        Assert.Contains(purchases,
            p => p.GetProperty("litres").GetDecimal() == 90m && p.GetProperty("amount").GetDecimal() == 5400m);

        var tier = await client.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/tier");
        Assert.Equal(2, tier.GetProperty("level").GetInt32());
        Assert.Equal("Gold", tier.GetProperty("name").GetString());
        Assert.Equal(125m, tier.GetProperty("qualifyingLitres").GetDecimal());
        Assert.Equal("Platinum", tier.GetProperty("nextLevel").GetString());
        Assert.Equal(75m, tier.GetProperty("litresToNextLevel").GetDecimal());
        Assert.Equal(0m, tier.GetProperty("litresToKeepLevel").GetDecimal());
        Assert.Equal("Gold", tier.GetProperty("levelNextMonth").GetString());
        Assert.True(tier.GetProperty("periodEndsAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);

        var me = await client.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/me");
        Assert.Equal(member.Card, me.GetProperty("cardNumber").GetString());
        Assert.Equal(member.Phone, me.GetProperty("phone").GetString());
        Assert.Equal("Kovalenko", me.GetProperty("lastName").GetString());
        Assert.Equal("active", me.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Balance_tells_what_the_next_1_June_annuls_unless_spent_and_null_when_nothing()
    {
        var stationKey = await _app.NewStationKey();
        var member = await _app.NewMember(stationKey);
        var client = member.Client();

        var empty = await client.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/balance");
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("expiring").ValueKind);

        // Points on hold count when their hold ends by the expiry: 14 days from now, unless 1 June comes first.
        var june = NextFirstOfJuneInKyiv();
        var purchase = await _app.Client(stationKey).Purchase(Http.FuelPurchase("e-1", member.Card, litres: 15m));
        var balance = await client.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/balance");
        var expiring = balance.GetProperty("expiring");
        if (DateOnly.FromDateTime(DateTime.UtcNow.AddDays(15)) >= june)
        {
            Assert.Equal(JsonValueKind.Null, expiring.ValueKind);
            return;
        }
        Assert.Equal(15, purchase.GetProperty("balance").GetProperty("expiring").GetProperty("points").GetInt64());
        Assert.Equal(15, expiring.GetProperty("points").GetInt64());
        Assert.Equal(june.ToString("yyyy-MM-dd"), expiring.GetProperty("on").GetString());
        var atTill = await _app.Client(stationKey)
            .GetFromJsonAsync<JsonElement>($"/api/pos/v1/cards/{member.Card}/balance");
        Assert.Equal(expiring.ToString(), atTill.GetProperty("expiring").ToString());
    }

    private static DateOnly NextFirstOfJuneInKyiv()
    {
        var kyiv = TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, kyiv).DateTime);
        var june = new DateOnly(today.Year, 6, 1);
        return today >= june ? june.AddYears(1) : june;
    }

    [Fact]
    public async Task Registering_a_card_twice_is_409_and_an_unknown_card_404()
    {
        var stationKey = await _app.NewStationKey();
        var member = await _app.NewMember(stationKey);
        await _app.Client().PostAsJsonAsync("/api/cabinet/v1/registrations",
            new { cardNumber = member.Card, phone = BpClubApp.NewPhone(), password = "Sunflower-2026" })
                .ExpectProblem(HttpStatusCode.Conflict);
        await _app.Client().PostAsJsonAsync("/api/cabinet/v1/registrations",
            new { cardNumber = Cards.NewNumber(), phone = BpClubApp.NewPhone(), password = "Sunflower-2026" })
                .ExpectProblem(HttpStatusCode.NotFound);
        await _app.Client().PostAsJsonAsync($"/api/cabinet/v1/registrations/{Guid.NewGuid()}/confirm",
            new { code = "123456" })
            .ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Registering_a_registered_phone_answers_like_a_free_one_and_no_code_confirms_it()
    {
        var stationKey = await _app.NewStationKey();
        var member = await _app.NewMember(stationKey);
        var freeCard = await _app.IssueCard(stationKey);
        var free = await _app.Client().PostAsJsonAsync("/api/cabinet/v1/registrations",
            new { cardNumber = freeCard, phone = BpClubApp.NewPhone(), password = "Sunflower-2026",
                cardCode = _app.CardCode(freeCard) })
            .Expect(HttpStatusCode.Accepted);
        var before = _app.CodesSentTo(member.Phone).Count;
        var takenCard = await _app.IssueCard(stationKey);
        var taken = await _app.Client().PostAsJsonAsync("/api/cabinet/v1/registrations",
            new { cardNumber = takenCard, phone = member.Phone, password = "Sunflower-2026",
                cardCode = _app.CardCode(takenCard) })
            .Expect(HttpStatusCode.Accepted);
        Assert.Equal(free.EnumerateObject().Select(p => p.Name), taken.EnumerateObject().Select(p => p.Name));

        // The owner is told by a text without a code; the code of the free one does not confirm it either.
        var text = await _app.LatestCode(member.Phone, before);
        Assert.Equal("", text);
        await _app.Client().PostAsJsonAsync(
            $"/api/cabinet/v1/registrations/{taken.GetProperty("registrationId").GetString()}/confirm",
            new { code = "000000" }).ExpectProblem(HttpStatusCode.BadRequest);
    }
}
