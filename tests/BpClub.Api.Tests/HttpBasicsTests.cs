namespace BpClub.Api.Tests;

/// <summary>What every response and the service endpoints promise: security headers, size limits, health,
/// metrics.</summary>
[Collection(ServiceCollection.Name)]
public sealed class HttpBasicsTests(AppFixture fixture)
{
    private readonly BpClubApp _app = fixture.App;

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/api/cabinet/v1/me")]
    [InlineData("/openapi/v1.json")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        var response = await _app.Client().GetAsync(path);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Every_cabinet_response_is_no_store_also_errors_and_the_balance_stream()
    {
        var member = await _app.NewMember(await _app.NewStationKey());
        var signIn = new { phone = member.Phone, password = member.Password };
        var wrong = new { phone = member.Phone, password = "Not-The-Password-1" };
        using var stream = await member.Client().SendAsync(
            new HttpRequestMessage(HttpMethod.Get, "/api/cabinet/v1/balance/events"),
                HttpCompletionOption.ResponseHeadersRead);
        var responses = new Dictionary<string, HttpResponseMessage>
        {
            ["me"] = await member.Client().GetAsync("/api/cabinet/v1/me"),
            ["balance"] = await member.Client().GetAsync("/api/cabinet/v1/balance"),
            ["history"] = await member.Client().GetAsync("/api/cabinet/v1/history"),
            ["antiforgery"] = await member.Client().GetAsync("/api/cabinet/v1/antiforgery"),
            ["balance stream"] = stream,
            ["sign-in"] = await _app.Client().PostAsJsonAsync("/api/cabinet/v1/sessions", signIn),
            ["wrong password (401)"] = await _app.Client().PostAsJsonAsync("/api/cabinet/v1/sessions", wrong),
            ["no credentials (401)"] = await _app.Client().GetAsync("/api/cabinet/v1/me"),
            ["bad body (400)"] = await _app.Client().PostAsync("/api/cabinet/v1/registrations", Http.Raw("{")),
            ["no such endpoint (404)"] = await _app.Client().GetAsync("/api/cabinet/v1/no-such-thing"),
        };
        foreach (var (what, response) in responses)
        {
            Assert.True(response.Headers.CacheControl?.NoStore == true,
                $"{what} ({(int)response.StatusCode}): Cache-Control {response.Headers.CacheControl}");
        }
        Assert.Equal(HttpStatusCode.OK, responses["me"].StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, responses["no credentials (401)"].StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_413_and_records_nothing()
    {
        var stationKey = await _app.NewStationKey();
        var card = await _app.IssueCard(stationKey);
        var huge = Http.FuelPurchase("big-1", card) is var purchase
            ? System.Text.Json.JsonSerializer.Serialize(purchase)
                .Replace("\"A95\"", "\"A95\",\"padding\":\"" + new string('x', 100_000) + "\"") : "";
        await _app.Client(stationKey).PostAsync("/api/pos/v1/purchases", Http.Raw(huge))
            .ExpectProblem(HttpStatusCode.RequestEntityTooLarge);
        var balance = await _app.Client(stationKey)
            .GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/pos/v1/cards/{card}/balance");
        Assert.Equal(0, balance.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Health_and_metrics_answer()
    {
        foreach (var probe in new[] { "/health/live", "/health/ready" })
        {
            var health = await _app.Client().GetAsync(probe);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        }
        var metrics = await _app.ManagementClient().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("# TYPE", await metrics.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_are_not_served_on_the_public_port_whatever_the_host_header_says()
    {
        await _app.Client().GetAsync("/metrics").ExpectProblem(HttpStatusCode.NotFound);
        var spoofed = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        spoofed.Headers.Host = $"localhost:{_app.ManagementPort}";
        await _app.Client().SendAsync(spoofed).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unknown_path_and_a_wrong_media_type_are_problems_too()
    {
        await _app.Client().GetAsync("/api/pos/v1/no-such-thing").ExpectProblem(HttpStatusCode.NotFound);
        var stationKey = await _app.NewStationKey();
        await _app.Client(stationKey)
            .PostAsync("/api/pos/v1/purchases",
                new StringContent("receiptId=1", System.Text.Encoding.UTF8, "text/plain"))
            .ExpectProblem(HttpStatusCode.UnsupportedMediaType);
    }
}
