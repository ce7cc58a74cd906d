using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BpClub.Api.Tests;

public enum Caller { Anonymous, MemberA, MemberB, Station, Partner, Operator, ExpiredToken, TamperedToken }

/// <summary>The callers of the matrix: two members (A is the one asking, B the other card), machines, bad
/// tokens.</summary>
public sealed class Callers(BpClubApp app, Member a, Member b, string station, string partner, string expired,
    string tampered)
{
    public Member A { get; } = a;
    public Member B { get; } = b;

    /// <summary>Members sign in afresh for each call, so that signing out in one row does not end another's
    /// session.</summary>
    public async Task<HttpClient> Client(Caller caller) => caller switch
    {
        Caller.Anonymous => app.Client(),
        Caller.MemberA => app.Client(bearer: await app.SignIn(A.Phone, A.Password)),
        Caller.MemberB => app.Client(bearer: await app.SignIn(B.Phone, B.Password)),
        Caller.Station => app.Client(station),
        Caller.Partner => app.Client(partner),
        Caller.Operator => app.Operator(),
        Caller.ExpiredToken => app.Client(bearer: expired),
        Caller.TamperedToken => app.Client(bearer: tampered),
        _ => throw new ArgumentOutOfRangeException(nameof(caller)),
    };

    public static async Task<Callers> Create(BpClubApp app)
    {
        var stationKey = await app.NewStationKey();
        var a = await app.NewMember(stationKey, "Anna", "Aleksandrenko");
        var b = await app.NewMember(stationKey, "Bohdan", "Bondarenko");
        await app.Client(stationKey).Purchase(Http.FuelPurchase("b-1", b.Card, litres: 33m, amount: 2000m));

        var aToken = new JsonWebToken(a.Token);
        var bToken = new JsonWebToken(b.Token);
        // Genuine signature and an open session, but expired.
        var expired = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "bpclub", Audience = "bpclub-cabinet",
            Subject = new ClaimsIdentity([new Claim("sub", a.Card), new Claim("sid", aToken.GetClaim("sid").Value)]),
            IssuedAt = DateTime.UtcNow.AddMinutes(-10), NotBefore = DateTime.UtcNow.AddMinutes(-10),
                Expires = DateTime.UtcNow.AddMinutes(-2),
            SigningCredentials =
                new SigningCredentials(
                    new SymmetricSecurityKey(AppFixture.TokenSigningKey) { KeyId = AppFixture.KeyId },
                    SecurityAlgorithms.HmacSha256),
        });
        // A's signature over B's card and B's open session: only the signature gives it away.
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(aToken.EncodedPayload))!;
        payload["sub"] = b.Card;
        payload["sid"] = bToken.GetClaim("sid").Value;
        var forged = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var tampered = $"{aToken.EncodedHeader}.{forged}.{aToken.EncodedSignature}";
        return new Callers(app, a, b, stationKey, await app.NewPartnerKey(), expired, tampered);
    }
}

public sealed class CallersFixture(AppFixture app) : IAsyncLifetime
{
    public Callers Callers { get; private set; } = null!;

    public async Task InitializeAsync() => Callers = await Callers.Create(app.App);

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>Every endpoint of docs/api.md × every kind of caller: 401/403 and never data for the wrong one.</summary>
[Collection(ServiceCollection.Name)]
public sealed class AuthorisationMatrixTests(CallersFixture fixture) : IClassFixture<CallersFixture>
{
    private enum Access { Machine, Member, Anonymous }

    private sealed record Endpoint(string Method, string Path, Func<Callers, string?> Body, string Who);

