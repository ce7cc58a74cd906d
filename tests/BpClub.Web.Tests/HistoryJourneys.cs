using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BpClub.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BpClub.Web.Tests;

/// <summary>The history page: where each entry happened, support's adjustments, filters and the CSV download.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HistoryJourneys(BrowserFixture fixture) : Journey(fixture)
{
    private static readonly TimeZoneInfo Kyiv = TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv");

    private static string Day(int offset) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Kyiv).DateTime).AddDays(offset)
            .ToString("yyyy-MM-dd");

    /// <summary>A member with a purchase at a named station, one at a named partner and an adjustment by
    /// support.</summary>
    private async Task<string> MemberWithStory()
    {
        var stationId = "st-" + Guid.NewGuid().ToString("N")[..8];
        var station = await (await App.Operator().PutAsJsonAsync($"/api/admin/v1/stations/{stationId}",
            new { name = "BP Київ, Перемоги 1", address = "Київ" })).Content.ReadFromJsonAsync<JsonElement>();
        var stationKey = station.GetProperty("apiKey").GetString()!;
        var card = await App.IssueCard(stationKey);
        var phone = BpClubApp.NewPhone();
        await App.Register(card, phone, Password);
        await Purchase(stationKey, card, "r-story-1", 30m, 1650m);
        var partner = await (await App.Operator().PutAsJsonAsync($"/api/admin/v1/partners/pa-{Guid.NewGuid():N}"[..35],
            new { name = "Кава & Ко", pointsPerUah = 0.5m })).Content.ReadFromJsonAsync<JsonElement>();
        (await App.Client(partner.GetProperty("apiKey").GetString()).PostAsJsonAsync("/api/partners/v1/accruals",
            new { partnerTransactionId = "k-1", cardNumber = card, amount = 80m })).EnsureSuccessStatusCode();
        (await App.Operator().PostAsJsonAsync($"/api/admin/v1/cards/{card}/adjustments",
            new { adjustmentId = "goodwill-1", points = 25, reason = "Вибачте за незручності на АЗС" }))
                .EnsureSuccessStatusCode();
        return phone;
    }

    [Fact]
    public async Task History_names_the_places_shows_support_s_adjustment_filters_and_downloads_csv()
    {
        var phone = await MemberWithStory();
        await SignIn(phone);
        await Page.GetByRole(AriaRole.Link, new() { Name = "Історія" }).ClickAsync();

        var rows = Page.Locator(".history-table tbody tr");
        await Expect(rows).ToHaveCountAsync(4);
        await Expect(rows.Nth(0)).ToContainTextAsync("Коригування від служби підтримки");
        await Expect(rows.Nth(0)).ToContainTextAsync("Вибачте за незручності на АЗС");
        await Expect(rows.Nth(0)).ToContainTextAsync("+25");
        await Expect(rows.Nth(1)).ToContainTextAsync("Кава & Ко");
        await Expect(rows.Nth(2)).ToContainTextAsync("BP Київ, Перемоги 1");
        await Screenshot("52-history-places-and-adjustment");
        await AssertAccessible();

        await Page.GetByLabel("Операції").SelectOptionAsync("purchase,partner");
        await Button("Показати").ClickAsync();
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0)).ToContainTextAsync("Покупка в партнера");
        await Expect(Page.Locator("#history-csv")).ToHaveAttributeAsync("href", Text("kind=purchase%2Cpartner"));
        await Screenshot("53-history-filtered");

        await Page.GetByLabel("Операції").SelectOptionAsync("");
        await Page.GetByLabel("З", new() { Exact = true }).FillAsync(Day(1));
        await Button("Показати").ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("Операцій ще немає.");
        await Page.GetByLabel("По", new() { Exact = true }).FillAsync(Day(-1));
        await Button("Показати").ClickAsync();
        await Expect(Page.Locator("#history-filters [role=alert]"))
            .ToHaveTextAsync("Дата «з» має бути не пізніше за дату «по».");

        await Page.GetByLabel("З", new() { Exact = true }).FillAsync(Day(-1));
        await Page.GetByLabel("По", new() { Exact = true }).FillAsync(Day(0));
        await Button("Показати").ClickAsync();
        await Expect(rows).ToHaveCountAsync(4);
        var download = await Page.RunAndWaitForDownloadAsync(() => Page.Locator("#history-csv").ClickAsync());
        Assert.Equal($"bpclub-history-{Day(-1)}-{Day(0)}.csv", download.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);
        var text = Encoding.UTF8.GetString(bytes);
        Assert.StartsWith("\uFEFFat,kind,description,station,stationId,points,litres,amount,availableAt,reason\r\n",
            text);
        Assert.Contains(",Вибачте за незручності на АЗС\r\n", text);
        Assert.Contains(",Кава & Ко,", text);
        Assert.Equal(5, text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task History_s_filters_and_support_s_entries_read_in_english_and_russian()
    {
        var phone = await MemberWithStory();
        await Page.GotoAsync("/#/signin");
        await Page.GetByLabel("Мова").SelectOptionAsync("en");
        await SignIn(phone);
        await Page.GetByRole(AriaRole.Link, new() { Name = "History" }).ClickAsync();

        var rows = Page.Locator(".history-table tbody tr");
        await Expect(rows.Nth(0)).ToContainTextAsync("Adjustment by support");
        await Expect(Page.Locator(".history-table thead th").Nth(1)).ToHaveTextAsync("Station / partner");
        await Expect(Page.Locator("#history-csv")).ToHaveTextAsync("Download CSV");
        await Page.GetByLabel("Show").SelectOptionAsync("adjustment");
        await Button("Apply").ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Screenshot("54-history-english");

        await Page.GetByLabel("Language").SelectOptionAsync("ru");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "История операций" })).ToBeVisibleAsync();
        await Expect(rows.Nth(0)).ToContainTextAsync("Корректировка службой поддержки");
        await Expect(Page.Locator("#history-csv")).ToHaveTextAsync("Скачать CSV");
        await Page.GetByLabel("С", new() { Exact = true }).FillAsync(Day(-400));
        await Page.GetByLabel("По", new() { Exact = true }).FillAsync(Day(0));
        await Button("Показать").ClickAsync();
        await Expect(Page.Locator("#history-filters [role=alert]"))
            .ToHaveTextAsync("CSV охватывает не более 366 дней: выберите период короче.");
        await Expect(Page.Locator("#history-csv")).Not.ToHaveAttributeAsync("href", Text("."));
        await Expect(Page.Locator("#history-csv")).ToBeHiddenAsync();
        await Screenshot("55-history-russian");
        await AssertAccessible();
    }
}
