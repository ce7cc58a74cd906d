using System.Security.Cryptography;
using System.Text;

namespace BpClub.Api.Tests;

/// <summary>
/// Knowing a card's number (printed on it, on every receipt) is not owning it: registration proves possession by the
/// phone the till recorded or by the card's code, and switching spending on needs the password again.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class CardPossessionTests(AppFixture fixture)
{
    private const string Registrations = "/api/cabinet/v1/registrations";
    private const string Spending = "/api/cabinet/v1/spending";
    private readonly BpClubApp _app = fixture.App;

    private static object Registration(string card, string phone, string? cardCode = null) =>
        new { cardNumber = card, phone, password = "Sunflower-2026", cardCode };

    [Fact]
    public async Task A_card_issued_with_phone_A_cannot_be_registered_with_phone_B_and_B_gets_no_sms()
    {
        var station = _app.Client(await _app.NewStationKey());
        var (phoneA, phoneB) = (BpClubApp.NewPhone(), BpClubApp.NewPhone());
        var card = Cards.NewNumber();
        var issued = await station.PutAsJsonAsync($"/api/pos/v1/cards/{card}",
            new { firstName = "Olena", lastName = "Kovalenko", phone = phoneA, consent = true })
                .Expect(HttpStatusCode.Created);
        // With a recorded phone there is no code to show: the phone is the proof.
        Assert.Equal(JsonValueKind.Null, issued.GetProperty("cardCode").ValueKind);

        var refused = await _app.Client().PostAsJsonAsync(Registrations, Registration(card, phoneB))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        var detail = refused.ToString();
        // Nothing of the recorded phone in the answer: not the number, nor its last digits.
        Assert.DoesNotContain(phoneA[^4..], detail, StringComparison.Ordinal);
        Assert.DoesNotContain(phoneA[4..], detail, StringComparison.Ordinal);
        // A code from someone else's card would not help either.
        await _app.Client().PostAsJsonAsync(Registrations, Registration(card, phoneB, "ABCD-EFGH-JKMN"))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Empty(_app.TextsSentTo(phoneB));
        Assert.Empty(_app.TextsSentTo(phoneA));

        // The holder, with the phone the till recorded, registers as before.
        var token = await _app.Register(card, phoneA, "Sunflower-2026");
        var me = await _app.Client(bearer: token).GetFromJsonAsync<JsonElement>("/api/cabinet/v1/me");
        Assert.Equal(phoneA, me.GetProperty("phone").GetString());
    }

    [Fact]
    public async Task A_card_issued_without_a_phone_shows_its_code_once_and_registers_only_with_it()
    {
        var station = _app.Client(await _app.NewStationKey());
        var card = Cards.NewNumber();
        var questionnaire = new { firstName = "Taras", lastName = "Melnyk", consent = true };
        var issued = await station.PutAsJsonAsync($"/api/pos/v1/cards/{card}", questionnaire)
            .Expect(HttpStatusCode.Created);
        var code = issued.GetProperty("cardCode").GetString()!;
        Assert.Matches("^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$", code);

        // A replay of the issue (the till retrying) answers the card without the code; so does every other read.
        var again = await station.PutAsJsonAsync($"/api/pos/v1/cards/{card}", questionnaire).Expect(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, again.GetProperty("cardCode").ValueKind);
        var support = await _app.Operator().GetStringAsync($"/api/admin/v1/cards/{card}");
        Assert.Contains(card, support, StringComparison.Ordinal);
        Assert.DoesNotContain(code.Replace("-", "", StringComparison.Ordinal), support.Replace("-", "",
            StringComparison.Ordinal), StringComparison.Ordinal);
        // Stored only as its hash, nowhere as text.
        var database = _app.Cluster.Database;
        var stored = await database.Scalar<byte[]>("select card_code_hash from card_holders where card_number = @card",
            card);
        Assert.Equal(SHA256.HashData(Encoding.ASCII.GetBytes(code.Replace("-", "", StringComparison.Ordinal))), stored);
        await using (var search = database.CreateCommand("""
            select (select count(*) from card_operations where card_number = @card
                        and (strpos(result::text, @code) > 0 or strpos(result::text, @bare) > 0))
                 + (select count(*) from card_ledger where card_number = @card
                        and (strpos(event::text, @code) > 0 or strpos(event::text, @bare) > 0))
            """))
        {
            search.Parameters.AddWithValue("card", card);
            search.Parameters.AddWithValue("code", code);
            search.Parameters.AddWithValue("bare", code.Replace("-", "", StringComparison.Ordinal));
            Assert.Equal(0L, (long)(await search.ExecuteScalarAsync())!);
        }

        var phone = BpClubApp.NewPhone();
        await _app.Client().PostAsJsonAsync(Registrations, Registration(card, phone))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        var wrong = code[..^1] + (code[^1] == 'A' ? 'B' : 'A');
        await _app.Client().PostAsJsonAsync(Registrations, Registration(card, phone, wrong))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Empty(_app.TextsSentTo(phone));

        // Typed as people type it: small letters, no dashes.
        await _app.Client().PostAsJsonAsync(Registrations,
            Registration(card, phone, code.Replace("-", " ", StringComparison.Ordinal).ToLowerInvariant()))
            .Expect(HttpStatusCode.Accepted);
        Assert.Single(_app.CodesSentTo(phone));
    }

    [Fact]
    public async Task Five_wrong_card_codes_lock_the_cards_registration_for_an_hour_even_for_the_right_code()
    {
        var card = await _app.IssueCard(await _app.NewStationKey());
        var code = _app.CardCode(card)!;
        var wrong = code[..^1] + (code[^1] == 'A' ? 'B' : 'A');
        for (var i = 1; i <= 4; i++)
        {
            // From as many phones: the lock belongs to the card, not to whoever guesses.
            await _app.Client().PostAsJsonAsync(Registrations, Registration(card, BpClubApp.NewPhone(), wrong))
                .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        }
        var fifth = await _app.Client().PostAsJsonAsync(Registrations, Registration(card, BpClubApp.NewPhone(), wrong));
        await fifth.ExpectProblem(HttpStatusCode.TooManyRequests);
        var retryAfter = fifth.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));

        var phone = BpClubApp.NewPhone();
        await _app.Client().PostAsJsonAsync(Registrations, Registration(card, phone, code))
            .ExpectProblem(HttpStatusCode.TooManyRequests);
        // The lock is in the database: a restarted or moved grain keeps it.
        await _app.Cluster.DeactivateAll();
        await _app.Client().PostAsJsonAsync(Registrations, Registration(card, phone, code))
            .ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.Empty(_app.TextsSentTo(phone));
    }

    [Fact]
    public async Task Switching_spending_on_needs_the_password_and_tells_the_member_by_sms_switching_off_needs_nothing()
    {
        var member = await _app.NewMember(await _app.NewStationKey());
        var client = member.Client();
        var textsBefore = _app.TextsSentTo(member.Phone).Count;

        var missing = await client.PutAsJsonAsync(Spending, new { enabled = true })
            .ExpectProblem(HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("password", out _));
        await client.PutAsJsonAsync(Spending, new { enabled = true, password = "Not-The-Password-1" })
            .ExpectProblem(HttpStatusCode.BadRequest);
        Assert.False((await client.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/me")).GetProperty("spendingEnabled")
            .GetBoolean());
        Assert.Equal(textsBefore, _app.TextsSentTo(member.Phone).Count);

        var on = await client.PutAsJsonAsync(Spending, new { enabled = true, password = member.Password })
            .Expect(HttpStatusCode.OK);
        Assert.True(on.GetProperty("enabled").GetBoolean());
        var text = Assert.Single(_app.TextsSentTo(member.Phone).Skip(textsBefore));
        Assert.Contains("увімкнено", text, StringComparison.Ordinal);
        Assert.Contains(member.Card[^4..], text, StringComparison.Ordinal);

        // Off at once, with no password: a lost card must be quick to protect.
        var off = await client.PutAsJsonAsync(Spending, new { enabled = false }).Expect(HttpStatusCode.OK);
        Assert.False(off.GetProperty("enabled").GetBoolean());
        Assert.Equal(textsBefore + 1, _app.TextsSentTo(member.Phone).Count);
    }

    [Fact]
    public async Task Wrong_passwords_to_switch_spending_on_lock_it_so_a_stolen_session_cannot_guess_the_password()
    {
        var member = await _app.NewMember(await _app.NewStationKey());
        var client = member.Client();
        for (var i = 1; i < 5; i++)
            await client.PutAsJsonAsync(Spending, new { enabled = true, password = $"Guess-number-{i}" })
                .ExpectProblem(HttpStatusCode.BadRequest);
        await client.PutAsJsonAsync(Spending, new { enabled = true, password = "Guess-number-5" })
            .ExpectProblem(HttpStatusCode.TooManyRequests);
        await client.PutAsJsonAsync(Spending, new { enabled = true, password = member.Password })
            .ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.False((await client.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/me")).GetProperty("spendingEnabled")
            .GetBoolean());
    }
}
