using BpClub.Abstractions;
using BpClub.Api.Security;
using Microsoft.Extensions.DependencyInjection;

namespace BpClub.Api.Tests;

/// <summary>A service of its own with short code lifetimes and low rate limits.</summary>
public sealed class TightLimitsFixture : IAsyncLifetime
{
    public BpClubApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await BpClubApp.Start(
        siloSettings: new Dictionary<string, string?>
        {
            ["Cabinet:CodeLifetime"] = "00:00:10",
            ["Cabinet:LockoutDuration"] = "00:00:02",
            // Five wrong passwords from all addresses together lock the phone, as five from one address do.
            ["Cabinet:PhoneLockoutThreshold"] = "5",
        },
        apiSettings: new Dictionary<string, string?>
        {
            ["RateLimits:PerCallerPerSecond"] = "1",
            ["RateLimits:PerCallerBurst"] = "5",
            ["RateLimits:AnonymousPerMinute"] = "6",
            ["RateLimits:AnonymousBurst"] = "3",
            ["RateLimits:BadKeysPerMinute"] = "3",
            ["Api:KeyCacheEntries"] = "3",
            ["Cabinet:WebIdleTimeout"] = "00:00:03",
            ["Api:BalanceStreamRenewal"] = "00:00:01",
        });

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class TightLimitsTests(TightLimitsFixture fixture) : IClassFixture<TightLimitsFixture>
{
    private static int _addresses;
    private readonly BpClubApp _app = fixture.App;

    /// <summary>Anonymous calls of each test come from an address of their own: the per-IP limit is low here.</summary>
    private readonly HttpClient _anonymous = fixture.App.ClientFrom(NewAddress());

    private static IPAddress NewAddress() => new([10, 0, 0, (byte)Interlocked.Increment(ref _addresses)]);

    [Fact]
    public async Task An_expired_code_is_refused()
    {
        var card = await _app.IssueCard(await _app.NewStationKey());
        var phone = BpClubApp.NewPhone();
        var started = await _anonymous.PostAsJsonAsync("/api/cabinet/v1/registrations",
            new { cardNumber = card, phone, password = "Sunflower-2026", cardCode = _app.CardCode(card) })
            .Expect(HttpStatusCode.Accepted);
        var expiresAt = started.GetProperty("codeExpiresAt").GetDateTimeOffset();
        Assert.True(expiresAt <= DateTimeOffset.UtcNow.AddSeconds(11), $"{expiresAt}");
        var code = await _app.LatestCode(phone);

        await Poll.Until(() => Task.FromResult(DateTimeOffset.UtcNow), now => now > expiresAt.AddMilliseconds(200),
            TimeSpan.FromSeconds(30), "the code to expire");
        var problem = await _anonymous.PostAsJsonAsync(
            $"/api/cabinet/v1/registrations/{started.GetProperty("registrationId").GetString()}/confirm", new { code })
            .ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Contains("expired", problem.GetProperty("errors").GetProperty("code")[0].GetString(),
            StringComparison.OrdinalIgnoreCase);
        await _anonymous.PostAsJsonAsync("/api/cabinet/v1/sessions", new { phone, password = "Sunflower-2026" })
            .ExpectProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Writes_beyond_a_callers_rate_are_429_with_retry_after_and_reads_are_not_limited()
    {
        var stationKey = await _app.NewStationKey();
        var card = await _app.IssueCard(stationKey);
        var station = _app.Client(stationKey);
        // At once, so that however slow the machine, the bucket (5, then 1 a second) cannot keep up.
        var statuses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            station.PostAsJsonAsync("/api/pos/v1/purchases",
                Http.FuelPurchase($"rl-{i}", card, litres: 1m, amount: 60m))));

        var refused = statuses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.All(statuses,
            r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.TooManyRequests }));
        await refused[0].ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.True(refused[0].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1),
            $"{refused[0].Headers.RetryAfter}");

        for (var i = 0; i < 12; i++) await station.GetAsync($"/api/pos/v1/cards/{card}/balance")
            .Expect(HttpStatusCode.OK);
        // Another station has its own allowance.
        var other = _app.Client(await _app.NewStationKey());
        await other.PostAsJsonAsync("/api/pos/v1/purchases",
            Http.FuelPurchase("rl-other", card, litres: 1m, amount: 60m)).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_second_registration_code_within_a_minute_is_429_a_reset_202_and_neither_sends_anything()
    {
        var stationKey = await _app.NewStationKey();
        var phone = BpClubApp.NewPhone();
        var first = await _app.IssueCard(stationKey);
        await _anonymous.PostAsJsonAsync("/api/cabinet/v1/registrations",
            new { cardNumber = first, phone, password = "Sunflower-2026", cardCode = _app.CardCode(first) })
                .Expect(HttpStatusCode.Accepted);
        await _app.LatestCode(phone);

        var second = await _app.IssueCard(stationKey);
        var again = await _anonymous.PostAsJsonAsync("/api/cabinet/v1/registrations",
            new { cardNumber = second, phone, password = "Sunflower-2026", cardCode = _app.CardCode(second) });
        await again.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.True(again.Headers.RetryAfter?.Delta is { } wait && wait > TimeSpan.Zero
            && wait <= TimeSpan.FromMinutes(1), $"{again.Headers.RetryAfter}");
        // A reset does not tell a phone that just had a code from any other (no membership oracle): 202, no text.
        var reset = await _anonymous.PostAsJsonAsync("/api/cabinet/v1/password-resets", new { phone });
        var unknown = await _app.ClientFrom(NewAddress())
            .PostAsJsonAsync("/api/cabinet/v1/password-resets", new { phone = BpClubApp.NewPhone() });
        await reset.Expect(HttpStatusCode.Accepted);
        await unknown.Expect(HttpStatusCode.Accepted);
        Assert.Single(_app.CodesSentTo(phone));
    }

    [Fact]
    public async Task Wrong_api_keys_beyond_the_per_address_allowance_are_429_then_even_a_right_key_is_refused()
    {
        var stationKey = await _app.NewStationKey();
        var address = NewAddress();
        string[] wrongKeys = ["st.st-nosuch.secret", "not-a-key", BpClubApp.OperatorKey + "x", "pa.nosuch.s", "st.x.y"];
        var statuses = new List<HttpStatusCode>();
        foreach (var key in wrongKeys) statuses.Add((await Balance(address, key)).StatusCode);
        HttpStatusCode[] expected = [.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 3),
            .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 2)];
        Assert.Equal(expected, statuses);

        // Refused before the key is looked at: a right guess now looks like a wrong one.
        var refused = await Balance(address, stationKey);
        await refused.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"{refused.Headers.RetryAfter}");
        // Another address is not held back, and a right key never counts against its own.
        var other = NewAddress();
        for (var i = 0; i < 5; i++) Accepted(await Balance(other, stationKey));
        await Balance(other, "st.st-nosuch.secret").ExpectProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public void The_key_cache_holds_at_most_its_configured_entries()
    {
        // The front end's own cache, filled directly: creating enough stations would spend the operator's allowance.
        var cache = _app.ApiServices.GetRequiredService<KnownKeyCache>();
        for (var i = 0; i < 10; i++) cache.Remember($"key-{i}", new KeyHolder($"st-{i}", "Station", null),
            DateTimeOffset.UtcNow);
        Assert.InRange(cache.Count, 0, 3);
    }

    /// <summary>The key was good: the card (a random number) was looked up.</summary>
    private static void Accepted(HttpResponseMessage response) =>
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{(int)response.StatusCode}");

    /// <summary>A till's balance read for a card that need not exist.</summary>
    private Task<HttpResponseMessage> Balance(IPAddress from, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/pos/v1/cards/{Cards.NewNumber()}/balance");
        request.Headers.Add("X-Api-Key", key);
        return _app.ClientFrom(from).SendAsync(request);
    }

    [Fact]
    public async Task Anonymous_calls_beyond_the_per_address_rate_are_429_with_retry_after()
    {
        var statuses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            _anonymous.PostAsJsonAsync("/api/cabinet/v1/sessions",
                new { phone = BpClubApp.NewPhone(), password = "Not-The-Password-1" })));

        Assert.All(statuses,
            r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
        var refused = statuses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        await refused[0].ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.NotNull(refused[0].Headers.RetryAfter);
        // Another address is not held back.
        await _app.ClientFrom(NewAddress())
            .PostAsJsonAsync("/api/cabinet/v1/sessions",
                new { phone = BpClubApp.NewPhone(), password = "Not-The-Password-1" })
            .ExpectProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_second_lock_out_in_a_row_lasts_twice_as_long()
    {
        var phone = BpClubApp.NewPhone();
        // Each attempt from an address of its own: this is about the phone's lock-out (the threshold of all addresses
        // together, 5 here), not the per-address rate.
        Task<HttpResponseMessage> Wrong() => _app.ClientFrom(NewAddress())
            .PostAsJsonAsync("/api/cabinet/v1/sessions", new { phone, password = "Not-The-Password-1" });

        for (var i = 1; i <= 4; i++) await (await Wrong()).ExpectProblem(HttpStatusCode.Unauthorized);
        var first = await Wrong();
        await first.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.True(first.Headers.RetryAfter?.Delta <= TimeSpan.FromSeconds(2), $"{first.Headers.RetryAfter}");

        // Once the first lock-out is over, a wrong password counts again from one.
        await Poll.Until(async () => (await Wrong()).StatusCode, s => s == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(10), "the first lock-out to end");
        for (var i = 2; i <= 4; i++) await (await Wrong()).ExpectProblem(HttpStatusCode.Unauthorized);
        var second = await Wrong();
        await second.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.True(second.Headers.RetryAfter?.Delta > TimeSpan.FromSeconds(2), $"{second.Headers.RetryAfter}");
    }

    [Fact]
    public async Task A_web_session_left_idle_ends_and_its_balance_stream_with_it()
    {
        var card = await _app.IssueCard(await _app.NewStationKey());
        var token = await _app.Register(card, BpClubApp.NewPhone(), anonymous: _app.ClientFrom(NewAddress()));
        var web = _app.Client();
        web.DefaultRequestHeaders.Add("Cookie", $"bpclub_session={token}");
        await web.GetAsync("/api/cabinet/v1/me").Expect(HttpStatusCode.OK);

        // The stream's own checks are not activity: with nothing else, the session goes idle after 3 s.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response =
            await web.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/cabinet/v1/balance/events"),
            HttpCompletionOption.ResponseHeadersRead, stop.Token);
        var events = BalanceStreamTests.Events(await response.Content.ReadAsStreamAsync(stop.Token), stop.Token);
        Assert.Equal("balance", (await BalanceStreamTests.Next(events, TimeSpan.FromSeconds(10))).Name);
        // The front end ends the stream at its next renewal (1 s here) once the session is idle.
        // (Other tests' streams log the same line, so the proof is this stream's own end, within a deadline.)
        using var ended = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var _ in events.ReadAllAsync(ended.Token))
        {
            // balance events and heartbeats until the front end closes the stream
        }
        var now = await web.GetAsync("/api/cabinet/v1/me");
        await now.ExpectProblem(HttpStatusCode.Unauthorized);
        stop.Cancel();
    }
}
