using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BpClub.Testing;
using Microsoft.Net.Http.Headers;

namespace BpClub.Cluster.Tests;

/// <summary>
/// A black box as the internet sees it: one silo and one front end as real processes in Production, the front
/// end trusting the forwarded headers of 127.0.0.1 only, behind a reverse proxy (<see cref="ReverseProxy"/>) that
/// appends the client's address to X-Forwarded-For and says the request came over HTTPS. The silo sends its texts
/// over HTTPS to a fake SMS provider with a self-signed certificate the silo is made to trust (SSL_CERT_FILE), so
/// the tests read the registration codes. Clients connect from loopback addresses of their own (127.0.0.10 and up),
/// through the proxy with the public Host a browser would send; "direct" calls go to the front end's port from
/// 127.0.0.2, where no proxy is. A second front end of the cluster has no ForwardedHeaders settings at all.
/// </summary>
public sealed class ProductionEdge : IAsyncLifetime
{
    public const string PublicHost = "club.example.com";
    public const string SmsCredential = "Bearer edge-provider-credential";

    /// <summary>A caller that is not the proxy, straight at the front end's public port.</summary>
    public static readonly IPAddress Outsider = IPAddress.Parse("127.0.0.2");

    private static int _clients = 9;
    private readonly List<HttpClient> _httpClients = [];
    private X509Certificate2? _gatewayCertificate;
    private string? _certificateDirectory;

    public FakeSmsProvider Sms { get; private set; } = null!;
    public LocalCluster Cluster { get; private set; } = null!;
    public ServerProcess Front { get; private set; } = null!;
    /// <summary>A second front end of the same cluster, with no ForwardedHeaders settings at all.</summary>
    public ServerProcess Unconfigured { get; private set; } = null!;
    public ReverseProxy Proxy { get; private set; } = null!;
    public string StationKey { get; private set; } = null!;

    /// <summary>The per-address limit of sign-in, registration and reset here: low, so a test reaches it.</summary>
    public const int AnonymousBurst = 10;

