namespace BpClub.Api.Tests;

/// <summary>The member moves to a new phone: the password, then the code sent to that phone; the phone index (the
/// members row's unique phone) moves at once or not at all.</summary>
[Collection(ServiceCollection.Name)]
public sealed class PhoneChangeTests(AppFixture fixture)
{
    private readonly BpClubApp _app = fixture.App;

    private async Task<Member> NewMember() => await _app.NewMember(await _app.NewStationKey());

    /// <summary>Starts a change to <paramref name="phone"/> and returns its id and the code the phone got (null when
    /// the text carried none).</summary>
    private async Task<(string Id, string? Code)> Start(Member member, string phone)
    {
        var before = _app.TextsSentTo(phone).Count;
        var started = await member.Client().PutAsJsonAsync("/api/cabinet/v1/phone",
            new { phone, password = member.Password }).Expect(HttpStatusCode.Accepted);
        Assert.True(started.GetProperty("codeExpiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        var texts = await Poll.Until(() => Task.FromResult(_app.TextsSentTo(phone)), t => t.Count > before,
            TimeSpan.FromSeconds(10), $"a text to {phone}");
        var code = System.Text.RegularExpressions.Regex.Match(texts[^1], @"\b\d{6}\b");
        return (started.GetProperty("phoneChangeId").GetString()!, code.Success ? code.Value : null);
    }

    /// <summary>A problem without what differs per request (its trace id).</summary>
    private static string Shape(JsonElement problem) => string.Join("|", problem.GetProperty("title").GetString(),
        problem.GetProperty("status").GetInt32(), problem.GetProperty("errors").ToString());

    private Task<HttpResponseMessage> Confirm(Member member, string id, string code) =>
        member.Client().PostAsJsonAsync($"/api/cabinet/v1/phone-changes/{id}/confirm", new { code });

    private async Task<string?> PhoneOf(string card) => await _app.Cluster.Database.Scalar<string>(
        "select phone from members where card_number = @card", card);

    private async Task SignInFails(string phone, string password) =>
        await _app.Client().PostAsJsonAsync("/api/cabinet/v1/sessions", new { phone, password })
            .ExpectProblem(HttpStatusCode.Unauthorized);

    [Fact]
    public async Task The_member_moves_to_a_new_phone_with_the_password_and_its_code_and_then_signs_in_with_it_only()
    {
        // Issued with a phone, so the questionnaire holds one too.
        var station = _app.Client(await _app.NewStationKey());
        var (card, old) = (Cards.NewNumber(), BpClubApp.NewPhone());
        await station.PutAsJsonAsync($"/api/pos/v1/cards/{card}",
            new { firstName = "Ivanna", lastName = "Moroz", phone = old, consent = true })
            .Expect(HttpStatusCode.Created);
        const string password = "Sunflower-2026";
        var member = new Member(_app, card, old, password, await _app.Register(card, old, password));
        var phone = BpClubApp.NewPhone();
        var textsToOld = _app.TextsSentTo(old).Count;

        var (id, code) = await Start(member, phone);
        Assert.NotNull(code);
        // Nothing changes until the code comes back.
        Assert.Equal(old, await PhoneOf(card));
        await _app.SignIn(old, password);
        await SignInFails(phone, password);
        await Confirm(member, id, code == "000000" ? "111111" : "000000").ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Equal(old, await PhoneOf(card));

        var me = await Confirm(member, id, code!).Expect(HttpStatusCode.OK);
        Assert.Equal((card, phone), (me.GetProperty("cardNumber").GetString(), me.GetProperty("phone").GetString()));
        Assert.Equal(phone, (await member.Client().GetFromJsonAsync<JsonElement>("/api/cabinet/v1/me"))
            .GetProperty("phone").GetString());
        Assert.Equal(phone, await PhoneOf(card));
        Assert.Equal(phone, await _app.Cluster.Database.Scalar<string>(
            "select phone from card_holders where card_number = @card", card));

        // Sign-in works with the new phone only; the old one hears of the change; the code is spent.
        await _app.SignIn(phone, password);
        await SignInFails(old, password);
        var told = await Poll.Until(() => Task.FromResult(_app.TextsSentTo(old)), t => t.Count > textsToOld,
            TimeSpan.FromSeconds(10), "the text to the old phone");
        Assert.Contains("змінено", told[^1], StringComparison.Ordinal);
        Assert.Contains(phone[^2..], told[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(phone, told[^1], StringComparison.Ordinal);
        await Confirm(member, id, code!).ExpectProblem(HttpStatusCode.Conflict);
        // The old phone is free again: a card can be registered with it.
        var next = await _app.IssueCard(await _app.NewStationKey());
        await _app.Register(next, old);
    }

    [Fact]
    public async Task A_phone_that_holds_a_card_answers_as_a_free_one_and_never_moves()
    {
        var member = await NewMember();
        var owner = await NewMember();
        var (takenId, takenCode) = await Start(member, owner.Phone);
        Assert.Null(takenCode); // the owner's text has no code in it
        var (freeId, _) = await Start(member, BpClubApp.NewPhone());

        // Every code is wrong for the taken phone, exactly as a wrong code is for a free one.
        var taken = await Confirm(member, takenId, "123456").ExpectProblem(HttpStatusCode.BadRequest);
        var free = await Confirm(member, freeId, "123456").ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Equal(Shape(free), Shape(taken));
        for (var i = 0; i < 10; i++)
            await Confirm(member, takenId, $"{i:D6}");

        Assert.Equal((member.Phone, owner.Phone), (await PhoneOf(member.Card), await PhoneOf(owner.Card)));
        await _app.SignIn(member.Phone, member.Password);
        await _app.SignIn(owner.Phone, owner.Password);
    }

    [Fact]
    public async Task Two_members_racing_for_one_new_phone_leave_it_with_exactly_one_and_each_with_a_phone()
    {
        for (var round = 0; round < 4; round++)
        {
            var (first, second) = (await NewMember(), await NewMember());
            var phone = BpClubApp.NewPhone();
            var (firstId, firstCode) = await Start(first, phone);
            var (secondId, secondCode) = await Start(second, phone);

            var answers = await Task.WhenAll(Confirm(first, firstId, firstCode!), Confirm(second, secondId,
                secondCode!));
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict],
                answers.Select(a => a.StatusCode).Order().ToArray());
            var (winner, loser) = answers[0].StatusCode == HttpStatusCode.OK ? (first, second) : (second, first);

            Assert.Equal(1, await _app.Cluster.Database.Scalar<long>(
                "select count(*) from members where phone = @card", phone));
            Assert.Equal((phone, loser.Phone), (await PhoneOf(winner.Card), await PhoneOf(loser.Card)));
            await _app.SignIn(phone, winner.Password);
            await _app.SignIn(loser.Phone, loser.Password);
            await SignInFails(winner.Phone, winner.Password);
        }
    }

    [Fact]
    public async Task A_stolen_session_cannot_change_the_phone_and_its_guesses_count_against_sign_in()
    {
        var member = await NewMember();
        var phone = BpClubApp.NewPhone();
        for (var i = 1; i < 5; i++)
        {
            var wrong = await member.Client().PutAsJsonAsync("/api/cabinet/v1/phone",
                new { phone, password = $"Guess-number-{i}" }).ExpectProblem(HttpStatusCode.BadRequest);
            Assert.True(wrong.GetProperty("errors").TryGetProperty("password", out _));
        }
        var locked = await member.Client().PutAsJsonAsync("/api/cabinet/v1/phone",
            new { phone, password = "Guess-number-5" });
        await locked.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.NotNull(locked.Headers.RetryAfter);

        // The lock is sign-in's: the right password is refused here and there, and no text went anywhere.
        await member.Client().PutAsJsonAsync("/api/cabinet/v1/phone", new { phone, password = member.Password })
            .ExpectProblem(HttpStatusCode.TooManyRequests);
        await _app.Client().PostAsJsonAsync("/api/cabinet/v1/sessions",
            new { phone = member.Phone, password = member.Password }).ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.Empty(_app.TextsSentTo(phone));
        Assert.Equal(member.Phone, await PhoneOf(member.Card));
    }

    [Fact]
    public async Task Wrong_sign_in_passwords_count_towards_the_lock_on_changing_the_phone()
    {
        var member = await NewMember();
        for (var i = 1; i < 5; i++) await SignInFails(member.Phone, $"Guess-{i}-x");
        await member.Client().PutAsJsonAsync("/api/cabinet/v1/phone",
            new { phone = BpClubApp.NewPhone(), password = "Guess-5-x" }).ExpectProblem(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task A_change_confirms_only_for_its_own_member_and_session()
    {
        var (member, other) = (await NewMember(), await NewMember());
        var phone = BpClubApp.NewPhone();
        var (id, code) = await Start(member, phone);

        // Another member holding the id and the code gets nothing moved, to their card or to this one.
        await Confirm(other, id, code!).ExpectProblem(HttpStatusCode.NotFound);
        await Confirm(other, Guid.NewGuid().ToString(), code!).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal((member.Phone, other.Phone), (await PhoneOf(member.Card), await PhoneOf(other.Card)));

        // A session ended meanwhile (a sign-out, say) cannot finish it; another session of the member can.
        var signedIn = _app.Client(bearer: await _app.SignIn(member.Phone, member.Password));
        await member.Client().DeleteAsync("/api/cabinet/v1/sessions/current").Expect(HttpStatusCode.NoContent);
        await Confirm(member, id, code!).ExpectProblem(HttpStatusCode.Unauthorized);
        Assert.Equal(member.Phone, await PhoneOf(member.Card));
        await signedIn.PostAsJsonAsync($"/api/cabinet/v1/phone-changes/{id}/confirm", new { code })
            .Expect(HttpStatusCode.OK);
        Assert.Equal(phone, await PhoneOf(member.Card));
    }

    [Fact]
    public async Task The_phone_the_member_already_has_is_a_400_and_sends_nothing()
    {
        var member = await NewMember();
        var texts = _app.TextsSentTo(member.Phone).Count;
        var refused = await member.Client().PutAsJsonAsync("/api/cabinet/v1/phone",
            new { phone = member.Phone, password = member.Password }).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.True(refused.GetProperty("errors").TryGetProperty("phone", out _));
        Assert.Equal(texts, _app.TextsSentTo(member.Phone).Count);
    }
}
