namespace BpClub.Api.Tests;

[Collection(ServiceCollection.Name)]
public sealed class OpenApiTests(AppFixture fixture)
{
    private readonly BpClubApp _app = fixture.App;

    /// <summary>Every path and method of docs/api.md, as the contract writes them.</summary>
    public static TheoryData<string, string> Operations() => new()
    {
        { "put", "/api/pos/v1/cards/{cardNumber}" },
        { "post", "/api/pos/v1/purchases" },
        { "post", "/api/pos/v1/purchases/quote" },
        { "post", "/api/pos/v1/redemptions" },
        { "post", "/api/pos/v1/redemption-reversals" },
        { "post", "/api/pos/v1/refunds" },
        { "get", "/api/pos/v1/cards/{cardNumber}/balance" },
        { "post", "/api/partners/v1/accruals" },
        { "post", "/api/partners/v1/refunds" },
        { "post", "/api/cabinet/v1/registrations" },
        { "post", "/api/cabinet/v1/registrations/{registrationId}/confirm" },
        { "post", "/api/cabinet/v1/sessions" },
        { "delete", "/api/cabinet/v1/sessions/current" },
        { "post", "/api/cabinet/v1/password-resets" },
        { "post", "/api/cabinet/v1/password-resets/{resetId}/confirm" },
        { "put", "/api/cabinet/v1/password" },
        { "put", "/api/cabinet/v1/spending" },
        { "get", "/api/cabinet/v1/me" },
        { "get", "/api/cabinet/v1/balance" },
        { "get", "/api/cabinet/v1/balance/events" },
        { "get", "/api/cabinet/v1/history" },
        { "get", "/api/cabinet/v1/history.csv" },
        { "get", "/api/cabinet/v1/tier" },
        { "patch", "/api/cabinet/v1/me" },
        { "get", "/api/cabinet/v1/export" },
        { "post", "/api/cabinet/v1/termination" },
        { "put", "/api/cabinet/v1/phone" },
        { "post", "/api/cabinet/v1/phone-changes/{phoneChangeId}/confirm" },
        { "get", "/api/cabinet/v1/partners" },
        { "get", "/api/cabinet/v1/offers" },
        { "put", "/api/admin/v1/stations/{stationId}" },
        { "post", "/api/admin/v1/stations/{stationId}/key" },
        { "put", "/api/admin/v1/partners/{partnerId}" },
        { "put", "/api/admin/v1/promotions/{promotionId}" },
        { "get", "/api/admin/v1/promotions" },
        { "delete", "/api/admin/v1/promotions/{promotionId}" },
        { "get", "/api/admin/v1/cards/{cardNumber}" },
        { "post", "/api/admin/v1/cards/{cardNumber}/termination" },
        { "post", "/api/admin/v1/cards/{cardNumber}/adjustments" },
        { "post", "/api/admin/v1/cards/{cardNumber}/holds/release" },
        { "get", "/api/admin/v1/cluster" },
        { "get", "/api/admin/v1/audit" },
        { "post", "/api/admin/v1/token-keys/rotation" },
        { "post", "/api/cabinet/v1/card-replacements" },
        { "post", "/api/cabinet/v1/card-replacements/{replacementId}/confirm" },
        { "post", "/api/admin/v1/cards/{cardNumber}/replacement" },
    };

