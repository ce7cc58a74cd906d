using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BpClub.Web.Tests;

/// <summary>The signed-in member: live balance, history, spending, languages.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CabinetJourneys(BrowserFixture fixture) : Journey(fixture)
{
    [Fact]
    public async Task A_purchase_at_the_till_changes_the_home_balance_without_a_reload()
    {
        var (card, phone, station) = await RegisteredCard();
        await SignIn(phone);
        await Expect(Page.Locator("#total")).ToHaveTextAsync("0");
        await Expect(Page.Locator("#litres-to-next")).ToHaveTextAsync("100 л до рівня Gold");
        // Marks this document: after a reload the mark would be gone.
        await Page.EvaluateAsync("() => { window.sameDocument = true; }");

        await Purchase(station, card, "r-live-1", 40.5m, 2430m);

        await Expect(Page.Locator("#total")).ToHaveTextAsync("40");
        await Expect(Page.Locator("#available")).ToHaveTextAsync("0");
        await Expect(Page.Locator("#next-release")).ToContainTextAsync("Наступне зарахування: 40 балів");
        Assert.True(await Page.EvaluateAsync<bool>("() => window.sameDocument === true"));
        await Screenshot("40-home-live-balance");

        await Page.ReloadAsync();
        await Expect(Page.Locator("#litres-to-next")).ToHaveTextAsync("59,5 л до рівня Gold");
        await Expect(Page.Locator("svg.chart rect.earned")).ToHaveCountAsync(12);
        await Screenshot("41-home-after-purchase");
        await AssertAccessible();
    }

    [Fact]
    public async Task History_pages_newest_first()
    {
        var (card, phone, station) = await RegisteredCard();
        for (var i = 1; i <= 12; i++) await Purchase(station, card, $"r-{i:00}", 10m + i, 600m + i);
        await SignIn(phone);
        await Page.GetByRole(AriaRole.Link, new() { Name = "Історія" }).ClickAsync();

        var rows = Page.Locator(".history-table tbody tr");
        await Expect(rows).ToHaveCountAsync(10);
        // Newest first: the twelfth purchase (22 litres) heads the list.
        await Expect(rows.First).ToContainTextAsync("A95 22 л");
        await Expect(rows.First).ToContainTextAsync(Text(@"\+\d+"));
        await Expect(rows.First).ToContainTextAsync("612,00");
        await Expect(rows.First).ToContainTextAsync("з ");
        await Expect(Page.Locator("#history-newer")).ToBeDisabledAsync();
        await Screenshot("50-history-page-1");
        await AssertAccessible();

        await Page.Locator("#history-older").ClickAsync();
        await Expect(Page.Locator("#history-page")).ToHaveTextAsync("Сторінка 2");
        // Purchases 2 and 1, then the card's issue.
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.Last).ToContainTextAsync("Картку видано");
        await Expect(Page.Locator("#history-older")).ToBeDisabledAsync();
        await Screenshot("51-history-page-2");

        await Page.Locator("#history-newer").ClickAsync();
        await Expect(Page.Locator("#history-page")).ToHaveTextAsync("Сторінка 1");
        await Expect(rows).ToHaveCountAsync(10);
    }

    [Fact]
    public async Task Spending_is_switched_on_in_settings_and_stays_on()
    {
        var (_, phone, _) = await RegisteredCard();
        await SignIn(phone);
        await Page.GetByRole(AriaRole.Link, new() { Name = "Налаштування" }).ClickAsync();
        var spending = Page.GetByRole(AriaRole.Switch, new() { Name = "Дозволити оплату балами" });
        await Expect(spending).Not.ToBeCheckedAsync();
        await Expect(Page.Locator("#spending-explain")).ToContainTextAsync("навіть якщо картку загублено");

        // Switching on asks for the password first; a wrong one switches nothing.
        await spending.CheckAsync();
        await Expect(Page.GetByLabel("Пароль для підтвердження")).ToBeFocusedAsync();
        await Page.GetByLabel("Пароль для підтвердження").FillAsync("Not-The-Password-1");
        await Button("Увімкнути").ClickAsync();
        await Expect(ErrorFor("password").First).ToHaveTextAsync("Це не ваш пароль.");
        await Screenshot("59-spending-wrong-password");
        await AssertAccessible();
        await Expect(Page.Locator("#spending-state")).ToHaveTextAsync("Вимкнено");

        await Page.GetByLabel("Пароль для підтвердження").FillAsync(Password);
        await Button("Увімкнути").ClickAsync();
        await Expect(Page.Locator("#spending-state")).ToHaveTextAsync("Увімкнено — Збережено.");
        await Expect(Page.Locator("#spending-confirm")).ToBeHiddenAsync();
        await Screenshot("60-spending-on");
        await AssertAccessible();
        Assert.Contains(App.TextsSentTo(phone), text => text.Contains("увімкнено", StringComparison.Ordinal));

        await Page.ReloadAsync();
        await Expect(Page.GetByRole(AriaRole.Switch, new() { Name = "Дозволити оплату балами" })).ToBeCheckedAsync();
    }

    [Fact]
    public async Task Home_warns_from_1_May_of_points_to_be_annulled_and_tells_the_litres_to_keep_a_level()
    {
        var (card, phone, station) = await RegisteredCard();
        // Gold reached last month, 65 litres of the 100 that keep it bought this month.
        var lastMonth = KyivMonthStart(DateTimeOffset.UtcNow) - TimeSpan.FromHours(12);
        await Purchase(station, card, "r-keep-1", 120m, 7200m, lastMonth);
        await Purchase(station, card, "r-keep-2", 65m, 3900m);
        var balance = await App.Client(station)
            .GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/pos/v1/cards/{card}/balance");
        var points = balance.GetProperty("expiring").GetProperty("points").GetInt64();
        var on = DateOnly.ParseExact(balance.GetProperty("expiring").GetProperty("on").GetString()!, "yyyy-MM-dd");

        // The browser's clock says what day it is: the warning comes a month ahead, not before.
        await Page.Clock.SetFixedTimeAsync(KyivNoon(on.AddMonths(-1).AddDays(-1)));
        await SignIn(phone);
        await Expect(Page.Locator("#litres-to-keep"))
            .ToHaveTextAsync("Купіть ще 35 л цього місяця, щоб зберегти рівень Gold.");
        await Expect(Page.Locator("#expiring")).ToBeHiddenAsync();

        await Page.Clock.SetFixedTimeAsync(KyivNoon(on.AddMonths(-1)));
        await Page.ReloadAsync();
        await Expect(Page.Locator("#expiring"))
            .ToContainTextAsync($"буде анульовано {points} балів, якщо не витратити їх до того.");
        await Expect(Page.Locator("#expiring"))
            .ToContainTextAsync(on.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Screenshot("45-home-expiring-and-level-to-keep");
        await AssertAccessible();

        await Page.GetByLabel("Мова").SelectOptionAsync("en");
        await Expect(Page.Locator("#expiring")).ToContainTextAsync($"{points} points will be annulled on ");
        await Expect(Page.Locator("#litres-to-keep")).ToHaveTextAsync("Buy 35 litres more this month to keep Gold.");
        await Page.GetByLabel("Language").SelectOptionAsync("ru");
        await Expect(Page.Locator("#expiring")).ToContainTextAsync($"будет аннулировано {points} баллов");
        await Expect(Page.Locator("#litres-to-keep"))
            .ToHaveTextAsync("Купите ещё 35 л в этом месяце, чтобы сохранить уровень Gold.");
        await Screenshot("46-home-expiring-russian");

        // From the day itself the forecast is of the next year's: nothing to warn about yet.
        await Page.Clock.SetFixedTimeAsync(KyivNoon(on));
        await Page.ReloadAsync();
        await Expect(Page.Locator("#litres-to-keep")).ToBeVisibleAsync();
        await Expect(Page.Locator("#expiring")).ToBeHiddenAsync();
    }

    private static readonly TimeZoneInfo Kyiv = TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv");

    private static DateTime KyivNoon(DateOnly day)
    {
        var local = day.ToDateTime(new TimeOnly(12, 0));
        return new DateTimeOffset(local, Kyiv.GetUtcOffset(local)).UtcDateTime;
    }

    private static DateTimeOffset KyivMonthStart(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, Kyiv);
        var start = new DateTime(local.Year, local.Month, 1);
        return new DateTimeOffset(start, Kyiv.GetUtcOffset(start));
    }

    [Fact]
    public async Task The_language_can_be_switched_to_english_and_russian()
    {
        var (card, phone, station) = await RegisteredCard();
        await Purchase(station, card, "r-lang-1", 40.5m, 2430m);
        await Page.GotoAsync("/#/signin");
        await Page.GetByLabel("Мова").SelectOptionAsync("en");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to your cabinet" })).ToBeVisibleAsync();
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Field("phone").FillAsync(phone);
        await Field("password").FillAsync("wrong password");
        await Button("Sign in").ClickAsync();
        await Expect(ErrorFor("password")).ToHaveTextAsync("The phone number or the password is not correct.");

        await Field("password").FillAsync(Password);
        await Button("Sign in").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Available to spend" })).ToBeVisibleAsync();
        await Expect(Page.Locator("#litres-to-next")).ToHaveTextAsync("59.5 litres to Gold");
        await Screenshot("70-home-english");
        await Page.GetByRole(AriaRole.Link, new() { Name = "History" }).ClickAsync();
        await Expect(Page.Locator(".history-table tbody tr").First).ToContainTextAsync("₴2,430.00");

        await Page.GetByLabel("Language").SelectOptionAsync("ru");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "История операций" })).ToBeVisibleAsync();
        await Expect(Page.Locator(".history-table tbody tr").First).ToContainTextAsync(Text(@"2\s?430,00\s₴"));
        await Screenshot("71-history-russian");

        // The choice is remembered.
        await Page.ReloadAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "История операций" })).ToBeVisibleAsync();
    }
}
