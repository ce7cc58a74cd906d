namespace BpClub.Api.Tests;

/// <summary>
/// A lost or damaged card replaced by a new one from the till, by its member or an operator. Points are money: the
/// new card must be in the member's hands, everything moves once, and the old card is closed to every till.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class CardReplacementApiTests(AppFixture fixture)
{
    private const string Replacements = "/api/cabinet/v1/card-replacements";
    private readonly BpClubApp _app = fixture.App;

    private static string OperatorPath(string card) => $"/api/admin/v1/cards/{card}/replacement";

    private async Task<(Member Member, string Station, string NewCard)> MemberWithPoints()
    {
        var station = await _app.NewStationKey();
        var member = await _app.NewMember(station);
        await _app.Client(station).Purchase(Http.FuelPurchase("rp-1", member.Card, litres: 40m, amount: 2400m));
        return (member, station, await _app.IssueCard(station));
    }

    private async Task<long> Total(string card) =>
        (await _app.Operator().GetFromJsonAsync<JsonElement>($"/api/admin/v1/cards/{card}"))
        .GetProperty("balance").GetProperty("total").GetInt64();

    [Fact]
    public async Task The_member_moves_everything_to_the_new_card_with_its_code_and_stays_signed_in_on_it()
    {
        var (member, station, fresh) = await MemberWithPoints();

        var replaced = await member.Client().PostAsJsonAsync(Replacements,
            new { newCardNumber = fresh, cardCode = _app.CardCode(fresh) }).Expect(HttpStatusCode.Created);

        Assert.Equal((member.Card, fresh, 40L),
            (replaced.GetProperty("cardNumber").GetString(), replaced.GetProperty("newCardNumber").GetString(),
                replaced.GetProperty("onHold").GetInt64()));
        var token = replaced.GetProperty("session").GetProperty("accessToken").GetString()!;
        var onNew = _app.Client(bearer: token);
        Assert.Equal(fresh, (await onNew.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/me"))
            .GetProperty("cardNumber").GetString());
        Assert.Equal(40L, (await onNew.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/balance"))
            .GetProperty("total").GetInt64());
        var kinds = (await onNew.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/history?limit=100"))
            .GetProperty("items").EnumerateArray().Select(i => i.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["transferred", "issued", "replaced", "replacing", "purchase", "issued"], kinds);
        // The old token named the old card, which has no account any more; the same phone signs in on the new one.
        await member.Client().GetAsync("/api/cabinet/v1/balance").ExpectProblem(HttpStatusCode.Unauthorized);
        var signedIn = _app.Client(bearer: await _app.SignIn(member.Phone, member.Password));
        Assert.Equal(fresh, (await signedIn.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/me"))
            .GetProperty("cardNumber").GetString());
        Assert.Equal((0L, 40L), (await Total(member.Card), await Total(fresh)));

        // Tills: the old card is closed, with a clear title; a refund of its receipt goes to the new card.
        var till = _app.Client(station);
        var refused = await till.PostAsJsonAsync("/api/pos/v1/purchases", Http.FuelPurchase("rp-2", member.Card))
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Card replaced", refused.GetProperty("title").GetString());
        await till.PostAsJsonAsync("/api/pos/v1/redemptions",
                new { redemptionId = "rd-1", cardNumber = member.Card, points = 1 })
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        await till.PostAsJsonAsync("/api/pos/v1/refunds",
            new { refundId = "rf-1", receiptId = "rp-1", cardNumber = member.Card })
            .Expect(HttpStatusCode.Created);
        Assert.Equal((0L, 0L), (await Total(member.Card), await Total(fresh)));
    }

    [Fact]
    public async Task A_wrong_code_moves_nothing_and_wrong_codes_lock_the_new_card_as_at_registration()
    {
        var (member, _, fresh) = await MemberWithPoints();

        var wrong = await member.Client().PostAsJsonAsync(Replacements,
            new { newCardNumber = fresh, cardCode = "0000-0000-0000" })
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("cardCode", wrong.GetProperty("detail").GetString());
        await member.Client().PostAsJsonAsync(Replacements, new { newCardNumber = fresh })
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        for (var i = 0; i < 4; i++)
            await member.Client().PostAsJsonAsync(Replacements,
                new { newCardNumber = fresh, cardCode = "0000-0000-0000" });
        // Locked: now even the right code is refused for a while.
        await member.Client().PostAsJsonAsync(Replacements,
            new { newCardNumber = fresh, cardCode = _app.CardCode(fresh) })
            .ExpectProblem(HttpStatusCode.TooManyRequests);

        Assert.Equal((40L, 0L), (await Total(member.Card), await Total(fresh)));
        Assert.Equal(member.Card, (await member.Client().GetFromJsonAsync<JsonElement>("/api/cabinet/v1/me"))
            .GetProperty("cardNumber").GetString());
    }

    [Fact]
    public async Task A_new_card_the_till_issued_with_the_members_phone_moves_only_with_the_code_sent_to_that_phone()
    {
        var (member, station, _) = await MemberWithPoints();
        var fresh = Cards.NewNumber();
        await _app.Client(station).PutAsJsonAsync($"/api/pos/v1/cards/{fresh}",
            new { firstName = "Olena", lastName = "Kovalenko", consent = true, phone = member.Phone })
            .Expect(HttpStatusCode.Created);
        var before = _app.CodesSentTo(member.Phone).Count;

        // A session alone moves nothing, even with some card code thrown in: a code goes to the member's phone.
        var started = await member.Client().PostAsJsonAsync(Replacements,
            new { newCardNumber = fresh, cardCode = "0000-0000-0000" }).Expect(HttpStatusCode.Accepted);
        var id = started.GetProperty("replacementId").GetString();
        Assert.True(started.GetProperty("codeExpiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        var code = await _app.LatestCode(member.Phone, before);
        Assert.Contains(fresh[^4..], _app.TextsSentTo(member.Phone)[^1]);
        Assert.Equal((40L, 0L), (await Total(member.Card), await Total(fresh)));

        var confirm = $"{Replacements}/{id}/confirm";
        var wrong = code == "000000" ? "111111" : "000000";
        await member.Client().PostAsJsonAsync(confirm, new { code = wrong })
            .ExpectProblem(HttpStatusCode.BadRequest);
        // Another member's session cannot use this member's confirmation, even with the right code.
        var stranger = await _app.NewMember(station);
        await stranger.Client().PostAsJsonAsync(confirm, new { code }).ExpectProblem(HttpStatusCode.NotFound);
        await member.Client().PostAsJsonAsync($"{Replacements}/{Guid.NewGuid()}/confirm", new { code })
            .ExpectProblem(HttpStatusCode.NotFound);
        Assert.Equal((40L, 0L, 0L), (await Total(member.Card), await Total(fresh), await Total(stranger.Card)));

        var replaced = await member.Client().PostAsJsonAsync(confirm, new { code }).Expect(HttpStatusCode.Created);
        Assert.Equal(fresh, replaced.GetProperty("newCardNumber").GetString());
        var onNew = _app.Client(bearer: replaced.GetProperty("session").GetProperty("accessToken").GetString()!);
        Assert.Equal(fresh, (await onNew.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/me"))
            .GetProperty("cardNumber").GetString());
        Assert.Equal((0L, 40L), (await Total(member.Card), await Total(fresh)));
        // The code is spent: on the new card's session the old confirmation is unknown.
        await onNew.PostAsJsonAsync(confirm, new { code }).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Unknown_registered_or_phone_bound_new_cards_are_refused_and_nothing_moves()
    {
        var (member, station, _) = await MemberWithPoints();
        var other = await _app.NewMember(station);
        // A card the till issued with someone else's phone: the member cannot prove it is theirs.
        var bound = Cards.NewNumber();
        await _app.Client(station).PutAsJsonAsync($"/api/pos/v1/cards/{bound}",
            new { firstName = "Petro", lastName = "Ivanenko", consent = true, phone = BpClubApp.NewPhone() })
            .Expect(HttpStatusCode.Created);

        await member.Client().PostAsJsonAsync(Replacements, new { newCardNumber = Cards.NewNumber(), cardCode = "x" })
            .ExpectProblem(HttpStatusCode.NotFound);
        await member.Client().PostAsJsonAsync(Replacements,
            new { newCardNumber = other.Card, cardCode = _app.CardCode(other.Card) })
            .ExpectProblem(HttpStatusCode.Conflict);
        await member.Client().PostAsJsonAsync(Replacements, new { newCardNumber = bound })
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        await _app.Operator().PostAsJsonAsync(OperatorPath(member.Card), new { newCardNumber = other.Card })
            .ExpectProblem(HttpStatusCode.Conflict);
        await _app.Operator().PostAsJsonAsync(OperatorPath(member.Card), new { newCardNumber = Cards.NewNumber() })
            .ExpectProblem(HttpStatusCode.NotFound);

        Assert.Equal(40L, await Total(member.Card));
        var lookup = await _app.Operator().GetFromJsonAsync<JsonElement>($"/api/admin/v1/cards/{member.Card}");
        Assert.Equal("active", lookup.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_operator_replaces_a_card_once_however_often_the_request_is_sent()
    {
        var (member, _, fresh) = await MemberWithPoints();

        var first = await _app.Operator().PostAsJsonAsync(OperatorPath(member.Card), new { newCardNumber = fresh })
            .Expect(HttpStatusCode.Created);
        var again = await _app.Operator().PostAsJsonAsync(OperatorPath(member.Card), new { newCardNumber = fresh })
            .Expect(HttpStatusCode.OK);

        Assert.Equal(first.GetProperty("transferId").GetString(), again.GetProperty("transferId").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("session").ValueKind);
        Assert.Equal((0L, 40L), (await Total(member.Card), await Total(fresh)));
        var lookup = await _app.Operator().GetFromJsonAsync<JsonElement>($"/api/admin/v1/cards/{member.Card}");
        Assert.Equal(("replaced", fresh),
            (lookup.GetProperty("status").GetString(), lookup.GetProperty("replacedBy").GetString()));
        // The member signs in with the same phone and password and finds the new card.
        var signedIn = _app.Client(bearer: await _app.SignIn(member.Phone, member.Password));
        Assert.Equal(fresh, (await signedIn.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/me"))
            .GetProperty("cardNumber").GetString());
        // The replaced card cannot be replaced again, by anyone.
        var another = await _app.IssueCard((await _app.NewStationKey()));
        var closed = await _app.Operator().PostAsJsonAsync(OperatorPath(member.Card), new { newCardNumber = another })
            .ExpectProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Card replaced", closed.GetProperty("title").GetString());
    }
}