    private async Task<JsonElement> Document() => await _app.Client().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task The_document_describes_every_operation_of_the_contract(string method, string path)
    {
        var paths = (await Document()).GetProperty("paths");
        Assert.True(paths.TryGetProperty(path, out var item),
            $"{path} is not in the document: {string.Join(", ", paths.EnumerateObject().Select(p => p.Name))}");
        Assert.True(item.TryGetProperty(method, out var operation), $"{method} {path} is not in the document.");
        Assert.True(operation.TryGetProperty("responses", out var responses) && responses.EnumerateObject().Any());
        Assert.Contains(responses.EnumerateObject(), r => r.Name.StartsWith('2'));
        // Every write that takes a body describes it (rotating a key and deleting take none).
        if (method is "put" or "post" && !path.EndsWith("/key", StringComparison.Ordinal)
            && !path.EndsWith("/token-keys/rotation", StringComparison.Ordinal))
            Assert.True(operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content")
                .TryGetProperty("application/json", out _),
                $"{method} {path} does not describe its body.");
        if (path.StartsWith("/api/cabinet/v1/registrations", StringComparison.Ordinal)
            || path.StartsWith("/api/cabinet/v1/password-resets", StringComparison.Ordinal)
            || path == "/api/cabinet/v1/sessions")
            return;
        var scheme = path.StartsWith("/api/cabinet/", StringComparison.Ordinal) ? "Member" : "ApiKey";
        Assert.True(operation.TryGetProperty("security", out var security)
            && security.EnumerateArray().Any(r => r.TryGetProperty(scheme, out _)),
                $"{method} {path} does not name its security scheme {scheme}.");
    }

