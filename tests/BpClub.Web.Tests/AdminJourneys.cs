using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BpClub.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BpClub.Web.Tests;

/// <summary>The operator page at /admin/: the operator key kept in the tab only, card support, keys shown once,
/// promotions.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminJourneys(BrowserFixture fixture) : Journey(fixture)
{
    private static readonly TimeZoneInfo Kyiv = TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv");

    private ILocator In(string form, string name) => Page.Locator($"#{form} input[name='{name}']");

    private ILocator Error(string form) => Page.Locator($"#{form} [data-form-error]");

    private Task Press(string form, string button) =>
        Page.Locator($"#{form}").GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();

    private async Task OperatorSignIn(string key = BpClubApp.OperatorKey)
    {
        await Page.GotoAsync("/admin/");
        await In("sign-in-form", "operatorKey").FillAsync(key);
        await Button("Sign in").ClickAsync();
        await Expect(In("lookup-form", "cardNumber")).ToBeFocusedAsync();
    }

    private async Task LookUp(string card)
    {
        await In("lookup-form", "cardNumber").FillAsync(card);
        await Button("Look up").ClickAsync();
        await Expect(Page.Locator("#card-number")).ToHaveTextAsync(card);
    }

    [Fact]
    public async Task Support_looks_a_card_up_adjusts_it_both_ways_and_releases_its_holds()
    {
        var (card, phone, station) = await RegisteredCard();
        await Purchase(station, card, "r-admin-1", 40m, 2400m);
        await Page.GotoAsync("/admin/");
        await Expect(Page.Locator("#sign-in-title")).ToHaveTextAsync("Operator sign-in");
        await Screenshot("90-admin-sign-in");
        await AssertAccessible();

        await OperatorSignIn();
        await LookUp(card);
        await Expect(Page.Locator("#card-status")).ToHaveTextAsync("active");
        await Expect(Page.Locator("#card-available")).ToHaveTextAsync("0");
        await Expect(Page.Locator("#card-on-hold")).ToHaveTextAsync("40");
        await Expect(Page.Locator("#card-level")).ToContainTextAsync("40 L this month");
        await Expect(Page.Locator("#card-phone")).ToContainTextAsync("+380*******" + phone[^2..]);
        await Expect(Page.Locator("#operations tbody tr").First).ToContainTextAsync("purchase");

        // The first answer to the confirmed adjustment is lost on the way back: the adjustment was made, the page
        // says the service did not answer, and confirming again sends the same adjustmentId: counted once.
        var sentIds = new List<string>();
        var dropped = false;
        await Page.RouteAsync("**/adjustments", async route =>
        {
            sentIds.Add(JsonDocument.Parse(route.Request.PostData!).RootElement.GetProperty("adjustmentId")
                .GetString()!);
            if (dropped) { await route.ContinueAsync(); return; }
            dropped = true;
            await route.FetchAsync();
            await route.AbortAsync();
        });
        await In("adjust-form", "points").FillAsync("25");
        await In("adjust-form", "reason").FillAsync("Goodwill: pump 3 was down");
        await Press("adjust-form", "Review");
        await Expect(Page.Locator("#adjust-question")).ToContainTextAsync($"Add 25 points to card {card}?");
        await Expect(Page.Locator("#adjust-question")).ToContainTextAsync("Reason: Goodwill: pump 3 was down");
        await Screenshot("91-admin-adjust-confirm");
        await AssertAccessible();
        await Button("Confirm adjustment").ClickAsync();
        await Expect(Error("adjust-confirm")).ToContainTextAsync("The service is not answering");
        await Button("Confirm adjustment").ClickAsync();
        await Expect(Page.Locator("#adjust-confirm")).ToBeHiddenAsync();
        await Expect(Page.Locator("#card-available")).ToHaveTextAsync("25");
        Assert.Equal(2, sentIds.Count);
        Assert.Equal(sentIds[0], sentIds[1]);
        await Page.UnrouteAllAsync();

        await In("adjust-form", "points").FillAsync("-10");
        await In("adjust-form", "reason").FillAsync("Goodwill given twice");
        await Press("adjust-form", "Review");
        await Expect(Page.Locator("#adjust-question")).ToContainTextAsync($"Take 10 points from card {card}?");
        await Button("Confirm adjustment").ClickAsync();
        await Expect(Page.Locator("#card-available")).ToHaveTextAsync("15");
        var adjustment = Page.Locator("#operations tbody tr").Filter(new() { HasText = "Goodwill given twice" });
        await Expect(adjustment).ToContainTextAsync("-10");
        await Expect(adjustment).ToContainTextAsync(BpClubApp.OperatorId(BpClubApp.OperatorKey));

        // A rule the service refuses: its problem's title and detail are shown, and nothing changes.
        await In("adjust-form", "points").FillAsync("-1000");
        await In("adjust-form", "reason").FillAsync("Too much");
        await Press("adjust-form", "Review");
        await Button("Confirm adjustment").ClickAsync();
        await Expect(Error("adjust-confirm")).ToContainTextAsync(Text(@"\w+.* — .*\w"));
        await Button("Cancel").ClickAsync();
        await Expect(Page.Locator("#card-available")).ToHaveTextAsync("15");

        await Press("release-form", "Review");
        await Expect(Page.Locator("#release-question")).ToContainTextAsync("Release all held points");
        await Button("Confirm release").ClickAsync();
        await Expect(Page.Locator("#release-form + form + p")).ToHaveTextAsync(
            "Released 40 points. Available now: 55.");
        await Expect(Page.Locator("#card-on-hold")).ToHaveTextAsync("0");
        await Expect(Page.Locator("#card-available")).ToHaveTextAsync("55");
        await Screenshot("92-admin-card-after-support");
        await AssertAccessible();

        var lookup = await App.Operator().GetFromJsonAsync<JsonElement>($"/api/admin/v1/cards/{card}");
        Assert.Equal(55, lookup.GetProperty("balance").GetProperty("available").GetInt64());
        Assert.Equal(2, lookup.GetProperty("lastOperations").EnumerateArray()
            .Count(o => o.GetProperty("kind").GetString() == "adjustment"));

        // The member sees both corrections with their reasons.
        await SignIn(phone);
        await Page.GetByRole(AriaRole.Link, new() { Name = "Історія" }).ClickAsync();
        await Expect(Page.Locator(".history-table")).ToContainTextAsync("Goodwill: pump 3 was down");
        await Expect(Page.Locator(".history-table")).ToContainTextAsync("Goodwill given twice");
    }

    [Fact]
    public async Task A_new_station_key_is_shown_once_copied_and_works_and_rotating_replaces_it()
    {
        await Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var stationId = "st-" + Guid.NewGuid().ToString("N")[..10];
        await OperatorSignIn();
        await In("station-form", "stationId").FillAsync(stationId);
        await In("station-form", "name").FillAsync("BP Lviv, Horodotska 1");
        await In("station-form", "address").FillAsync("Lviv");
        await Button("Create or update station").ClickAsync();
        await Expect(Page.Locator("#station-key")).ToContainTextAsync($"Station {stationId} created");
        var key = await Page.Locator("#station-key input.key").InputValueAsync();
        Assert.StartsWith($"st.{stationId}.", key);
        await Press("station-key", "Copy key");
        await Expect(Page.Locator("#station-key")).ToContainTextAsync("Copied.");
        Assert.Equal(key, await Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await Screenshot("93-admin-station-key");
        await AssertAccessible();
        await App.IssueCard(key);
        await Button("Done, hide the key").ClickAsync();
        await Expect(Page.Locator("#station-key input.key")).ToHaveCountAsync(0);

        // Saving it again updates it and shows no key.
        await In("station-form", "stationId").FillAsync(stationId);
        await In("station-form", "name").FillAsync("BP Lviv, Horodotska 1a");
        await In("station-form", "address").FillAsync("Lviv");
        await Button("Create or update station").ClickAsync();
        await Expect(Page.Locator("#station-key"))
            .ToHaveTextAsync($"Station {stationId} updated; its key is unchanged.");

        await In("station-rotate-form", "stationId").FillAsync(stationId);
        await Press("station-rotate-form", "Rotate key");
        await Expect(Page.Locator("#station-key")).ToContainTextAsync($"New key for station {stationId}");
        var rotated = await Page.Locator("#station-key input.key").InputValueAsync();
        Assert.StartsWith($"st.{stationId}.", rotated);
        Assert.NotEqual(key, rotated);
        await App.IssueCard(rotated);

        // Bad input and unknown stations: the service's problem, next to the field or above the button.
        await In("station-form", "stationId").FillAsync("no spaces here");
        await In("station-form", "name").FillAsync("X");
        await In("station-form", "address").FillAsync("Y");
        await Button("Create or update station").ClickAsync();
        await Expect(Page.Locator("#station-form [data-error-for='stationId']")).ToContainTextAsync("at most 32");
        await Expect(Page.Locator("#station-key input.key")).ToHaveCountAsync(0);
        await In("station-rotate-form", "stationId").FillAsync("st-never-made-" + Guid.NewGuid().ToString("N")[..6]);
        await Press("station-rotate-form", "Rotate key");
        await Expect(Error("station-rotate-form")).ToContainTextAsync("Unknown station");

        var partnerId = "pa-" + Guid.NewGuid().ToString("N")[..10];
        await In("partner-form", "partnerId").FillAsync(partnerId);
        await In("partner-form", "name").FillAsync("Coffee & Co");
        await In("partner-form", "pointsPerUah").FillAsync("0,5");
        await Button("Create or update partner").ClickAsync();
        var partnerKey = await Page.Locator("#partner-key input.key").InputValueAsync();
        Assert.StartsWith($"pt.{partnerId}.", partnerKey);
        await In("partner-rotate-form", "partnerId").FillAsync(partnerId);
        await Press("partner-rotate-form", "Rotate key");
        await Expect(Page.Locator("#partner-key")).ToContainTextAsync($"New key for partner {partnerId}");
        var newPartnerKey = await Page.Locator("#partner-key input.key").InputValueAsync();
        Assert.NotEqual(partnerKey, newPartnerKey);
        var card = await App.IssueCard(await App.NewStationKey());
        (await App.Client(newPartnerKey).PostAsJsonAsync("/api/partners/v1/accruals",
            new { partnerTransactionId = "k-admin-1", cardNumber = card, amount = 80m })).EnsureSuccessStatusCode();
        await Screenshot("94-admin-partner-key");
    }

    [Fact]
    public async Task A_promotion_is_created_listed_as_running_and_ended()
    {
        var promotionId = "promo-" + Guid.NewGuid().ToString("N")[..8];
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Kyiv);
        await OperatorSignIn();
        await In("promotion-form", "promotionId").FillAsync(promotionId);
        await In("promotion-form", "name").FillAsync("Double points weekend");
        await In("promotion-form", "startsAt").FillAsync(now.AddHours(-1).ToString("yyyy-MM-ddTHH:mm"));
        await In("promotion-form", "endsAt").FillAsync(now.AddHours(-2).ToString("yyyy-MM-ddTHH:mm"));
        await In("promotion-form", "multiplier").FillAsync("2");
        await Button("Create or replace promotion").ClickAsync();
        await Expect(Page.Locator("#promotion-form [data-error-for='endsAt']"))
            .ToHaveTextAsync("Must be after startsAt.");
        await Expect(Page.Locator("#promotion-form [data-form-error]")).ToContainTextAsync("Invalid request");
        await Expect(Page.Locator($"tr[data-promotion='{promotionId}']")).ToHaveCountAsync(0);

        await In("promotion-form", "endsAt").FillAsync(now.AddDays(2).ToString("yyyy-MM-ddTHH:mm"));
        await Button("Create or replace promotion").ClickAsync();
        var row = Page.Locator($"tr[data-promotion='{promotionId}']");
        await Expect(row).ToContainTextAsync("running");
        await Expect(row).ToContainTextAsync("×2");
        await Screenshot("95-admin-promotions");
        await AssertAccessible();

        await row.GetByRole(AriaRole.Button, new() { Name = $"End {promotionId} now" }).ClickAsync();
        await Expect(Page.Locator("#promotions")).ToContainTextAsync($"Promotion {promotionId} ended.");
        await Expect(row).ToContainTextAsync("over");
        await Expect(row.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        var listed = await App.Operator().GetFromJsonAsync<JsonElement>("/api/admin/v1/promotions");
        var saved = listed.EnumerateArray().Single(p => p.GetProperty("promotionId").GetString() == promotionId);
        Assert.True(saved.GetProperty("endsAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task A_wrong_key_or_a_station_key_does_not_sign_in()
    {
        await Page.GotoAsync("/admin/");
        await In("sign-in-form", "operatorKey").FillAsync("op-not-a-real-key-000000000000000");
        await Button("Sign in").ClickAsync();
        await Expect(Page.Locator("#sign-in-form [data-error-for='operatorKey']"))
            .ToHaveTextAsync("This key is not accepted. Check it and try again.");
        await Expect(In("sign-in-form", "operatorKey")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Page.Locator("#nav")).ToBeHiddenAsync();
        await Screenshot("96-admin-wrong-key");
        await AssertAccessible();

        await In("sign-in-form", "operatorKey").FillAsync(await App.NewStationKey());
        await Button("Sign in").ClickAsync();
        await Expect(Page.Locator("#sign-in-form [data-error-for='operatorKey']"))
            .ToHaveTextAsync("This is a station or partner key, not an operator key.");
        Assert.Equal(0, await Page.EvaluateAsync<int>("() => sessionStorage.length"));
    }

    [Fact]
    public async Task The_key_stays_in_the_tab_never_in_local_storage_or_a_cookie_and_sign_out_forgets_it()
    {
        var card = await App.IssueCard(await App.NewStationKey());
        await OperatorSignIn();
        await LookUp(card);
        Assert.Equal(BpClubApp.OperatorKey,
            await Page.EvaluateAsync<string>("() => sessionStorage.getItem('bpclub.operatorKey')"));
        Assert.DoesNotContain(BpClubApp.OperatorKey, await Page.EvaluateAsync<string>(
            "() => JSON.stringify(Object.entries(localStorage)) + document.cookie"));
        Assert.DoesNotContain((await Page.Context.CookiesAsync()),
            c => c.Value.Contains(BpClubApp.OperatorKey, StringComparison.Ordinal));
        // Nor does the service answer anything a cache may keep.
        var answer = await App.Operator().GetAsync($"/api/admin/v1/cards/{card}");
        Assert.Equal("no-store", answer.Headers.CacheControl?.ToString());

        // A reload keeps the tab signed in; another tab is not.
        await Page.ReloadAsync();
        await Expect(In("lookup-form", "cardNumber")).ToBeVisibleAsync();
        var other = await Page.Context.NewPageAsync();
        await other.GotoAsync("/admin/");
        await Expect(other.Locator("#sign-in-form")).ToBeVisibleAsync();
        await other.CloseAsync();

        await Button("Sign out").ClickAsync();
        await Expect(Page.Locator("#sign-in-form .notice")).ToHaveTextAsync(
            "Signed out. The key is forgotten in this tab.");
        Assert.Equal(0, await Page.EvaluateAsync<int>("() => sessionStorage.length"));
        await Page.ReloadAsync();
        await Expect(Page.Locator("#sign-in-form")).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }
}
