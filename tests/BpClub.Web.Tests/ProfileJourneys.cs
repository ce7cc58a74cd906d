using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BpClub.Web.Tests;

/// <summary>The profile page: editing the name and birth date, downloading everything held, leaving the
/// programme.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ProfileJourneys(BrowserFixture fixture) : Journey(fixture)
{
    [Fact]
    public async Task The_member_corrects_the_name_and_downloads_everything_held()
    {
        var (card, phone, station) = await RegisteredCard();
        await Purchase(station, card, "pj-1", 20m, 1200m);
        await SignIn(phone);
        await Page.GetByRole(AriaRole.Link, new() { Name = "Профіль" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Профіль", Exact = true })).ToBeVisibleAsync();
        await Expect(Page.GetByLabel("Ім'я")).ToHaveValueAsync("Olena");
        await Expect(Page.GetByLabel("Прізвище")).ToHaveValueAsync("Kovalenko");
        await Screenshot("20-profile");
        await AssertAccessible();

        await Page.GetByLabel("Прізвище").FillAsync(" ");
        await Button("Зберегти").ClickAsync();
        await Expect(Field("lastName")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(ErrorFor("lastName")).Not.ToBeEmptyAsync();
        await Screenshot("21-profile-field-error");
        await AssertAccessible();

        await Page.GetByLabel("Прізвище").FillAsync("Шевченко");
        await Page.GetByLabel("Дата народження").FillAsync("1985-07-14");
        await Button("Зберегти").ClickAsync();
        await Expect(Page.Locator("#profile-saved")).ToHaveTextAsync("Збережено.");
        await Screenshot("22-profile-saved");
        await AssertAccessible();
        var download = await Page.RunAndWaitForDownloadAsync(() =>
            Page.GetByRole(AriaRole.Link, new() { Name = "Завантажити мої дані" }).ClickAsync());
        Assert.Equal($"bpclub-export-{card}.json", download.SuggestedFilename);
        using var export = JsonDocument.Parse(await File.ReadAllTextAsync(await download.PathAsync()));
        var profile = export.RootElement.GetProperty("profile");
        Assert.Equal(("Olena", "Шевченко", "1985-07-14", phone), (profile.GetProperty("firstName").GetString(),
            profile.GetProperty("lastName").GetString(), profile.GetProperty("birthDate").GetString(),
            profile.GetProperty("phone").GetString()));
        Assert.Contains(export.RootElement.GetProperty("history").EnumerateArray(),
            i => i.GetProperty("kind").GetString() == "purchase");
    }

    [Fact]
    public async Task Leaving_the_programme_needs_the_confirmation_and_the_password_in_english()
    {
        var (card, phone, station) = await RegisteredCard();
        await Purchase(station, card, "pj-2", 30m, 1800m);
        await SignIn(phone);
        await Page.GetByLabel("Мова").SelectOptionAsync("en");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Profile" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Leave the programme" })).ToBeVisibleAsync();

        await Page.GetByLabel("Password to confirm").FillAsync(Password);
        await Button("Leave the programme for good").ClickAsync();
        await Expect(ErrorFor("sure")).ToHaveTextAsync("Confirm that you understand what happens.");
        await Page.GetByLabel("I understand that my points are forfeited and the card is closed").CheckAsync();
        await Page.GetByLabel("Password to confirm").FillAsync("Not-my-password-1");
        await Button("Leave the programme for good").ClickAsync();
        // The phone change has a password of its own on this page: the leaving form's is the one at fault.
        await Expect(Page.Locator("#leave-form [data-error-for='password']"))
            .ToHaveTextAsync("This is not your password.");
        await Expect(Page.Locator("#leave-form input[name='password']")).ToHaveAttributeAsync("aria-invalid", "true");
        await Screenshot("23-leave-wrong-password");
        await AssertAccessible();
        var still = await App.Operator().GetFromJsonAsync<JsonElement>($"/api/admin/v1/cards/{card}");
        Assert.Equal("active", still.GetProperty("status").GetString());

        await Page.GetByLabel("Password to confirm").FillAsync(Password);
        await Button("Leave the programme for good").ClickAsync();
        await Expect(Page.GetByText("You have left the programme. Your personal data has been erased."))
            .ToBeVisibleAsync();
        await Expect(Page.Locator("#nav")).ToBeHiddenAsync();
        await Screenshot("24-left-the-programme");
        await AssertAccessible();

        var summary = await App.Operator().GetFromJsonAsync<JsonElement>($"/api/admin/v1/cards/{card}");
        Assert.Equal(("terminated", 0L), (summary.GetProperty("status").GetString(),
            summary.GetProperty("balance").GetProperty("total").GetInt64()));
        // The browser's session is gone with the membership.
        await Page.GotoAsync("/#/home");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to your cabinet" })).ToBeVisibleAsync();
    }
}
