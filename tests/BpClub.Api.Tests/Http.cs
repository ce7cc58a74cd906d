using System.Text;

namespace BpClub.Api.Tests;

/// <summary>The calls most tests make, written once.</summary>
public static class Http
{
    public static async Task<JsonElement> Json(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> Send(this HttpClient client, string method, string path,
        string? body = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = Raw(body);
        return client.SendAsync(request);
    }

    public static async Task<JsonElement> Expect(this Task<HttpResponseMessage> call, HttpStatusCode status)
        => await (await call).Expect(status);

    public static async Task<JsonElement> Expect(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>An RFC 9457 problem with the status, a title and a detail.</summary>
    public static async Task<JsonElement> ExpectProblem(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), body);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), body);
        return problem;
    }

    public static async Task<JsonElement> ExpectProblem(this Task<HttpResponseMessage> call, HttpStatusCode status) =>
        await (await call).ExpectProblem(status);

    public static object FuelPurchase(string receiptId, string card, decimal litres = 40m, decimal amount = 2400m,
        DateTimeOffset? occurredAt = null, string paymentMethod = "cash") => new
        {
            receiptId, cardNumber = card, occurredAt, paymentMethod,
            lines = new object[] { new { type = "fuel", productCode = "A95", litres, amount } },
        };

    public static async Task<JsonElement> Purchase(this HttpClient station, object purchase) =>
        await station.PostAsJsonAsync("/api/pos/v1/purchases", purchase).Expect(HttpStatusCode.Created);

    public static async Task<string> NewPartnerKey(this BpClubApp app, decimal pointsPerUah = 0.5m)
    {
        var id = "pa-" + Guid.NewGuid().ToString("N")[..8];
        var created = await app.Operator()
            .PutAsJsonAsync($"/api/admin/v1/partners/{id}", new { name = "Coffee partner", pointsPerUah })
            .Expect(HttpStatusCode.Created);
        return created.GetProperty("apiKey").GetString()!;
    }

    /// <summary>A registered member with an issued card: the card, phone, password and a bearer client.</summary>
    public static async Task<Member> NewMember(this BpClubApp app, string station, string firstName = "Olena",
        string lastName = "Kovalenko")
    {
        var card = await app.IssueCard(station, firstName, lastName);
        var phone = BpClubApp.NewPhone();
        const string password = "Sunflower-2026";
        var token = await app.Register(card, phone, password);
        return new Member(app, card, phone, password, token);
    }

    public static async Task<string> SignIn(this BpClubApp app, string phone, string password)
    {
        var signedIn = await app.Client().PostAsJsonAsync("/api/cabinet/v1/sessions", new { phone, password })
            .Expect(HttpStatusCode.OK);
        return signedIn.GetProperty("accessToken").GetString()!;
    }
}

public sealed record Member(BpClubApp App, string Card, string Phone, string Password, string Token)
{
    public HttpClient Client() => App.Client(bearer: Token);
}