    public async Task InitializeAsync()
    {
        (_gatewayCertificate, var certificateFile) = GatewayCertificate();
        Sms = await FakeSmsProvider.Start(_gatewayCertificate);
        Cluster = await LocalCluster.Start(new Dictionary<string, string>
        {
            ["Sms__Provider"] = "http",
            ["Sms__Http__Url"] = Sms.Url.ToString(),
            ["Sms__Http__AuthHeaderValue"] = SmsCredential,
            ["Sms__Http__RetryDelay"] = "00:00:00.050",
            // The silo trusts the fake provider's certificate (OpenSSL's trust file, read by .NET on Linux).
            ["SSL_CERT_FILE"] = certificateFile,
            ["Cabinet__CodeResendInterval"] = "00:00:00",
            ["RateLimits__AnonymousBurst"] = AnonymousBurst.ToString(CultureInfo.InvariantCulture),
            ["RateLimits__AnonymousPerMinute"] = "12",
        });
        var silo = Cluster.StartSilo();
        // The web cabinet's files, where a published image has them beside the front end (the build output has
        // only a manifest of them, which Production does not read).
        Front = Cluster.StartFront(new Dictionary<string, string>
        {
            ["ForwardedHeaders__KnownProxies__0"] = ReverseProxy.Address.ToString(),
            ["ASPNETCORE_CONTENTROOT"] = Path.Combine(TestPostgres.RepositoryRoot, "src", "BpClub.Api"),
        });
        await LocalCluster.WaitReady(silo, TimeSpan.FromSeconds(180));
        // And one that was told of no proxy, as a front end exposed without one would be.
        Unconfigured = Cluster.StartFront();
        await LocalCluster.WaitReady(Front, TimeSpan.FromSeconds(180));
        await LocalCluster.WaitReady(Unconfigured, TimeSpan.FromSeconds(180));
        Proxy = await ReverseProxy.Start(Front.Http);

        using var station = await Setup.Send(ThroughProxy(), () => Setup.Json(HttpMethod.Put,
            new Uri(Proxy.Url, "api/admin/v1/stations/edge-1"), LocalCluster.OperatorKey,
            new { name = "Edge station", address = "Kyiv, Khreshchatyk 15" }), TimeSpan.FromSeconds(60));
        if (station.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException(
            $"station: {(int)station.StatusCode} {await station.Content.ReadAsStringAsync()}");
        StationKey = (await LocalCluster.Json<JsonElement>(station)).GetProperty("apiKey").GetString()!;
    }

    /// <summary>A loopback address no other client of this run connects from.</summary>
    public static IPAddress NewClientAddress() =>
        IPAddress.Parse($"127.0.0.{Interlocked.Increment(ref _clients)}");

    /// <summary>A browser's way in: through the proxy, from an address of its own, with the public Host.</summary>
    public HttpClient ThroughProxy(IPAddress? from = null)
    {
        var client = LoopbackClients.From(from ?? NewClientAddress(), Proxy.Url);
        client.DefaultRequestHeaders.Host = PublicHost;
        _httpClients.Add(client);
        return client;
    }

    /// <summary>Straight at a front end's public port (the proxied one by default), bypassing the proxy.</summary>
    public HttpClient Direct(IPAddress from, ServerProcess? front = null)
    {
        var client = LoopbackClients.From(from, (front ?? Front).Http);
        client.DefaultRequestHeaders.Host = PublicHost;
        _httpClients.Add(client);
        return client;
    }

    /// <summary>Issues a card at the station's till (through the proxy); its number and printed code.</summary>
    public async Task<(string Number, string Code)> IssueCard()
    {
        var number = Cards.NewNumber();
        using var issued = await Setup.Send(ThroughProxy(), () => Setup.Json(HttpMethod.Put,
            new Uri(Proxy.Url, $"api/pos/v1/cards/{number}"), StationKey,
            new { firstName = "Lesia", lastName = "Ukrainka", consent = true }), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        return (number, (await LocalCluster.Json<JsonElement>(issued)).GetProperty("cardCode").GetString()!);
    }

    /// <summary>The texts the provider took for <paramref name="phone"/>, oldest first.</summary>
    public IReadOnlyList<string> TextsTo(string phone) => Sms.Requests
        .Where(r => r.AnsweredWith is >= 200 and < 300 && r.Json.GetProperty("to").GetString() == phone)
        .Select(r => r.Json.GetProperty("text").GetString()!)
        .ToList();

    /// <summary>Waits for a text to <paramref name="phone"/> beyond the first <paramref name="before"/>.</summary>
    public async Task<string> NextText(string phone, int before) =>
        (await Poll.Until(() => Task.FromResult(TextsTo(phone)), texts => texts.Count > before,
            TimeSpan.FromSeconds(20), $"a text to {phone}"))[before];

    /// <summary>A self-signed certificate for 127.0.0.1, and the PEM file a process trusts it by.</summary>
    private (X509Certificate2, string) GatewayCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=sms-gateway.test", rsa, HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        _certificateDirectory = Path.Combine(Path.GetTempPath(), $"bpclub-edge-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_certificateDirectory);
        var file = Path.Combine(_certificateDirectory, "gateway.pem");
        File.WriteAllText(file, certificate.ExportCertificatePem());
        return (certificate, file);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _httpClients) client.Dispose();
        if (Proxy is not null) await Proxy.DisposeAsync();
        if (Cluster is not null) await Cluster.DisposeAsync();
        if (Sms is not null) await Sms.DisposeAsync();
        _gatewayCertificate?.Dispose();
        if (_certificateDirectory is not null) Directory.Delete(_certificateDirectory, recursive: true);
    }
}

/// <summary>
/// Issue 15's black-box run: behind a reverse proxy that sets the forwarded headers, a front end in Production
/// sets Secure cookies, sends HSTS, serves /metrics only on its management port, answers alike for known and
/// unknown phones, and counts its per-address limits by the forwarded client address, believing it from the proxy
/// only.
/// </summary>
public sealed partial class ProductionEdgeTests(ProductionEdge edge) : IClassFixture<ProductionEdge>
{
    private const string Password = "Sunflower-2026";

