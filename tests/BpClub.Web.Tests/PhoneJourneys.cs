using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BpClub.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BpClub.Web.Tests;

/// <summary>The profile page's phone change: the new phone and the password, then the code that phone
/// gets.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneJourneys(BrowserFixture fixture) : Journey(fixture)
{
    private ILocator PhoneForm => Page.Locator("#phone-form");
    private ILocator ConfirmForm => Page.Locator("#phone-confirm-form");

    [Fact]
    public async Task The_member_moves_to_a_new_phone_with_the_password_and_the_code_and_signs_in_with_it()
    {
        var (card, old, _) = await RegisteredCard();
        var phone = BpClubApp.NewPhone();
        await SignIn(old);
        await Page.GetByRole(AriaRole.Link, new() { Name = "Профіль" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Номер телефону" })).ToBeVisibleAsync();
        await Expect(Page.Locator("#phone-current")).ToHaveTextAsync($"Телефон: {old}");
        await Screenshot("80-profile-phone");
        await AssertAccessible();

        // The member's own phone, then a wrong password: told next to the field, nothing sent.
        await Page.GetByLabel("Новий номер телефону").FillAsync(old);
        await Page.GetByLabel("Ваш пароль").FillAsync(Password);
        await Button("Надіслати код").ClickAsync();
        await Expect(PhoneForm.Locator("[data-error-for='phone']")).ToHaveTextAsync("Це вже ваш номер телефону.");
        await Page.GetByLabel("Новий номер телефону").FillAsync(phone);
        await Page.GetByLabel("Ваш пароль").FillAsync("Not-my-password-1");
        await Button("Надіслати код").ClickAsync();
        await Expect(PhoneForm.Locator("[data-error-for='password']")).ToHaveTextAsync("Це не ваш пароль.");
        await Expect(PhoneForm.Locator("input[name='password']")).ToHaveAttributeAsync("aria-invalid", "true");
        await Screenshot("81-phone-wrong-password");
        await AssertAccessible();
        Assert.Empty(App.TextsSentTo(phone));

        await Page.GetByLabel("Ваш пароль").FillAsync(Password);
        await Button("Надіслати код").ClickAsync();
        await Expect(Page.Locator("#phone-code-sent")).ToHaveTextAsync(
            $"Код надіслано на {phone}. Введіть його, щоб завершити зміну.");
        await Expect(PhoneForm).ToBeHiddenAsync();
        var code = await App.LatestCode(phone);
        await Page.GetByLabel("Код з SMS").FillAsync(code == "000000" ? "111111" : "000000");
        await Button("Змінити номер").ClickAsync();
        await Expect(ConfirmForm.Locator("[data-error-for='code']")).ToHaveTextAsync("Неправильний код.");
        await Screenshot("82-phone-wrong-code");
        await AssertAccessible();

        await Page.GetByLabel("Код з SMS").FillAsync(code);
        await Button("Змінити номер").ClickAsync();
        await Expect(Page.Locator("#phone-changed")).ToHaveTextAsync(
            $"Номер змінено. Тепер входьте з номером {phone}.");
        await Expect(Page.Locator("#phone-current")).ToHaveTextAsync($"Телефон: {phone}");
        await Expect(ConfirmForm).ToBeHiddenAsync();
        await Screenshot("83-phone-changed");
        await AssertAccessible();

        // The old phone was told; sign-in takes the new phone only.
        await Poll.Until(() => Task.FromResult(App.TextsSentTo(old)), t => t.Any(s => s.Contains("змінено")),
            TimeSpan.FromSeconds(10), "the text to the old phone");
        var signIn = await App.Client().PostAsJsonAsync("/api/cabinet/v1/sessions", new { phone = old, Password });
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        var summary = await App.Operator().GetFromJsonAsync<JsonElement>($"/api/admin/v1/cards/{card}");
        Assert.EndsWith(phone[^2..], summary.GetProperty("registration").GetProperty("phone").GetString());
        await Page.GetByRole(AriaRole.Button, new() { Name = "Вийти", Exact = true }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Вхід до кабінету" })).ToBeVisibleAsync();
        await SignIn(phone);
    }

    [Fact]
    public async Task In_russian_the_code_is_sent_cancel_goes_back_and_a_landline_is_refused()
    {
        var (_, old, _) = await RegisteredCard();
        var phone = BpClubApp.NewPhone();
        await SignIn(old);
        await Page.GetByLabel("Мова").SelectOptionAsync("ru");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Профиль" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Номер телефона" })).ToBeVisibleAsync();

        await Page.GetByLabel("Новый номер телефона").FillAsync(phone);
        await Page.GetByLabel("Ваш пароль").FillAsync(Password);
        await Button("Отправить код").ClickAsync();
        await Expect(Page.Locator("#phone-code-sent")).ToContainTextAsync("Код отправлен на");
        await Screenshot("84-phone-code-sent-ru");
        await AssertAccessible();

        await Button("Отмена").ClickAsync();
        await Expect(PhoneForm).ToBeVisibleAsync();
        await Expect(Page.GetByLabel("Новый номер телефона")).ToBeFocusedAsync();
        await Page.GetByLabel("Новый номер телефона").FillAsync("+380441234567");
        await Page.GetByLabel("Ваш пароль").FillAsync(Password);
        await Button("Отправить код").ClickAsync();
        await Expect(PhoneForm.Locator("[data-error-for='phone']"))
            .ToHaveTextAsync("Это не номер мобильного телефона, например +380 67 123 45 67.");
        await Screenshot("85-phone-landline-ru");
        await AssertAccessible();
    }
}
