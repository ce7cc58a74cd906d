using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BpClub.Web.Tests;

/// <summary>The offers page, linked from home: each promotion's rule and period in plain words.</summary>
[Collection(BrowserCollection.Name)]
public sealed class OfferJourneys(BrowserFixture fixture) : Journey(fixture)
{
    [Fact]
    public async Task Home_links_to_the_offers_with_each_rule_in_the_members_language()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var stationId = "st-" + tag;
        (await App.Operator().PutAsJsonAsync($"/api/admin/v1/stations/{stationId}",
            new { name = "BP Львів " + tag, address = "Львів, Городоцька 9" })).EnsureSuccessStatusCode();
        var now = DateTimeOffset.UtcNow;
        // Only at this test's own station: no other journey's purchase earns more for it.
        (await App.Operator().PutAsJsonAsync($"/api/admin/v1/promotions/running-{tag}", new
        {
            name = "Подвійні бали " + tag, startsAt = now.AddHours(-1), endsAt = now.AddDays(3),
            stationIds = new[] { stationId }, productCodes = new[] { "A95" }, multiplier = 2m,
        })).EnsureSuccessStatusCode();
        (await App.Operator().PutAsJsonAsync($"/api/admin/v1/promotions/soon-{tag}", new
        {
            name = "Кава з бонусом " + tag, startsAt = now.AddDays(5), endsAt = now.AddDays(9),
            stationIds = new[] { stationId }, categories = new[] { "coffee" }, bonusPoints = 20, levels = new[] { 1 },
        })).EnsureSuccessStatusCode();
        // Only for Gold: a Green member is not shown it.
        (await App.Operator().PutAsJsonAsync($"/api/admin/v1/promotions/gold-{tag}", new
        {
            name = "Для золотих " + tag, startsAt = now.AddHours(-1), endsAt = now.AddDays(3),
            stationIds = new[] { stationId }, bonusPoints = 30, levels = new[] { 2 },
        })).EnsureSuccessStatusCode();
        var (_, phone, _) = await RegisteredCard();
        await SignIn(phone);

        await Page.GetByRole(AriaRole.Link, new() { Name = "Акції та пропозиції" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Акції та пропозиції", Level = 1 }))
            .ToBeVisibleAsync();
        var running = Page.Locator("#offers li").Filter(new() { HasText = "Подвійні бали " + tag });
        await Expect(running).ToContainTextAsync("Діє зараз");
        await Expect(running).ToContainTextAsync("Бали ×2 на пальне A95");
        await Expect(running).ToContainTextAsync($"На АЗС: BP Львів {tag} (Львів, Городоцька 9)");
        await Expect(running).ToContainTextAsync("До ");
        var soon = Page.Locator("#offers li").Filter(new() { HasText = "Кава з бонусом " + tag });
        await Expect(soon).ToContainTextAsync("Незабаром");
        await Expect(soon).ToContainTextAsync("+20 бонусних балів за позицію на товари: coffee");
        await Expect(soon).ToContainTextAsync("З ");
        await Expect(soon).ToContainTextAsync("Для рівнів: Green");
        await Expect(running).Not.ToContainTextAsync("Для рівнів");
        await Expect(Page.Locator("#offers")).Not.ToContainTextAsync("Для золотих " + tag);
        await Screenshot("62-offers");
        await AssertAccessible();

        await Page.Locator("#language").SelectOptionAsync("en");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Promotions and offers" })).ToBeVisibleAsync();
        await Expect(Page.Locator("#offers li").Filter(new() { HasText = "Подвійні бали " + tag }))
            .ToContainTextAsync("×2 points on fuel A95");
        await Expect(Page.Locator("#offers li").Filter(new() { HasText = "Кава з бонусом " + tag }))
            .ToContainTextAsync("Coming soon");
        await Page.Locator("#language").SelectOptionAsync("ru");
        await Expect(Page.Locator("#offers li").Filter(new() { HasText = "Подвійні бали " + tag }))
            .ToContainTextAsync("Баллы ×2 на топливо A95");
        await Screenshot("63-offers-ru");
        await AssertAccessible();
    }
}
