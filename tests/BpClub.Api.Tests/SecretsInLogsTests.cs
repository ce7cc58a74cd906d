namespace BpClub.Api.Tests;

/// <summary>No password, SMS code, API key or access token reaches a log line of the front end or the silos.</summary>
[Collection(ServiceCollection.Name)]
public sealed class SecretsInLogsTests(AppFixture fixture)
{
    private readonly BpClubApp _app = fixture.App;

    [Fact]
    public async Task No_secret_of_a_whole_journey_appears_in_any_log_line()
    {
        var linesBefore = LogCapture.Lines.Count;
        var secrets = new List<string> { BpClubApp.OperatorKey };
        var stationKey = await _app.NewStationKey();
        var partnerKey = await _app.NewPartnerKey();
        secrets.AddRange([stationKey, stationKey.Split('.')[^1], partnerKey, partnerKey.Split('.')[^1]]);

        var card = await _app.IssueCard(stationKey);
        secrets.AddRange([_app.CardCode(card)!, _app.CardCode(card)!.Replace("-", "", StringComparison.Ordinal)]);
        var phone = BpClubApp.NewPhone();
        const string password = "Secret-Hollyhock-4711";
        const string newPassword = "Secret-Marigold-0815";
        const string resetPassword = "Secret-Lavender-2930";
        secrets.AddRange([password, newPassword, resetPassword]);
        var token = await _app.Register(card, phone, password);
        secrets.Add(token);
        await _app.Client(stationKey).Purchase(Http.FuelPurchase("log-1", card));
        await _app.Client(partnerKey)
            .PostAsJsonAsync("/api/partners/v1/accruals",
                new { partnerTransactionId = "log-p", cardNumber = card, amount = 10m })
            .Expect(HttpStatusCode.Created);
        await _app.Client().PostAsJsonAsync("/api/cabinet/v1/sessions",
            new { phone, password = "Secret-Wrong-Guess-1" }).ExpectProblem(HttpStatusCode.Unauthorized);
        secrets.Add("Secret-Wrong-Guess-1");
        var second = await _app.SignIn(phone, password);
        secrets.Add(second);
        await _app.Client(bearer: second)
            .PutAsJsonAsync("/api/cabinet/v1/password", new { currentPassword = password, newPassword })
            .Expect(HttpStatusCode.NoContent);
        await _app.Client(bearer: token).GetAsync("/api/cabinet/v1/me").ExpectProblem(HttpStatusCode.Unauthorized);
        await _app.Client(bearer: second + "x").GetAsync("/api/cabinet/v1/me")
            .ExpectProblem(HttpStatusCode.Unauthorized);

        // The forgotten-password journey, a wrong code first.
        var before = _app.CodesSentTo(phone).Count;
        var reset = await _app.Client().PostAsJsonAsync("/api/cabinet/v1/password-resets", new { phone })
            .Expect(HttpStatusCode.Accepted);
        var resetId = reset.GetProperty("resetId").GetString();
        var code = await _app.LatestCode(phone, before);
        var wrong = code == "000000" ? "111111" : "000000";
        await _app.Client().PostAsJsonAsync($"/api/cabinet/v1/password-resets/{resetId}/confirm",
            new { code = wrong, newPassword = resetPassword })
            .ExpectProblem(HttpStatusCode.BadRequest);
        await _app.Client().PostAsJsonAsync($"/api/cabinet/v1/password-resets/{resetId}/confirm",
            new { code, newPassword = resetPassword })
            .Expect(HttpStatusCode.NoContent);
        secrets.Add(await _app.SignIn(phone, resetPassword));
        secrets.AddRange(_app.CodesSentTo(phone));
        Assert.Equal(2, _app.CodesSentTo(phone).Count);

        Assert.True(LogCapture.Lines.Count > linesBefore, "Nothing was logged: the capture is not wired.");
        var lines = LogCapture.Lines.ToList();
        Assert.Contains(lines, l => l.Contains("cabinet account registered", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Microsoft.AspNetCore", StringComparison.Ordinal));
        foreach (var secret in secrets.Where(s => s.Length >= 6).Distinct())
        {
            var leak = lines.FirstOrDefault(l => l.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"A secret ({secret[..3]}…) is in a log line: {leak}");
        }
    }
}
