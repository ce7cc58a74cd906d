using System.Net.Http.Json;
using System.Text.Json;
using BpClub.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BpClub.Web.Tests;

/// <summary>A lost or damaged card: the member moves everything to a new card from a till, proving they hold it by
/// its printed code or by the code sent to the phone the cashier recorded with it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReplacementJourneys(BrowserFixture fixture) : Journey(fixture)
{
    private async Task<long> Total(string card) =>
        (await App.Operator().GetFromJsonAsync<JsonElement>($"/api/admin/v1/cards/{card}"))
        .GetProperty("balance").GetProperty("total").GetInt64();

    [Fact]
    public async Task The_member_moves_to_a_card_the_till_issued_with_their_phone_by_the_code_sent_to_it()
    {
        var (card, phone, station) = await RegisteredCard();
        await Purchase(station, card, "rj-1", 40m, 2400m);
        var fresh = Cards.NewNumber();
        (await App.Client(station).PutAsJsonAsync($"/api/pos/v1/cards/{fresh}",
            new { firstName = "Olena", lastName = "Kovalenko", consent = true, phone })).EnsureSuccessStatusCode();
        await SignIn(phone);

        await Page.GetByRole(AriaRole.Link, new() { Name = "Втратили або пошкодили картку?" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Нова картка замість старої" }))
            .ToBeVisibleAsync();
        await Screenshot("86-replace-card");
        await AssertAccessible();

        // A card nobody issued: a clear error on the field, nothing moves.
        await Page.GetByLabel("Номер нової картки").FillAsync(Cards.NewNumber());
        await Button("Перенести на нову картку").ClickAsync();
        await Expect(ErrorFor("newCardNumber")).ToHaveTextAsync("Цю картку ще не видано. Її видають на касі АЗС.");
        await Expect(Field("newCardNumber")).ToHaveAttributeAsync("aria-invalid", "true");
        await AssertAccessible();

        var before = App.CodesSentTo(phone).Count;
        var spaced = string.Join(' ', fresh.Chunk(4).Select(c => new string(c)));
        await Page.GetByLabel("Номер нової картки").FillAsync(spaced);
        await Button("Перенести на нову картку").ClickAsync();
        await Expect(Page.GetByText("Касир вказав ваш телефон: ми надіслали на нього код.", new() { Exact = false }))
            .ToBeVisibleAsync();
        Assert.Equal((40L, 0L), (await Total(card), await Total(fresh)));
        await Screenshot("87-replace-card-code");
        await AssertAccessible();

        await Field("code").FillAsync(await App.LatestCode(phone, before));
        await Button("Підтвердити перенесення").ClickAsync();
        await Expect(Page.Locator("#replace-done")).ToContainTextAsync(fresh[^4..]);
        await Screenshot("88-replace-card-done");
        await AssertAccessible();
        Assert.Equal((0L, 40L), (await Total(card), await Total(fresh)));

        // Still signed in, now on the new card.
        await Page.GetByRole(AriaRole.Link, new() { Name = "На головну" }).ClickAsync();
        await Expect(Page.Locator("#card-number")).ToHaveTextAsync(spaced);
        await Expect(Page.Locator("#total")).ToHaveTextAsync("40");
    }

    [Fact]
    public async Task A_wrong_printed_code_is_shown_on_its_field_in_english_and_the_right_one_moves_everything()
    {
        var (card, phone, station) = await RegisteredCard();
        await Purchase(station, card, "rj-2", 20m, 1200m);
        var fresh = await App.IssueCard(station);
        await SignIn(phone);
        await Page.GetByLabel("Мова").SelectOptionAsync("en");
        await Page.GotoAsync("/#/replace-card");

        await Page.GetByLabel("New card number").FillAsync(fresh);
        await Page.GetByLabel("Card code").FillAsync("0000-0000-0000");
        await Button("Move to the new card").ClickAsync();
        await Expect(Field("cardCode")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(ErrorFor("cardCode")).Not.ToBeEmptyAsync();
        await Screenshot("89-replace-card-wrong-code");
        await AssertAccessible();
        Assert.Equal((20L, 0L), (await Total(card), await Total(fresh)));

        await Page.GetByLabel("Card code").FillAsync(App.CardCode(fresh)!);
        await Button("Move to the new card").ClickAsync();
        await Expect(Page.Locator("#replace-done")).ToContainTextAsync("The old card is closed.");
        Assert.Equal((0L, 20L), (await Total(card), await Total(fresh)));
    }
}
