using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BpClub.Web.Tests;

/// <summary>The partners page: where else the card earns, with each partner's rate in plain words.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PartnerJourneys(BrowserFixture fixture) : Journey(fixture)
{
    [Fact]
    public async Task The_partners_page_lists_each_partner_with_its_rate_in_the_members_language()
    {
        var name = "Аптека " + Guid.NewGuid().ToString("N")[..6];
        (await App.Operator().PutAsJsonAsync($"/api/admin/v1/partners/pa-{Guid.NewGuid():N}"[..35],
            new { name, pointsPerUah = 0.05m })).EnsureSuccessStatusCode();
        var (_, phone, _) = await RegisteredCard();
        await SignIn(phone);

        await Page.GetByRole(AriaRole.Link, new() { Name = "Партнери" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Партнери програми", Level = 1 }))
            .ToBeVisibleAsync();
        var partner = Page.Locator("#partners li").Filter(new() { HasText = name });
        await Expect(partner).ToContainTextAsync("5 балів за кожні 100 грн");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Партнери" }))
            .ToHaveAttributeAsync("aria-current", "page");
        await Screenshot("60-partners");
        await AssertAccessible();

        await Page.Locator("#language").SelectOptionAsync("en");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Programme partners" })).ToBeVisibleAsync();
        await Expect(Page.Locator("#partners li").Filter(new() { HasText = name }))
            .ToContainTextAsync("5 points for every 100 UAH");
        await Page.Locator("#language").SelectOptionAsync("ru");
        await Expect(Page.Locator("#partners li").Filter(new() { HasText = name }))
            .ToContainTextAsync("5 баллов за каждые 100 грн");
        await Screenshot("61-partners-ru");
        await AssertAccessible();
    }
}