    [Fact]
    public async Task The_session_and_antiforgery_cookies_are_secure_httponly_and_samesite_strict()
    {
        var browser = edge.ThroughProxy();
        var phone = NewPhone();
        using var registered = await Register(browser, phone);
        var session = Cookie(registered, "bpclub_session");
        AssertProtected(session);
        Assert.Equal("/", session.Path.Value);

        using var signedIn =
            await browser.PostAsJsonAsync("api/cabinet/v1/sessions", new { phone, password = Password });
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        session = Cookie(signedIn, "bpclub_session");
        AssertProtected(session);

        using var antiforgeryRequest = new HttpRequestMessage(HttpMethod.Get, "api/cabinet/v1/antiforgery");
        antiforgeryRequest.Headers.Add("Cookie", $"bpclub_session={session.Value}");
        using var antiforgery = await browser.SendAsync(antiforgeryRequest);
        Assert.Equal(HttpStatusCode.OK, antiforgery.StatusCode);
        var antiforgeryCookie = Cookie(antiforgery, "bpclub_antiforgery");
        AssertProtected(antiforgeryCookie);

        // The cookies do their work behind the proxy: a change made with them, and the token, signs out, and the
        // cookie's removal is Secure too.
        var token = (await LocalCluster.Json<JsonElement>(antiforgery)).GetProperty("token").GetString();
        using var signOut = new HttpRequestMessage(HttpMethod.Delete, "api/cabinet/v1/sessions/current");
        signOut.Headers.Add("Cookie",
            $"bpclub_session={session.Value}; bpclub_antiforgery={antiforgeryCookie.Value}");
        signOut.Headers.Add("X-CSRF-TOKEN", token);
        using var signedOut = await browser.SendAsync(signOut);
        Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        AssertProtected(Cookie(signedOut, "bpclub_session"));
    }