    // Bodies are harmless: either valid for a read, or invalid enough that a permitted caller gets a 4xx other
    // than 401/403 and nothing changes. {A} and {B} are the two members' card numbers.
    private static readonly Dictionary<string, Endpoint> Endpoints = new()
    {
        ["PUT pos/cards"] = new("PUT", "/api/pos/v1/cards/{B}",
            _ => """{"firstName":"","lastName":"","consent":true}""", Station),
        ["POST pos/purchases"] =
            new("POST", "/api/pos/v1/purchases",
                c => $$"""{"receiptId":"m","cardNumber":"{{c.B.Card}}","paymentMethod":"cash","lines":[]}""", Station),
        // A quote writes nothing, so its body may be valid: the permitted caller gets the quote itself.
        ["POST pos/purchases/quote"] = new("POST", "/api/pos/v1/purchases/quote",
            c => $$"""{"receiptId":"m","cardNumber":"{{c.B.Card}}","paymentMethod":"cash","lines":[{{MatrixFuel}}]}""",
            Station),
        ["POST pos/redemptions"] =
            new("POST", "/api/pos/v1/redemptions",
                c => $$"""{"redemptionId":"m","cardNumber":"{{c.B.Card}}","points":0}""", Station),
        ["POST pos/redemption-reversals"] =
            new("POST", "/api/pos/v1/redemption-reversals",
                c => $$"""{"reversalId":"","redemptionId":"m","cardNumber":"{{c.B.Card}}"}""", Station),
        ["POST pos/refunds"] =
            new("POST", "/api/pos/v1/refunds",
                c => $$"""{"refundId":"m","receiptId":"b-1","cardNumber":"{{c.B.Card}}","lines":[0]}""", Station),
        ["GET pos/balance"] = new("GET", "/api/pos/v1/cards/{B}/balance", _ => null, Station),
        ["POST partners/accruals"] =
            new("POST", "/api/partners/v1/accruals",
                c => $$"""{"partnerTransactionId":"m","cardNumber":"{{c.B.Card}}","amount":-1}""", Partner),
        ["GET cabinet/partners"] = new("GET", "/api/cabinet/v1/partners", _ => null, Member),
        ["GET cabinet/offers"] = new("GET", "/api/cabinet/v1/offers", _ => null, Member),
        ["POST partners/refunds"] = new("POST", "/api/partners/v1/refunds",
            _ => """{"partnerRefundId":"m","partnerTransactionId":"b-1","amount":-1}""", Partner),
        ["POST cabinet/registrations"] = new("POST", "/api/cabinet/v1/registrations", _ => "{}", Anonymous),
        ["POST cabinet/registrations/confirm"] =
            new("POST", $"/api/cabinet/v1/registrations/{Guid.Empty}/confirm", _ => """{"code":"000000"}""", Anonymous),
        ["POST cabinet/sessions"] = new("POST", "/api/cabinet/v1/sessions", _ => "{}", Anonymous),
        ["POST cabinet/password-resets"] = new("POST", "/api/cabinet/v1/password-resets", _ => "{}", Anonymous),
        ["POST cabinet/password-resets/confirm"] =
            new("POST", $"/api/cabinet/v1/password-resets/{Guid.Empty}/confirm", _ => "{}", Anonymous),
        ["DELETE cabinet/sessions/current"] = new("DELETE", "/api/cabinet/v1/sessions/current", _ => null, Member),
        ["PUT cabinet/password"] = new("PUT", "/api/cabinet/v1/password", _ => "{}", Member),
        ["PUT cabinet/spending"] = new("PUT", "/api/cabinet/v1/spending", _ => "{}", Member),
        ["GET cabinet/me"] = new("GET", "/api/cabinet/v1/me", _ => null, Member),
        ["GET cabinet/balance"] = new("GET", "/api/cabinet/v1/balance", _ => null, Member),
        ["GET cabinet/balance/events"] = new("GET", "/api/cabinet/v1/balance/events", _ => null, Member),
        ["GET cabinet/history"] = new("GET", "/api/cabinet/v1/history", _ => null, Member),
        ["GET cabinet/history.csv"] = new("GET", "/api/cabinet/v1/history.csv", _ => null, Member),
        ["GET cabinet/tier"] = new("GET", "/api/cabinet/v1/tier", _ => null, Member),
        ["PUT cabinet/phone"] = new("PUT", "/api/cabinet/v1/phone", _ => "{}", Member),
        ["POST cabinet/phone-changes/confirm"] = new("POST", $"/api/cabinet/v1/phone-changes/{Guid.Empty}/confirm",
            _ => """{"code":"000000"}""", Member),
        ["PATCH cabinet/me"] = new("PATCH", "/api/cabinet/v1/me", _ => "{}", Member),
        ["GET cabinet/export"] = new("GET", "/api/cabinet/v1/export", _ => null, Member),
        ["POST cabinet/termination"] = new("POST", "/api/cabinet/v1/termination", _ => "{}", Member),
        ["POST cabinet/card-replacements"] = new("POST", "/api/cabinet/v1/card-replacements", _ => "{}", Member),
        ["POST cabinet/card-replacements/confirm"] = new("POST",
            $"/api/cabinet/v1/card-replacements/{Guid.Empty}/confirm", _ => "{}", Member),
        ["PUT admin/stations"] =
            new("PUT", "/api/admin/v1/stations/st-matrix", _ => """{"name":"Matrix","address":"Kyiv"}""", Operator),
        ["POST admin/stations/key"] = new("POST", "/api/admin/v1/stations/st-matrix-none/key", _ => null, Operator),
        ["PUT admin/partners"] = new("PUT", "/api/admin/v1/partners/pa-matrix", _ => "{}", Operator),
        ["POST admin/partners/key"] = new("POST", "/api/admin/v1/partners/pa-matrix-none/key", _ => null, Operator),
        ["PUT admin/promotions"] = new("PUT", "/api/admin/v1/promotions/matrix", _ => "{}", Operator),
        ["GET admin/promotions"] = new("GET", "/api/admin/v1/promotions", _ => null, Operator),
        ["DELETE admin/promotions"] = new("DELETE", "/api/admin/v1/promotions/matrix-none", _ => null, Operator),
        ["GET admin/cards"] = new("GET", "/api/admin/v1/cards/{B}", _ => null, Operator),
        ["POST admin/cards/termination"] = new("POST", "/api/admin/v1/cards/{B}/termination", _ => "{}", Operator),
        ["POST admin/cards/adjustments"] = new("POST", "/api/admin/v1/cards/{B}/adjustments", _ => "{}", Operator),
        ["POST admin/cards/holds/release"] = new("POST", "/api/admin/v1/cards/{B}/holds/release", _ => "{}", Operator),
        ["GET admin/cluster"] = new("GET", "/api/admin/v1/cluster", _ => null, Operator),
        ["GET admin/audit"] = new("GET", "/api/admin/v1/audit", _ => null, Operator),
        ["POST admin/cards/replacement"] =
            new("POST", "/api/admin/v1/cards/{B}/replacement", _ => "{}", Operator),
        // The shared service's keys come from configuration: an operator's rotation is a 409 there, changing nothing.
        ["POST admin/token-keys/rotation"] = new("POST", "/api/admin/v1/token-keys/rotation", _ => null, Operator),
    };

