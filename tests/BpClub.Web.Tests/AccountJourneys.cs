using System.Net.Http.Json;
using BpClub.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BpClub.Web.Tests;

/// <summary>Registering, signing in and out, passwords: the member's account in the browser.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccountJourneys(BrowserFixture fixture) : Journey(fixture)
{
    [Fact]
    public async Task Register_a_card_with_the_sms_code_and_land_on_home()
    {
        var station = await App.NewStationKey();
        var card = await App.IssueCard(station);
        var phone = BpClubApp.NewPhone();

        await Page.GotoAsync("/");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Вхід до кабінету" })).ToBeVisibleAsync();
        await Expect(Page.Locator("#nav")).ToBeHiddenAsync();
        await Screenshot("01-sign-in");
        await AssertAccessible();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Зареєструвати картку" }).ClickAsync();

        await Page.GetByLabel("Номер картки").FillAsync(card);
        await Page.GetByLabel("Номер телефону").FillAsync("12345");
        await Page.GetByLabel("Новий пароль").FillAsync(Password);
        await Button("Отримати код").ClickAsync();
        // The server's validation error, shown next to its field in Ukrainian.
        await Expect(ErrorFor("phone"))
            .ToHaveTextAsync("Це не номер мобільного телефону, наприклад +380 67 123 45 67.");
        await Expect(Field("phone")).ToHaveAttributeAsync("aria-invalid", "true");
        await Screenshot("02-register-field-error");
        await AssertAccessible();

        await Page.GetByLabel("Номер телефону").FillAsync(phone);
        await Button("Отримати код").ClickAsync();
        // The till recorded no phone: the code printed on the card proves it is the holder's.
        await Expect(ErrorFor("cardCode")).ToHaveTextAsync("Введіть код, надрукований на картці.");
        await Page.GetByLabel("Код картки").FillAsync("ABCD-EFGH-JKMN");
        await Button("Отримати код").ClickAsync();
        await Expect(ErrorFor("cardCode")).ToHaveTextAsync("Неправильний код картки.");
        await Expect(Field("cardCode")).ToHaveAttributeAsync("aria-invalid", "true");
        await Screenshot("02b-register-wrong-card-code");
        await AssertAccessible();
        Assert.Empty(App.TextsSentTo(phone));

        await Page.GetByLabel("Код картки").FillAsync(App.CardCode(card)!);
        await Button("Отримати код").ClickAsync();
        await Expect(Page.GetByLabel("Код з SMS")).ToBeVisibleAsync();
        var code = await App.LatestCode(phone);
        await Page.GetByLabel("Код з SMS").FillAsync(code == "000000" ? "111111" : "000000");
        await Button("Підтвердити").ClickAsync();
        await Expect(ErrorFor("code")).ToHaveTextAsync("Неправильний код.");
        await Screenshot("03-register-wrong-code");

        await Page.GetByLabel("Код з SMS").FillAsync(code);
        await Button("Підтвердити").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Вітаємо, Olena!" })).ToBeVisibleAsync();
        await Expect(Page.Locator("#card-number"))
            .ToHaveTextAsync(string.Join(' ', card.Chunk(4).Select(c => new string(c))));
        await Expect(Page.Locator("#available")).ToHaveTextAsync("0");
        await Expect(Page.Locator("svg.barcode")).ToBeVisibleAsync();
        await Screenshot("04-registered-home");
        await AssertAccessible();
    }

    [Fact]
    public async Task A_card_issued_with_a_phone_is_refused_to_another_phone_in_english_too()
    {
        var card = Cards.NewNumber();
        var recorded = BpClubApp.NewPhone();
        var response = await App.Client(await App.NewStationKey()).PutAsJsonAsync($"/api/pos/v1/cards/{card}",
            new { firstName = "Olena", lastName = "Kovalenko", phone = recorded, consent = true });
        response.EnsureSuccessStatusCode();
        var other = BpClubApp.NewPhone();

        await Page.GotoAsync("/#/register");
        await Page.GetByLabel("Мова").SelectOptionAsync("en");
        await Page.GetByLabel("Card number").FillAsync(card);
        await Page.GetByLabel("Phone number").FillAsync(other);
        await Page.GetByLabel("New password").FillAsync(Password);
        await Button("Send me a code").ClickAsync();
        await Expect(ErrorFor("phone"))
            .ToHaveTextAsync(
                "This card can only be registered with the phone number given at the till when it was issued.");
        await Screenshot("05-register-another-phone-en");
        await AssertAccessible();
        Assert.Empty(App.TextsSentTo(other));
    }

    [Fact]
    public async Task Change_the_password_sign_out_and_sign_in_with_the_new_one()
    {
        var (_, phone, _) = await RegisteredCard();
        await SignIn(phone);
        await Page.GetByRole(AriaRole.Link, new() { Name = "Налаштування" }).ClickAsync();

        await Page.GetByLabel("Поточний пароль").FillAsync("not my password");
        await Page.GetByLabel("Новий пароль").FillAsync("Chestnut-2027");
        await Button("Змінити пароль").ClickAsync();
        await Expect(ErrorFor("currentPassword")).ToHaveTextAsync("Це не ваш поточний пароль.");

        await Page.GetByLabel("Поточний пароль").FillAsync(Password);
        await Page.GetByLabel("Новий пароль").FillAsync("Chestnut-2027");
        await Button("Змінити пароль").ClickAsync();
        await Expect(Page.Locator("#password-changed")).ToHaveTextAsync("Пароль змінено. Інші сеанси завершено.");
        await Expect(Page.GetByLabel("Новий пароль")).ToHaveAttributeAsync("autocomplete", "new-password");
        await Screenshot("10-password-changed");

        await Button("Вийти").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Вхід до кабінету" })).ToBeVisibleAsync();
        await Expect(Page.Locator("#nav")).ToBeHiddenAsync();
        // The keyboard alone: type, Tab to the next field, Enter to send.
        await Field("phone").FocusAsync();
        await Page.Keyboard.TypeAsync(phone);
        await Page.Keyboard.PressAsync("Tab");
        await Page.Keyboard.TypeAsync(Password);
        await Page.Keyboard.PressAsync("Enter");
        await Expect(ErrorFor("password")).ToHaveTextAsync("Неправильний номер телефону або пароль.");
        await Expect(Field("password")).ToBeFocusedAsync();
        await Field("password").FillAsync("Chestnut-2027");
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.Locator("#available")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Forgotten_password_is_set_anew_with_the_sms_code()
    {
        var (_, phone, _) = await RegisteredCard();
        var codesBefore = App.CodesSentTo(phone).Count;

        await Page.GotoAsync("/#/signin");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Забули пароль?" }).ClickAsync();
        await Page.GetByLabel("Номер телефону").FillAsync(phone);
        await Button("Надіслати код").ClickAsync();
        await Expect(Page.GetByLabel("Код з SMS")).ToBeVisibleAsync();
        await Page.GetByLabel("Код з SMS").FillAsync(await App.LatestCode(phone, codesBefore));
        await Page.GetByLabel("Новий пароль").FillAsync("short");
        await Button("Зберегти новий пароль").ClickAsync();
        await Expect(ErrorFor("newPassword")).ToHaveTextAsync("Щонайменше 8 символів.");
        await Screenshot("20-forgot-password");

        await Page.GetByLabel("Новий пароль").FillAsync("Walnut-tree-9");
        await Button("Зберегти новий пароль").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Пароль змінено. Увійдіть з новим паролем.");
        await Screenshot("21-forgot-password-done");
        await SignIn(phone, "Walnut-tree-9");
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_sign_in_with_a_plain_message()
    {
        var (_, phone, _) = await RegisteredCard();
        await Page.GotoAsync("/#/signin");
        await Field("phone").FillAsync(phone);
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await Field("password").FillAsync($"wrong password {attempt}");
            await Button("Увійти").ClickAsync();
            await Expect(ErrorFor("password")).ToHaveTextAsync("Неправильний номер телефону або пароль.");
        }
        await Field("password").FillAsync("wrong password 5");
        await Button("Увійти").ClickAsync();
        await Expect(ErrorFor("password"))
            .ToContainTextAsync("Забагато неправильних паролів. Вхід для цього номера заблоковано до ");
        await Screenshot("30-locked-out");

        // Even the right password waits out the lock.
        await Field("password").FillAsync(Password);
        await Button("Увійти").ClickAsync();
        await Expect(ErrorFor("password")).ToContainTextAsync("заблоковано");
        await Expect(Page.Locator("#available")).ToHaveCountAsync(0);
    }
}
