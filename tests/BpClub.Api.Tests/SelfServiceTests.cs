using System.Net.Http.Headers;

namespace BpClub.Api.Tests;

/// <summary>The member's self-service: leaving the programme (erasing everything personal in one transaction),
/// editing the profile, downloading everything held about them.</summary>
[Collection(ServiceCollection.Name)]
public sealed class SelfServiceTests(AppFixture fixture)
{
    private readonly BpClubApp _app = fixture.App;
    private const string Password = "Sunflower-2026";

    /// <summary>A card issued with a distinctive questionnaire (phone and birth date too), registered, with two
    /// purchases (42 points) and spending on.</summary>
    private async Task<(string Card, string Phone, string First, string Last, HttpClient Station, string Token,
        string Born)> Member()
    {
        var station = _app.Client(await _app.NewStationKey());
        var unique = Guid.NewGuid().ToString("N")[..6];
        var (first, last) = ($"Solomiia{unique}", $"Kvitkovska{unique}");
        var phone = BpClubApp.NewPhone();
        var card = Cards.NewNumber();
        var born = new DateOnly(1940, 1, 1).AddDays(Random.Shared.Next(20_000)).ToString("yyyy-MM-dd",
            System.Globalization.CultureInfo.InvariantCulture);
        await station.PutAsJsonAsync($"/api/pos/v1/cards/{card}",
            new { firstName = first, lastName = last, phone, birthDate = born, consent = true })
            .Expect(HttpStatusCode.Created);
        var token = await _app.Register(card, phone, Password);
        await station.Purchase(Http.FuelPurchase($"ss-1-{unique}", card, litres: 30m, amount: 1800m));
        await station.Purchase(Http.FuelPurchase($"ss-2-{unique}", card, litres: 12m, amount: 700m));
        await _app.Client(bearer: token)
            .PutAsJsonAsync("/api/cabinet/v1/spending", new { enabled = true, password = Password })
            .Expect(HttpStatusCode.OK);
        return (card, phone, first, last, station, token, born);
    }

