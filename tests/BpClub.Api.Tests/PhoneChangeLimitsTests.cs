namespace BpClub.Api.Tests;

/// <summary>A service of its own with the one-a-minute pacing of codes and a low per-source cap on texts.</summary>
public sealed class PhoneChangeLimitsFixture : IAsyncLifetime
{
    public BpClubApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await BpClubApp.Start(
        siloSettings: new Dictionary<string, string?> { ["Sms:MaxPerSourcePerHour"] = "3" });

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>A new phone's code is paced and capped as every other code: no SMS pumping through phone changes, and
/// a phone that holds a card is held back exactly as a free one.</summary>
public sealed class PhoneChangeLimitsTests(PhoneChangeLimitsFixture fixture) : IClassFixture<PhoneChangeLimitsFixture>
{
    private static int _addresses;
    private readonly BpClubApp _app = fixture.App;
    private const string Password = "Sunflower-2026";

    private static IPAddress NewAddress() => new([10, 1, 0, (byte)Interlocked.Increment(ref _addresses)]);

    /// <summary>A member registered from an address of their own; their phone had its code just now.</summary>
    private async Task<(string Phone, string Token)> NewMember()
    {
        var card = await _app.IssueCard(await _app.NewStationKey());
        var phone = BpClubApp.NewPhone();
        return (phone, await _app.Register(card, phone, Password, _app.ClientFrom(NewAddress())));
    }

    private HttpClient From(IPAddress address, string token)
    {
        var client = _app.ClientFrom(address);
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    private static Task<HttpResponseMessage> Change(HttpClient member, string phone) =>
        member.PutAsJsonAsync("/api/cabinet/v1/phone", new { phone, password = Password });

    [Fact]
    public async Task A_second_code_to_a_phone_within_a_minute_is_429_whatever_the_first_was_for()
    {
        var (_, token) = await NewMember();
        var (owner, _) = await NewMember();
        var member = From(NewAddress(), token);
        var phone = BpClubApp.NewPhone();

        await Change(member, phone).Expect(HttpStatusCode.Accepted);
        await _app.LatestCode(phone);
        var again = await Change(member, phone);
        await again.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.True(again.Headers.RetryAfter?.Delta is { } wait && wait > TimeSpan.Zero
            && wait <= TimeSpan.FromMinutes(1), $"{again.Headers.RetryAfter}");
        // The owner's phone had its registration code a moment ago: held back the same way, so a 202 or a 429 says
        // nothing of whether a phone holds a card.
        var taken = await Change(member, owner);
        await taken.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.Single(_app.CodesSentTo(phone));
        Assert.Single(_app.TextsSentTo(owner));
    }

    [Fact]
    public async Task A_source_gets_its_hourly_number_of_texts_to_new_phones_free_or_taken_then_429()
    {
        var (_, token) = await NewMember();
        var (owner, _) = await NewMember();
        var pumping = NewAddress();
        var member = From(pumping, token);
        var phones = Enumerable.Range(0, 3).Select(_ => BpClubApp.NewPhone()).ToList();
        foreach (var phone in phones) await Change(member, phone).Expect(HttpStatusCode.Accepted);

        var capped = await Change(member, BpClubApp.NewPhone());
        await capped.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.NotNull(capped.Headers.RetryAfter);
        await Change(member, owner).ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.Single(_app.TextsSentTo(owner));
        // Another address is not held back.
        await Change(From(NewAddress(), token), BpClubApp.NewPhone()).Expect(HttpStatusCode.Accepted);
    }
}
