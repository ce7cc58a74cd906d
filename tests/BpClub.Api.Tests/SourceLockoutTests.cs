using System.Net;

namespace BpClub.Api.Tests;

/// <summary>
/// Wrong passwords lock the address they come from, so that a guesser cannot lock a member out everywhere; spread over
/// many addresses they lock the phone for all of them, so that guessing still ends.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class SourceLockoutTests(AppFixture fixture)
{
    private static int _addresses;
    private readonly BpClubApp _app = fixture.App;

    /// <summary>An IPv4 address no other test uses.</summary>
    private static IPAddress NewAddress()
    {
        var n = Interlocked.Increment(ref _addresses);
        return IPAddress.Parse($"198.18.{n / 250}.{n % 250 + 1}");
    }

    private Task<HttpResponseMessage> SignIn(IPAddress from, string phone, string password) =>
        _app.ClientFrom(from).PostAsJsonAsync("/api/cabinet/v1/sessions", new { phone, password });

    [Fact]
    public async Task A_guesser_at_one_address_does_not_lock_the_member_out_at_another()
    {
        var member = await _app.NewMember(await _app.NewStationKey());
        var guesser = NewAddress();
        for (var i = 1; i <= 4; i++)
            await SignIn(guesser, member.Phone, $"wrong-password-{i}").ExpectProblem(HttpStatusCode.Unauthorized);
        await SignIn(guesser, member.Phone, "wrong-password-5").ExpectProblem(HttpStatusCode.TooManyRequests);
        await SignIn(guesser, member.Phone, member.Password).ExpectProblem(HttpStatusCode.TooManyRequests);

        await SignIn(NewAddress(), member.Phone, member.Password).Expect(HttpStatusCode.OK);
        // The member signing in elsewhere does not free the guesser.
        await SignIn(guesser, member.Phone, member.Password).ExpectProblem(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Guessing_spread_over_many_addresses_locks_the_phone_everywhere_until_a_reset()
    {
        var member = await _app.NewMember(await _app.NewStationKey());
        // One wrong password from each of 19 addresses: none of them is locked yet, nor the phone.
        for (var i = 1; i < 20; i++)
            await SignIn(NewAddress(), member.Phone, $"wrong-password-{i}").ExpectProblem(HttpStatusCode.Unauthorized);
        var twentieth = await SignIn(NewAddress(), member.Phone, "wrong-password-20");
        await twentieth.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.True(twentieth.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(10),
            $"Retry-After: {twentieth.Headers.RetryAfter}");
        await SignIn(NewAddress(), member.Phone, member.Password).ExpectProblem(HttpStatusCode.TooManyRequests);

        await _app.Reset(member.Phone, "Another-Password-8");
        await SignIn(NewAddress(), member.Phone, "Another-Password-8").Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_addresses_of_one_IPv6_64_count_as_one_source()
    {
        var member = await _app.NewMember(await _app.NewStationKey());
        var n = Interlocked.Increment(ref _addresses);
        for (var i = 1; i <= 4; i++)
            await SignIn(IPAddress.Parse($"2001:db8:{n:x}:1::{i:x}"), member.Phone, $"wrong-password-{i}")
                .ExpectProblem(HttpStatusCode.Unauthorized);
        await SignIn(IPAddress.Parse($"2001:db8:{n:x}:1::5"), member.Phone, "wrong-password-5")
            .ExpectProblem(HttpStatusCode.TooManyRequests);
        await SignIn(IPAddress.Parse($"2001:db8:{n:x}:1:ffff::1"), member.Phone, member.Password)
            .ExpectProblem(HttpStatusCode.TooManyRequests);

        await SignIn(IPAddress.Parse($"2001:db8:{n:x}:2::1"), member.Phone, member.Password).Expect(HttpStatusCode.OK);
    }
}