    private const string MatrixFuel = """{"type":"fuel","productCode":"A95","litres":10,"amount":600}""";

    private const string Station = "station", Partner = "partner", Operator = "operator", Member = "member",
        Anonymous = "anyone";

    public static TheoryData<string, Caller> Cases()
    {
        var data = new TheoryData<string, Caller>();
        foreach (var endpoint in Endpoints.Keys)
            foreach (var caller in Enum.GetValues<Caller>())
                data.Add(endpoint, caller);
        return data;
    }

    /// <summary>Who may call: the right kind of caller passes; anyone else gets 401 (no or bad credentials) or 403
    /// (wrong kind).</summary>
    private static HttpStatusCode[] Expected(string who, Caller caller) => (who, caller) switch
    {
        (Anonymous, _) => [],
        (Member, Caller.MemberA or Caller.MemberB) => [],
        (Station, Caller.Station) or (Partner, Caller.Partner) or (Operator, Caller.Operator) => [],
        // A machine key at a member endpoint is not a member's credential at all; a member token at a machine
        // endpoint likewise. A machine key of the wrong kind is a known caller of the wrong kind.
        (Station or Partner or Operator, Caller.Station or Caller.Partner or Caller.Operator)
            => [HttpStatusCode.Forbidden],
        _ => [HttpStatusCode.Unauthorized],
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Only_the_right_caller_gets_through(string name, Caller caller)
    {
        var endpoint = Endpoints[name];
        var callers = fixture.Callers;
        using var client = await callers.Client(caller);
        var path = endpoint.Path.Replace("{A}", callers.A.Card).Replace("{B}", callers.B.Card);
        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), path);
        if (endpoint.Body(callers) is { } body) request.Content = Http.Raw(body);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        // The event stream never ends on its own: its headers are the answer.
        var text = response.Content.Headers.ContentType?.MediaType == "text/event-stream"
            ? await FirstEvent(response)
            : await response.Content.ReadAsStringAsync();

        var expected = Expected(endpoint.Who, caller);
        if (expected.Length == 0)
        {
            Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                $"{caller} at {name}: {(int)response.StatusCode} {text}");
            Assert.True((int)response.StatusCode < 500, $"{caller} at {name}: {(int)response.StatusCode} {text}");
        }
        else
        {
            Assert.True(expected.Contains(response.StatusCode),
                $"{caller} at {name}: expected {string.Join("/", expected.Select(s => (int)s))}, "
                + $"got {(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain(callers.B.Card, text);
            Assert.DoesNotContain(callers.A.Card, text);
            Assert.DoesNotContain("available", text);
        }
        // Whatever the answer, member A never sees B's card, nor B's name.
        if (caller is Caller.MemberA or Caller.ExpiredToken or Caller.TamperedToken or Caller.Anonymous
            or Caller.Partner)
        {
            Assert.DoesNotContain(callers.B.Card, text);
            Assert.DoesNotContain("Bondarenko", text);
        }
    }

    [Fact]
    public async Task Member_a_sees_only_their_own_card_everywhere_in_the_cabinet()
    {
        var callers = fixture.Callers;
        using var a = await callers.Client(Caller.MemberA);
        var me = await a.GetAsync("/api/cabinet/v1/me").Expect(HttpStatusCode.OK);
        Assert.Equal(callers.A.Card, me.GetProperty("cardNumber").GetString());
        var balance = await a.GetAsync("/api/cabinet/v1/balance").Expect(HttpStatusCode.OK);
        Assert.Equal(0, balance.GetProperty("total").GetInt64());
        var history = await a.GetAsync("/api/cabinet/v1/history").Expect(HttpStatusCode.OK);
        Assert.DoesNotContain(history.GetProperty("items").EnumerateArray(),
            i => i.GetProperty("kind").GetString() == "purchase");
        using var b = await callers.Client(Caller.MemberB);
        Assert.Equal(33, (await b.GetAsync("/api/cabinet/v1/balance").Expect(HttpStatusCode.OK)).GetProperty("total")
            .GetInt64());
    }

    private static async Task<string> FirstEvent(HttpResponseMessage response)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        var text = new StringBuilder();
        while (await reader.ReadLineAsync(cancel.Token) is { } line)
        {
            if (line.Length == 0 && text.Length > 0) break;
            text.AppendLine(line);
        }
        return text.ToString();
    }
}
