namespace BpClub.Api.Tests;

/// <summary>Five wrong passwords lock sign-in; five wrong codes void a code; a phone gets at most one code a
/// minute.</summary>
[Collection(ServiceCollection.Name)]
public sealed class LockoutAndCodeTests(AppFixture fixture)
{
    private readonly BpClubApp _app = fixture.App;

    [Fact]
    public async Task Five_wrong_passwords_lock_sign_in_for_the_phone_with_retry_after()
    {
        var member = await _app.NewMember(await _app.NewStationKey());
        for (var i = 1; i <= 4; i++)
            await _app.Client().PostAsJsonAsync("/api/cabinet/v1/sessions",
                new { phone = member.Phone, password = $"wrong-password-{i}" })
                .ExpectProblem(HttpStatusCode.Unauthorized);

        var fifth = await _app.Client()
            .PostAsJsonAsync("/api/cabinet/v1/sessions", new { phone = member.Phone, password = "wrong-password-5" });
        await fifth.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.True(fifth.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(10),
            $"Retry-After: {fifth.Headers.RetryAfter}");

        // Even the right password waits now.
        var right = await _app.Client()
            .PostAsJsonAsync("/api/cabinet/v1/sessions", new { phone = member.Phone, password = member.Password });
        await right.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.NotNull(right.Headers.RetryAfter);
        // The member's existing session is not affected, and other phones are not locked.
        await member.Client().GetAsync("/api/cabinet/v1/me").Expect(HttpStatusCode.OK);
        var other = await _app.NewMember(await _app.NewStationKey());
        await _app.SignIn(other.Phone, other.Password);
    }

    [Fact]
    public async Task An_unregistered_phone_locks_the_same_way()
    {
        var phone = BpClubApp.NewPhone();
        for (var i = 1; i <= 4; i++)
            await _app.Client().PostAsJsonAsync("/api/cabinet/v1/sessions",
                new { phone, password = $"wrong-password-{i}" })
                .ExpectProblem(HttpStatusCode.Unauthorized);
        var fifth = await _app.Client()
            .PostAsJsonAsync("/api/cabinet/v1/sessions", new { phone, password = "wrong-password-5" });
        await fifth.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.NotNull(fifth.Headers.RetryAfter);
    }

    [Fact]
    public async Task A_right_password_resets_the_count_of_wrong_ones()
    {
        var member = await _app.NewMember(await _app.NewStationKey());
        for (var round = 0; round < 2; round++)
        {
            for (var i = 1; i <= 4; i++)
                await _app.Client().PostAsJsonAsync("/api/cabinet/v1/sessions",
                    new { phone = member.Phone, password = $"wrong-password-{i}" })
                    .ExpectProblem(HttpStatusCode.Unauthorized);
            await _app.SignIn(member.Phone, member.Password);
        }
    }

    [Fact]
    public async Task Four_wrong_codes_are_400_the_fifth_voids_the_code_429_even_for_the_right_one()
    {
        var card = await _app.IssueCard(await _app.NewStationKey());
        var phone = BpClubApp.NewPhone();
        var started = await _app.Client()
            .PostAsJsonAsync("/api/cabinet/v1/registrations",
                new { cardNumber = card, phone, password = "Sunflower-2026", cardCode = _app.CardCode(card) })
            .Expect(HttpStatusCode.Accepted);
        var id = started.GetProperty("registrationId").GetString();
        var code = await _app.LatestCode(phone);
        var wrong = code == "000000" ? "111111" : "000000";

        for (var i = 1; i <= 4; i++)
        {
            var problem = await _app.Client()
                .PostAsJsonAsync($"/api/cabinet/v1/registrations/{id}/confirm", new { code = wrong })
                .ExpectProblem(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("code", out _), problem.ToString());
        }
        var fifth = await _app.Client()
            .PostAsJsonAsync($"/api/cabinet/v1/registrations/{id}/confirm", new { code = wrong });
        await fifth.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.NotNull(fifth.Headers.RetryAfter);
        await _app.Client().PostAsJsonAsync($"/api/cabinet/v1/registrations/{id}/confirm", new { code })
            .ExpectProblem(HttpStatusCode.TooManyRequests);
        await _app.Client().PostAsJsonAsync("/api/cabinet/v1/sessions", new { phone, password = "Sunflower-2026" })
            .ExpectProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_password_reset_lifts_the_lock_out()
    {
        var member = await _app.NewMember(await _app.NewStationKey());
        for (var i = 1; i <= 5; i++)
            await _app.Client().PostAsJsonAsync("/api/cabinet/v1/sessions",
                new { phone = member.Phone, password = $"wrong-password-{i}" });
        await _app.Client().PostAsJsonAsync("/api/cabinet/v1/sessions",
            new { phone = member.Phone, password = member.Password })
            .ExpectProblem(HttpStatusCode.TooManyRequests);

        await _app.Reset(member.Phone, "Another-Password-8");

        await _app.SignIn(member.Phone, "Another-Password-8");
    }

    [Fact]
    public async Task Guessing_the_current_password_to_change_it_locks_like_sign_in()
    {
        var member = await _app.NewMember(await _app.NewStationKey());
        for (var i = 1; i <= 4; i++)
            await member.Client().PutAsJsonAsync("/api/cabinet/v1/password",
                new { currentPassword = $"guess-{i}", newPassword = "Another-Password-8" })
                    .ExpectProblem(HttpStatusCode.BadRequest);
        var fifth = await member.Client().PutAsJsonAsync("/api/cabinet/v1/password",
            new { currentPassword = "guess-5", newPassword = "Another-Password-8" });
        await fifth.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.True(fifth.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(10),
            $"Retry-After: {fifth.Headers.RetryAfter}");
        // Even the right one waits now; the password is unchanged.
        await member.Client().PutAsJsonAsync("/api/cabinet/v1/password",
            new { currentPassword = member.Password, newPassword = "Another-Password-8" })
                .ExpectProblem(HttpStatusCode.TooManyRequests);
        await _app.SignIn(member.Phone, member.Password);
    }
}