    [Fact]
    public async Task Answers_through_the_proxy_carry_hsts_and_a_direct_claim_of_https_is_not_believed()
    {
        var browser = edge.ThroughProxy();
        using var page = await browser.GetAsync("");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("max-age=31536000", Hsts(page));
        using var reset = await browser.PostAsJsonAsync("api/cabinet/v1/password-resets", new { phone = NewPhone() });
        Assert.Equal(HttpStatusCode.Accepted, reset.StatusCode);
        Assert.Equal("max-age=31536000", Hsts(reset));
        using var refused = await browser.GetAsync("api/cabinet/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("max-age=31536000", Hsts(refused));

        // Plain HTTP from someone who is not the proxy, whatever it claims: no HSTS (the request is not HTTPS).
        using var claim = new HttpRequestMessage(HttpMethod.Get, "");
        claim.Headers.Add("X-Forwarded-Proto", "https");
        claim.Headers.Add("X-Forwarded-For", "198.51.100.7");
        using var direct = await edge.Direct(ProductionEdge.Outsider).SendAsync(claim);
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.Null(Hsts(direct));
    }

    [Fact]
    public async Task Metrics_are_404_on_the_public_port_through_the_proxy_and_directly_and_served_on_management()
    {
        using var proxied = await edge.ThroughProxy().GetAsync("metrics");
        Assert.Equal(HttpStatusCode.NotFound, proxied.StatusCode);
        using var direct = await edge.Direct(ProductionEdge.Outsider).GetAsync("metrics");
        Assert.Equal(HttpStatusCode.NotFound, direct.StatusCode);

        using var management =
            new HttpClient { BaseAddress = edge.Front.Management, Timeout = TimeSpan.FromSeconds(30) };
        using var scraped = await management.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        var body = await scraped.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE ", body, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_reset_answers_alike_for_a_registered_and_an_unknown_phone()
    {
        var browser = edge.ThroughProxy();
        var known = NewPhone();
        (await Register(browser, known)).Dispose();
        var textsBefore = edge.TextsTo(known).Count;

        using var forKnown = await browser.PostAsJsonAsync("api/cabinet/v1/password-resets", new { phone = known });
        var unknown = NewPhone();
        using var forUnknown = await browser.PostAsJsonAsync("api/cabinet/v1/password-resets", new { phone = unknown });

        await AssertAlike(forKnown, forUnknown, HttpStatusCode.Accepted, "resetId");
        // The registered phone really got its code; the unknown one got nothing.
        Assert.Matches(SixDigits(), await edge.NextText(known, textsBefore));
        Assert.Empty(edge.TextsTo(unknown));
    }

    [Fact]
    public async Task A_registration_with_a_registered_phone_answers_like_one_with_a_free_phone()
    {
        var browser = edge.ThroughProxy();
        var known = NewPhone();
        (await Register(browser, known)).Dispose();
        var textsBefore = edge.TextsTo(known).Count;

        var (second, secondCode) = await edge.IssueCard();
        using var withKnown = await browser.PostAsJsonAsync("api/cabinet/v1/registrations",
            new { cardNumber = second, phone = known, password = Password, cardCode = secondCode });
        var (third, thirdCode) = await edge.IssueCard();
        var free = NewPhone();
        using var withFree = await browser.PostAsJsonAsync("api/cabinet/v1/registrations",
            new { cardNumber = third, phone = free, password = Password, cardCode = thirdCode });

        await AssertAlike(withKnown, withFree, HttpStatusCode.Accepted, "registrationId");
        // docs/api.md: the owner of the registered phone is told, without a code; the free phone gets its code.
        Assert.DoesNotMatch(SixDigits(), await edge.NextText(known, textsBefore));
        Assert.Matches(SixDigits(), await edge.NextText(free, 0));
    }

    [Fact]
    public async Task Per_address_limits_count_the_forwarded_client_and_believe_the_proxy_only()
    {
        var first = edge.ThroughProxy();
        var firstLimited = await ResetsUntilLimited(first, _ => { });
        Assert.True(firstLimited.Limited, $"the first client was never limited: {firstLimited.Statuses}");
        Assert.True(firstLimited.Sent > ProductionEdge.AnonymousBurst / 2,
            $"limited too soon, as if sharing a bucket: {firstLimited.Statuses}");

        // Another client behind the same proxy has a bucket of its own.
        using var second = await Reset(edge.ThroughProxy(), _ => { });
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);

        // The limited client cannot pick another bucket by writing X-Forwarded-For: the proxy appends the address
        // it saw, and only that last entry, the proxy's, is believed.
        using var spoofed = await Reset(first, r => r.Headers.Add("X-Forwarded-For", "198.51.100.99"));
        Assert.Equal(HttpStatusCode.TooManyRequests, spoofed.StatusCode);

        // Straight at the front end, a new X-Forwarded-For on every request is not believed: they share the
        // caller's own bucket and reach its limit.
        var outsider = edge.Direct(ProductionEdge.Outsider);
        var n = 0;
        var direct = await ResetsUntilLimited(outsider,
            r => r.Headers.Add("X-Forwarded-For", $"198.51.100.{Interlocked.Increment(ref n) % 250 + 1}"));
        Assert.True(direct.Limited, $"forwarded addresses from a stranger were believed: {direct.Statuses}");
    }

    [Fact]
    public async Task A_front_end_told_of_no_proxy_believes_nobody_s_forwarded_headers()
    {
        // Loopback, which the framework would trust by default, claiming HTTPS and a new client every time.
        var caller = edge.Direct(ProductionEdge.NewClientAddress(), edge.Unconfigured);
        using var claim = new HttpRequestMessage(HttpMethod.Get, "health/live");
        claim.Headers.Add("X-Forwarded-Proto", "https");
        claim.Headers.Add("X-Forwarded-For", "198.51.100.7");
        using var live = await caller.SendAsync(claim);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Null(Hsts(live));

        var n = 0;
        var limited = await ResetsUntilLimited(caller,
            r => r.Headers.Add("X-Forwarded-For", $"198.51.100.{Interlocked.Increment(ref n) % 250 + 1}"));
        Assert.True(limited.Limited, $"forwarded addresses were believed without a proxy: {limited.Statuses}");
    }

    private static string NewPhone() => "+38067" + Random.Shared.Next(1_000_000, 9_999_999)
        .ToString(CultureInfo.InvariantCulture);

    /// <summary>Registers a new card with <paramref name="phone"/>; the confirmation's answer (201, the
    /// cookie).</summary>
    private async Task<HttpResponseMessage> Register(HttpClient browser, string phone)
    {
        var (card, cardCode) = await edge.IssueCard();
        using var started = await browser.PostAsJsonAsync("api/cabinet/v1/registrations",
            new { cardNumber = card, phone, password = Password, cardCode });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await LocalCluster.Json<JsonElement>(started)).GetProperty("registrationId").GetString();
        var code = SixDigits().Match(await edge.NextText(phone, 0)).Value;
        var confirmed = await browser.PostAsJsonAsync($"api/cabinet/v1/registrations/{id}/confirm", new { code });
        Assert.Equal(HttpStatusCode.Created, confirmed.StatusCode);
        return confirmed;
    }

