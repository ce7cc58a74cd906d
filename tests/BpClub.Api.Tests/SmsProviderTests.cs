namespace BpClub.Api.Tests;

/// <summary>A service whose silo sends texts through the HTTP SMS gateway to a local provider.</summary>
public sealed class SmsProviderFixture : IAsyncLifetime
{
    public const string Credential = "Bearer provider-credential-0451";

    public FakeSmsProvider Provider { get; private set; } = null!;
    public BpClubApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Provider = await FakeSmsProvider.Start();
        App = await BpClubApp.Start(siloSettings: Provider.SiloSettings(Credential));
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

public sealed class SmsProviderTests(SmsProviderFixture fixture) : IClassFixture<SmsProviderFixture>
{
    private readonly BpClubApp _app = fixture.App;
    private readonly FakeSmsProvider _provider = fixture.Provider;

    /// <summary>A registration of a new card of the station, with the code printed on it.</summary>
    private async Task<object> Registration(string station, string phone)
    {
        var card = await _app.IssueCard(station);
        return new { cardNumber = card, phone, password = "Sunflower-2026", cardCode = _app.CardCode(card) };
    }

    [Fact]
    public async Task A_registration_code_goes_to_the_provider_and_confirms_the_registration()
    {
        var card = await _app.IssueCard(await _app.NewStationKey());
        var phone = BpClubApp.NewPhone();
        var started = await _app.Client().PostAsJsonAsync("/api/cabinet/v1/registrations",
            new { cardNumber = card, phone, password = "Sunflower-2026", cardCode = _app.CardCode(card) })
            .Expect(HttpStatusCode.Accepted);

        var code = Assert.Single(_provider.CodesSentTo(phone));
        var request = _provider.Requests.Last(r => r.Json.GetProperty("to").GetString() == phone);
        Assert.Equal(SmsProviderFixture.Credential, request.Headers["Authorization"]);
        Assert.Empty(_app.CodesSentTo(phone)); // nothing in the development outbox
        await _app.Client().PostAsJsonAsync(
            $"/api/cabinet/v1/registrations/{started.GetProperty("registrationId").GetString()}/confirm",
            new { code }).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_provider_that_keeps_failing_is_a_503_for_registration_and_the_usual_202_for_a_reset()
    {
        var station = await _app.NewStationKey();
        var registered = BpClubApp.NewPhone();
        var card = await _app.IssueCard(station);
        var started = await _app.Client().PostAsJsonAsync("/api/cabinet/v1/registrations",
            new { cardNumber = card, phone = registered, password = "Sunflower-2026", cardCode = _app.CardCode(card) })
            .Expect(HttpStatusCode.Accepted);
        await _app.Client().PostAsJsonAsync(
            $"/api/cabinet/v1/registrations/{started.GetProperty("registrationId").GetString()}/confirm",
            new { code = _provider.CodesSentTo(registered)[^1] }).Expect(HttpStatusCode.Created);

        _provider.DefaultStatus = 503;
        try
        {
            var before = _provider.Requests.Count;
            var refused = await _app.Client().PostAsJsonAsync("/api/cabinet/v1/registrations",
                await Registration(station, BpClubApp.NewPhone()));
            var problem = await refused.ExpectProblem(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("could not be sent", problem.GetProperty("detail").GetString());
            Assert.Equal(3, _provider.Requests.Count - before); // Sms:Http:MaxAttempts

            // A reset answers alike for the registered phone (whose text failed) and for an unknown one.
            var known = await _app.Client()
                .PostAsJsonAsync("/api/cabinet/v1/password-resets", new { phone = registered })
                .Expect(HttpStatusCode.Accepted);
            var unknown = await _app.Client()
                .PostAsJsonAsync("/api/cabinet/v1/password-resets", new { phone = BpClubApp.NewPhone() })
                .Expect(HttpStatusCode.Accepted);
            Assert.Equal(Names(known), Names(unknown));
        }
        finally
        {
            _provider.DefaultStatus = 200;
        }
    }

    [Fact]
    public async Task Codes_to_one_phone_stop_at_the_daily_cap_and_codes_from_one_address_at_the_hourly_cap()
    {
        var station = await _app.NewStationKey();
        var from = _app.ClientFrom(IPAddress.Parse("203.0.113.5"));
        var phone = BpClubApp.NewPhone();
        for (var i = 0; i < 2; i++)
            await from.PostAsJsonAsync("/api/cabinet/v1/registrations",
                await Registration(station, phone))
                    .Expect(HttpStatusCode.Accepted);
        var capped = await from.PostAsJsonAsync("/api/cabinet/v1/registrations",
            await Registration(station, phone));
        await capped.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.True(capped.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(2, _provider.CodesSentTo(phone).Count);

        // Four more from the same address reach its six an hour, whatever the phones.
        for (var i = 0; i < 4; i++)
            await from.PostAsJsonAsync("/api/cabinet/v1/registrations",
                await Registration(station, BpClubApp.NewPhone()))
                .Expect(HttpStatusCode.Accepted);
        var fresh = BpClubApp.NewPhone();
        await from.PostAsJsonAsync("/api/cabinet/v1/registrations",
            await Registration(station, fresh))
            .ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.Empty(_provider.CodesSentTo(fresh));
        // Another address is not held back.
        await _app.ClientFrom(IPAddress.Parse("203.0.113.6")).PostAsJsonAsync("/api/cabinet/v1/registrations",
            await Registration(station, fresh))
                .Expect(HttpStatusCode.Accepted);
    }

    private static string Names(JsonElement body) => string.Join(",", body.EnumerateObject().Select(p => p.Name));
}
