namespace BpClub.Api.Tests;

/// <summary>
/// A front end in Production behind a TLS-terminating reverse proxy: one trusted proxy address, one
/// trusted proxy network, and a low per-address limit so that whose address counts is visible.
/// </summary>
public sealed class ProductionBehindProxyFixture : IAsyncLifetime
{
    public static readonly IPAddress Proxy = IPAddress.Parse("10.20.0.1");
    public static readonly IPAddress ProxyInNetwork = IPAddress.Parse("10.30.4.5");

    public BpClubApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await BpClubApp.Start(environment: "Production",
        siloSettings: new Dictionary<string, string?> { ["Cabinet:CodeResendInterval"] = "00:00:00" },
        // Production refuses to start without the certificate that encrypts the Data Protection key ring.
        apiSettings: new Dictionary<string, string?>(TestCertificates.DataProtectionSettings())
        {
            ["ForwardedHeaders:KnownProxies:0"] = Proxy.ToString(),
            ["ForwardedHeaders:KnownNetworks:0"] = "10.30.0.0/16",
            ["RateLimits:AnonymousPerMinute"] = "6",
            ["RateLimits:AnonymousBurst"] = "3",
        });

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class ForwardedHeadersTests(ProductionBehindProxyFixture fixture)
    : IClassFixture<ProductionBehindProxyFixture>
{
    private static int _clients;
    private readonly BpClubApp _app = fixture.App;

    /// <summary>A client address no other test uses: the per-address limit is low here.</summary>
    private static string NewClientAddress() => $"203.0.113.{Interlocked.Increment(ref _clients)}";

    [Fact]
    public async Task Behind_a_known_proxy_each_client_address_has_its_own_anonymous_limit()
    {
        var proxy = _app.ClientFrom(ProductionBehindProxyFixture.Proxy);
        var first = NewClientAddress();
        // At once, so that however slow the machine, the bucket (3, then 1 every 10 s) cannot keep up.
        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SignIn(proxy, forwardedFor: first)));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses.Select(r => r.StatusCode));

        // Another client behind the same proxy, and one behind a proxy of the trusted network, are not held back.
        await SignIn(proxy, forwardedFor: NewClientAddress()).ExpectProblem(HttpStatusCode.Unauthorized);
        await SignIn(_app.ClientFrom(ProductionBehindProxyFixture.ProxyInNetwork), forwardedFor: NewClientAddress())
            .ExpectProblem(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("198.51.100.9")]
    // The framework trusts loopback by default; this front end trusts only what it is told to.
    [InlineData("127.0.0.1")]
    public async Task Forwarded_headers_from_an_address_that_is_no_known_proxy_are_ignored(string address)
    {
        var stranger = _app.ClientFrom(IPAddress.Parse(address));
        // Each request claims another client; all of them still share the stranger's own allowance.
        var statuses = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => SignIn(stranger, forwardedFor: NewClientAddress())));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses.Select(r => r.StatusCode));

        var response = await stranger.SendAsync(Through(HttpMethod.Get, "/health/live", NewClientAddress(), "https"));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS on a request that was plain HTTP");
    }

    [Fact]
    public async Task Behind_a_tls_proxy_cookies_are_secure_and_hsts_is_sent()
    {
        var (phone, password) = await NewMember();
        var proxy = _app.ClientFrom(ProductionBehindProxyFixture.Proxy);
        var signIn = Through(HttpMethod.Post, "/api/cabinet/v1/sessions", NewClientAddress(), "https");
        signIn.Content = JsonContent.Create(new { phone, password });
        var signedIn = await proxy.SendAsync(signIn);
        await signedIn.Expect(HttpStatusCode.OK);

        var hsts = Assert.Single(signedIn.Headers.GetValues("Strict-Transport-Security"));
        Assert.Contains($"max-age={(int)TimeSpan.FromDays(365).TotalSeconds}", hsts);
        var session = SetCookie(signedIn, "bpclub_session");
        Assert.Contains("; secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", session, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task In_production_cookies_are_secure_even_when_the_request_looked_like_plain_http()
    {
        var (phone, password) = await NewMember();
        var signedIn = await _app.ClientFrom(IPAddress.Parse(NewClientAddress()))
            .PostAsJsonAsync("/api/cabinet/v1/sessions", new { phone, password });
        await signedIn.Expect(HttpStatusCode.OK);
        Assert.Contains("; secure", SetCookie(signedIn, "bpclub_session"), StringComparison.OrdinalIgnoreCase);

        // The anti-forgery cookie, written by the framework, follows the same policy.
        var token = (await signedIn.Json()).GetProperty("accessToken").GetString()!;
        var antiforgery = await _app.Client(bearer: token).GetAsync("/api/cabinet/v1/antiforgery");
        await antiforgery.Expect(HttpStatusCode.OK);
        Assert.Contains("; secure", SetCookie(antiforgery, "bpclub_antiforgery"), StringComparison.OrdinalIgnoreCase);
    }

    private async Task<(string Phone, string Password)> NewMember()
    {
        var card = await _app.IssueCard(await _app.NewStationKey());
        var phone = BpClubApp.NewPhone();
        const string password = "Sunflower-2026";
        await _app.Register(card, phone, password, _app.ClientFrom(IPAddress.Parse(NewClientAddress())));
        return (phone, password);
    }

    private static Task<HttpResponseMessage> SignIn(HttpClient client, string forwardedFor)
    {
        var request = Through(HttpMethod.Post, "/api/cabinet/v1/sessions", forwardedFor, "http");
        request.Content = JsonContent.Create(new { phone = BpClubApp.NewPhone(), password = "Not-The-Password-1" });
        return client.SendAsync(request);
    }

    private static string SetCookie(HttpResponseMessage response, string name) => Assert.Single(
        response.Headers.GetValues("Set-Cookie"), cookie => cookie.StartsWith($"{name}=", StringComparison.Ordinal));

    /// <summary>A request as a proxy forwards it: client address and scheme in headers, the public name.</summary>
    private static HttpRequestMessage Through(HttpMethod method, string path, string forwardedFor, string scheme)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        request.Headers.Add("X-Forwarded-Proto", scheme);
        // HSTS is never sent to localhost: the proxy forwards the public name.
        request.Headers.Host = "club.example.com";
        return request;
    }
}