    [Fact]
    public async Task The_document_has_both_security_schemes()
    {
        var schemes = (await Document()).GetProperty("components").GetProperty("securitySchemes");
        var apiKey = schemes.GetProperty("ApiKey");
        Assert.Equal("apiKey", apiKey.GetProperty("type").GetString());
        Assert.Equal("header", apiKey.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", apiKey.GetProperty("name").GetString());
        var bearer = schemes.GetProperty("Member");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task The_shapes_describe_the_fields_added_for_members()
    {
        var schemas = (await Document()).GetProperty("components").GetProperty("schemas").ToString();
        foreach (var field in new[] { "\"expiring\"", "\"litresToKeepLevel\"", "\"levelNextMonth\"", "\"cardCode\"",
            "\"pointsReturned\"", "\"lastOperations\"", "\"registration\"", "\"reason\"", "\"adjustmentId\"",
            "\"releaseId\"", "\"pointsReleased\"", "\"stationName\"", "\"timeZone\"" })
            Assert.Contains(field, schemas);
    }

    /// <summary>Bodies come from the endpoints' typed results: each status names its shape.</summary>
    public static TheoryData<string, string, string, string> Responses() => new()
    {
        { "post", "/api/pos/v1/purchases", "201", "PurchaseResult" },
        { "post", "/api/pos/v1/purchases", "200", "PurchaseResult" },
        { "put", "/api/pos/v1/cards/{cardNumber}", "201", "CardSummary" },
        { "post", "/api/pos/v1/purchases/quote", "200", "PurchaseQuoteResult" },
        { "post", "/api/partners/v1/accruals", "201", "PartnerAccrualResult" },
        { "post", "/api/partners/v1/refunds", "201", "PartnerRefundResult" },
        { "post", "/api/partners/v1/refunds", "200", "PartnerRefundResult" },
        { "get", "/api/cabinet/v1/partners", "200", "PartnersResponse" },
        { "get", "/api/cabinet/v1/offers", "200", "OffersResponse" },
        { "post", "/api/cabinet/v1/registrations", "202", "RegistrationStarted" },
        { "post", "/api/cabinet/v1/registrations/{registrationId}/confirm", "201", "SessionResponse" },
        { "post", "/api/cabinet/v1/sessions", "200", "SessionResponse" },
        { "get", "/api/cabinet/v1/balance", "200", "BalanceModel" },
        { "patch", "/api/cabinet/v1/me", "200", "MeResponse" },
        { "get", "/api/cabinet/v1/export", "200", "MemberExport" },
        { "post", "/api/cabinet/v1/termination", "200", "TerminationResult" },
        { "put", "/api/cabinet/v1/phone", "202", "PhoneChangeStarted" },
        { "post", "/api/cabinet/v1/phone-changes/{phoneChangeId}/confirm", "200", "MeResponse" },
        { "put", "/api/admin/v1/stations/{stationId}", "201", "StationKeyResponse" },
        { "put", "/api/admin/v1/stations/{stationId}", "200", "StationKeyResponse" },
        { "get", "/api/admin/v1/cluster", "200", "ClusterResponse" },
        { "get", "/api/admin/v1/audit", "200", "AuditPage" },
        { "post", "/api/admin/v1/token-keys/rotation", "200", "TokenKeysResponse" },
        { "post", "/api/cabinet/v1/card-replacements", "201", "CardReplacementResponse" },
        { "post", "/api/cabinet/v1/card-replacements", "202", "CardReplacementStarted" },
        { "post", "/api/cabinet/v1/card-replacements/{replacementId}/confirm", "201", "CardReplacementResponse" },
        { "post", "/api/admin/v1/cards/{cardNumber}/replacement", "201", "CardReplacementResponse" },
        { "post", "/api/admin/v1/cards/{cardNumber}/replacement", "200", "CardReplacementResponse" },
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task Each_success_names_its_body(string method, string path, string status, string schema)
    {
        var operation = (await Document()).GetProperty("paths").GetProperty(path).GetProperty(method);
        Assert.True(operation.GetProperty("responses").TryGetProperty(status, out var response),
            $"{method} {path} does not document {status}: {operation.GetProperty("responses")}");
        var json = response.GetProperty("content").GetProperty("application/json").GetProperty("schema").ToString();
        Assert.Contains($"#/components/schemas/{schema}", json);
    }

    /// <summary>Every endpoint that takes input documents its 400 as a validation problem, and every write its
    /// 429.</summary>
    [Theory]
    [InlineData("post", "/api/pos/v1/purchases")]
    [InlineData("post", "/api/partners/v1/accruals")]
    [InlineData("post", "/api/partners/v1/refunds")]
    [InlineData("post", "/api/cabinet/v1/sessions")]
    [InlineData("put", "/api/cabinet/v1/spending")]
    [InlineData("post", "/api/admin/v1/cards/{cardNumber}/termination")]
    [InlineData("post", "/api/cabinet/v1/termination")]
    [InlineData("patch", "/api/cabinet/v1/me")]
    [InlineData("put", "/api/cabinet/v1/phone")]
    [InlineData("post", "/api/cabinet/v1/phone-changes/{phoneChangeId}/confirm")]
    public async Task Problems_are_documented_as_problem_details(string method, string path)
    {
        var responses = (await Document()).GetProperty("paths").GetProperty(path).GetProperty(method)
            .GetProperty("responses");
        foreach (var status in new[] { "400", "429", "503" })
        {
            Assert.True(responses.TryGetProperty(status, out var problem),
                $"{method} {path} does not document {status}.");
            Assert.True(problem.GetProperty("content").TryGetProperty("application/problem+json", out _),
                $"{method} {path}: {status} is not problem details: {problem}");
        }
    }

    [Fact]
    public async Task Request_bodies_are_described()
    {
        var purchase = (await Document()).GetProperty("paths").GetProperty("/api/pos/v1/purchases").GetProperty("post");
        Assert.True(purchase.TryGetProperty("requestBody", out var body), purchase.ToString());
        Assert.True(body.GetProperty("content").TryGetProperty("application/json", out _));
    }

    [Fact]
    public async Task The_possession_fields_are_in_the_request_bodies()
    {
        var paths = (await Document()).GetProperty("paths");
        var document = (await Document()).ToString();
        Assert.True(paths.TryGetProperty("/api/pos/v1/redemption-reversals", out _));
        foreach (var schema in new[] { "RegistrationRequest", "SpendingRequest", "RedemptionReversalRequest" })
            Assert.Contains($"\"{schema}\"", document);
        var schemas = (await Document()).GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("RegistrationRequest").GetProperty("properties")
            .TryGetProperty("cardCode", out _));
        Assert.True(schemas.GetProperty("SpendingRequest").GetProperty("properties").TryGetProperty("password", out _));
    }
}