    [Fact]
    public async Task A_member_who_leaves_keeps_the_ledgers_amounts_and_nothing_personal_is_left_in_a_dump()
    {
        var (card, phone, first, last, station, token, born) = await Member();
        // A second card, terminated by an operator whose application reference names its member.
        var (other, otherPhone, otherFirst, otherLast, _, _, _) = await Member();
        var member = _app.Client(bearer: token);
        var before = await DatabaseDump.Of(_app.Cluster.ConnectionString);
        Assert.Contains(first, before);
        Assert.Contains(phone, before);
        Assert.Contains(otherLast, before);
        var purchases = await _app.Cluster.Database.LedgerCount(card, "purchase");

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stream = await member.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, "/api/cabinet/v1/balance/events"),
            HttpCompletionOption.ResponseHeadersRead, stop.Token);
        var events = BalanceStreamTests.Events(await stream.Content.ReadAsStreamAsync(stop.Token), stop.Token);
        Assert.Equal("balance", (await BalanceStreamTests.Next(events, TimeSpan.FromSeconds(10))).Name);

        var left = await member.PostAsJsonAsync("/api/cabinet/v1/termination", new { password = Password })
            .Expect(HttpStatusCode.OK);
        Assert.Equal(42, left.GetProperty("forfeitedPoints").GetInt64());
        await _app.Operator().PostAsJsonAsync($"/api/admin/v1/cards/{other}/termination",
            new { applicationReceivedAt = DateTimeOffset.UtcNow.AddDays(-1),
                  reference = $"{otherFirst}-{otherLast}" })
            .Expect(HttpStatusCode.OK);

        // The session is over, and so is its balance stream.
        await member.GetAsync("/api/cabinet/v1/me").ExpectProblem(HttpStatusCode.Unauthorized);
        // The last balance (zero) may still be unread: read to the end, which comes when the server ends it.
        var drained = Task.Run(async () => { await foreach (var _ in events.ReadAllAsync(stop.Token)) { } });
        var ended = await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(20), stop.Token));
        Assert.True(ended == drained, "The stream outlived the membership.");
        await _app.Client().PostAsJsonAsync("/api/cabinet/v1/sessions", new { phone, password = Password })
            .ExpectProblem(HttpStatusCode.Unauthorized);
        // The card is closed for tills.
        await station.PostAsJsonAsync("/api/pos/v1/purchases", Http.FuelPurchase("ss-after", card))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        await station.PostAsJsonAsync("/api/pos/v1/redemptions",
            new { redemptionId = "ss-r", cardNumber = card, points = 1 })
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);

        // Grain state is written when activations go: the dump sees everything the service keeps.
        await _app.Cluster.DeactivateAll();
        var dump = await DatabaseDump.Of(_app.Cluster.ConnectionString);
        foreach (var personal in new[] { first, last, phone, phone[1..], phone[4..], born,
                     otherFirst, otherLast, otherPhone, otherPhone[4..] })
            Assert.DoesNotContain(personal, dump);
        Assert.Equal(0, await _app.Cluster.Database.Scalar<long>(
            "select count(*) from members where card_number = @card", card));
        Assert.Equal(0, await _app.Cluster.Database.HolderCount(card));
        // The amounts stay: the purchases, and a forfeit that takes the balance to zero.
        Assert.Equal(purchases, await _app.Cluster.Database.LedgerCount(card, "purchase"));
        Assert.Equal(-42, await _app.Cluster.Database.Scalar<long>(
            "select points from card_ledger where card_number = @card and kind = 'terminated'", card));
        Assert.Equal(0, await _app.Cluster.Database.LedgerTotal(card));
        var summary = await _app.Operator().GetFromJsonAsync<JsonElement>($"/api/admin/v1/cards/{card}");
        Assert.Equal("terminated", summary.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("registration").ValueKind);
        stop.Cancel();
    }

    [Fact]
    public async Task An_erasure_that_fails_half_way_leaves_everything_as_it_was()
    {
        var (card, phone, first, _, station, token, _) = await Member();
        var member = _app.Client(bearer: token);
        var entries = await _app.Cluster.Database.LedgerCount(card);

        await using (await _app.Cluster.Database.RefuseMemberErasure(card))
        {
            var failed = await member.PostAsJsonAsync("/api/cabinet/v1/termination", new { password = Password });
            Assert.True((int)failed.StatusCode >= 500, $"Expected a failure, got {(int)failed.StatusCode}.");
        }

        // Nothing happened: the ledger, the questionnaire, the account, the session, the card at the till.
        Assert.Equal(entries, await _app.Cluster.Database.LedgerCount(card));
        Assert.Equal(1, await _app.Cluster.Database.HolderCount(card));
        Assert.Equal(1, await _app.Cluster.Database.Scalar<long>(
            "select count(*) from members where card_number = @card", card));
        var me = await member.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/me");
        Assert.Equal((first, "active"),
            (me.GetProperty("firstName").GetString(), me.GetProperty("status").GetString()));
        Assert.Equal(42, (await member.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/balance"))
            .GetProperty("total").GetInt64());
        await station.Purchase(Http.FuelPurchase($"ss-still-{card}", card, litres: 10m, amount: 600m));
        await _app.SignIn(phone, Password);

        // Once the database takes it, the same request completes the erasure.
        var total = (await member.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/balance")).GetProperty("total")
            .GetInt64();
        var left = await member.PostAsJsonAsync("/api/cabinet/v1/termination", new { password = Password })
            .Expect(HttpStatusCode.OK);
        Assert.Equal(total, left.GetProperty("forfeitedPoints").GetInt64());
        Assert.Equal(0, await _app.Cluster.Database.HolderCount(card));
        Assert.Equal(0, await _app.Cluster.Database.Scalar<long>(
            "select count(*) from members where card_number = @card", card));
    }

    [Fact]
    public async Task A_stolen_session_cannot_guess_the_password_to_leave_more_often_than_sign_in_allows()
    {
        var (card, phone, _, _, _, token, _) = await Member();
        var member = _app.Client(bearer: token);
        for (var i = 1; i < 5; i++)
            await member.PostAsJsonAsync("/api/cabinet/v1/termination", new { password = $"Guess-number-{i}" })
                .ExpectProblem(HttpStatusCode.BadRequest);
        var locked = await member.PostAsJsonAsync("/api/cabinet/v1/termination", new { password = "Guess-number-5" });
        await locked.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.NotNull(locked.Headers.RetryAfter);

        // The same lock as sign-in's: the right password is refused in both places until it ends.
        await member.PostAsJsonAsync("/api/cabinet/v1/termination", new { password = Password })
            .ExpectProblem(HttpStatusCode.TooManyRequests);
        await _app.Client().PostAsJsonAsync("/api/cabinet/v1/sessions", new { phone, password = Password })
            .ExpectProblem(HttpStatusCode.TooManyRequests);
        var summary = await _app.Operator().GetFromJsonAsync<JsonElement>($"/api/admin/v1/cards/{card}");
        Assert.Equal("active", summary.GetProperty("status").GetString());
        Assert.Equal(42, summary.GetProperty("balance").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Wrong_sign_in_passwords_count_towards_the_lock_on_leaving()
    {
        var (_, phone, _, _, _, token, _) = await Member();
        for (var i = 1; i < 5; i++)
            await _app.Client().PostAsJsonAsync("/api/cabinet/v1/sessions", new { phone, password = $"Guess-{i}-x" })
                .ExpectProblem(HttpStatusCode.Unauthorized);
        await _app.Client(bearer: token).PostAsJsonAsync("/api/cabinet/v1/termination", new { password = "Guess-5-x" })
            .ExpectProblem(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task The_member_edits_the_name_and_birth_date_and_a_field_left_out_stays()
    {
        var (card, _, first, last, _, token, born) = await Member();
        var member = _app.Client(bearer: token);

        var renamed = await member.PatchAsJsonAsync("/api/cabinet/v1/me", new { lastName = "  Franko  " })
            .Expect(HttpStatusCode.OK);
        Assert.Equal((first, "Franko", born, card), (renamed.GetProperty("firstName").GetString(),
            renamed.GetProperty("lastName").GetString(), renamed.GetProperty("birthDate").GetString(),
            renamed.GetProperty("cardNumber").GetString()));

        var reborn = await member.PatchAsJsonAsync("/api/cabinet/v1/me",
            new { firstName = "Lesia", birthDate = "1981-02-25" }).Expect(HttpStatusCode.OK);
        Assert.Equal(("Lesia", "Franko", "1981-02-25"), (reborn.GetProperty("firstName").GetString(),
            reborn.GetProperty("lastName").GetString(), reborn.GetProperty("birthDate").GetString()));
        var me = await member.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/me");
        Assert.Equal(("Lesia", "Franko", "1981-02-25"), (me.GetProperty("firstName").GetString(),
            me.GetProperty("lastName").GetString(), me.GetProperty("birthDate").GetString()));
        Assert.DoesNotContain(last, await DatabaseDump.Of(_app.Cluster.ConnectionString));
    }

    [Fact]
    public async Task The_export_is_a_download_of_everything_held_about_the_member()
    {
        var (card, phone, first, last, _, token, born) = await Member();
        var response = await _app.Client(bearer: token).GetAsync("/api/cabinet/v1/export");
        var export = await response.Expect(HttpStatusCode.OK);

        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"bpclub-export-{card}.json", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var profile = export.GetProperty("profile");
        Assert.Equal((card, phone, first, last, born), (profile.GetProperty("cardNumber").GetString(),
            profile.GetProperty("phone").GetString(), profile.GetProperty("firstName").GetString(),
            profile.GetProperty("lastName").GetString(), profile.GetProperty("birthDate").GetString()));
        Assert.NotEqual(JsonValueKind.Null, profile.GetProperty("registeredAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, profile.GetProperty("consentAt").ValueKind);
        var exportedCard = export.GetProperty("card");
        Assert.Equal(("active", 42L), (exportedCard.GetProperty("status").GetString(),
            exportedCard.GetProperty("balance").GetProperty("total").GetInt64()));
        Assert.Equal(42m, exportedCard.GetProperty("tier").GetProperty("qualifyingLitres").GetDecimal());
        Assert.True(export.GetProperty("settings").GetProperty("spendingEnabled").GetBoolean());
        var kinds = export.GetProperty("history").EnumerateArray().Select(i => i.GetProperty("kind").GetString())
            .ToList();
        Assert.Equal(["spending", "purchase", "purchase", "issued"], kinds);
    }

    [Fact]
    public async Task Self_service_needs_the_members_session()
    {
        var station = await _app.NewStationKey();
        await _app.Client().PostAsJsonAsync("/api/cabinet/v1/termination", new { password = Password })
            .ExpectProblem(HttpStatusCode.Unauthorized);
        await _app.Client(station).GetAsync("/api/cabinet/v1/export").ExpectProblem(HttpStatusCode.Unauthorized);
        var patch = new HttpRequestMessage(HttpMethod.Patch, "/api/cabinet/v1/me")
        {
            Content = JsonContent.Create(new { firstName = "Mallory" }),
        };
        patch.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        await _app.Client().SendAsync(patch).ExpectProblem(HttpStatusCode.Unauthorized);
    }
}