    private static Task<HttpResponseMessage> Reset(HttpClient client, Action<HttpRequestMessage> dress)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/cabinet/v1/password-resets")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { phone = NewPhone() }), Encoding.UTF8,
                "application/json"),
        };
        dress(request);
        return client.SendAsync(request);
    }

    /// <summary>Password resets of unknown phones (cheap, limited per address) until a 429, at most thrice the
    /// burst.</summary>
    private static async Task<(bool Limited, int Sent, string Statuses)> ResetsUntilLimited(HttpClient client,
        Action<HttpRequestMessage> dress)
    {
        var statuses = new List<int>();
        for (var i = 0; i < 3 * ProductionEdge.AnonymousBurst; i++)
        {
            using var response = await Reset(client, dress);
            statuses.Add((int)response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a 429 without Retry-After");
                return (true, i, string.Join(",", statuses));
            }
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        return (false, statuses.Count, string.Join(",", statuses));
    }

    /// <summary>
    /// Two answers that must not tell the phones apart: the same status, the same headers (by name; Date and
    /// the like may tick), the same body shape, and every value alike but the id (the code's expiry within the
    /// seconds between the two requests).
    /// </summary>
    private static async Task AssertAlike(HttpResponseMessage a, HttpResponseMessage b, HttpStatusCode status,
        string idField)
    {
        var bodyA = await a.Content.ReadAsStringAsync();
        var bodyB = await b.Content.ReadAsStringAsync();
        Assert.True(a.StatusCode == status, $"{(int)a.StatusCode}: {bodyA}");
        Assert.True(b.StatusCode == status, $"{(int)b.StatusCode}: {bodyB}");
        Assert.Equal(HeaderNames(a), HeaderNames(b));
        Assert.Equal(a.Content.Headers.ContentType?.ToString(), b.Content.Headers.ContentType?.ToString());

        var jsonA = JsonDocument.Parse(bodyA).RootElement;
        var jsonB = JsonDocument.Parse(bodyB).RootElement;
        Assert.Equal(Shape(jsonA), Shape(jsonB));
        Assert.NotEqual(jsonA.GetProperty(idField).GetString(), jsonB.GetProperty(idField).GetString());
        var expiresA = jsonA.GetProperty("codeExpiresAt").GetDateTimeOffset();
        var expiresB = jsonB.GetProperty("codeExpiresAt").GetDateTimeOffset();
        Assert.True((expiresA - expiresB).Duration() < TimeSpan.FromSeconds(30),
            $"codes expire at {expiresA:O} and {expiresB:O}");
        foreach (var property in jsonA.EnumerateObject()
            .Where(p => p.Name is not "codeExpiresAt" && p.Name != idField))
            Assert.Equal(property.Value.ToString(), jsonB.GetProperty(property.Name).ToString());
    }

    private static string HeaderNames(HttpResponseMessage response) => string.Join(",",
        response.Headers.Concat(response.Content.Headers).Select(h => h.Key.ToLowerInvariant()).Order());

    private static string Shape(JsonElement json) => string.Join(",",
        json.EnumerateObject().Select(p => $"{p.Name}:{p.Value.ValueKind}").Order());

    private static string? Hsts(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Strict-Transport-Security", out var values) ? string.Join(";", values) : null;

    private static SetCookieHeaderValue Cookie(HttpResponseMessage response, string name)
    {
        Assert.True(response.Headers.TryGetValues("Set-Cookie", out var values), $"no Set-Cookie for {name}");
        var cookie = SetCookieHeaderValue.ParseStrictList(values.ToList()).SingleOrDefault(c => c.Name == name);
        Assert.True(cookie is not null, $"no cookie {name} in: {string.Join(" | ", values)}");
        return cookie;
    }

    private static void AssertProtected(SetCookieHeaderValue cookie)
    {
        Assert.True(cookie.Secure, $"{cookie.Name} is not Secure: {cookie}");
        Assert.True(cookie.HttpOnly, $"{cookie.Name} is not HttpOnly: {cookie}");
        Assert.Equal(Microsoft.Net.Http.Headers.SameSiteMode.Strict, cookie.SameSite);
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
