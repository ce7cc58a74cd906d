using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BpClub.Bench;

/// <summary>The BpClub HTTP API as the bench's tills, operator and readers use it (the baseline too).</summary>
public sealed class Service(HttpClient http, string baseUrl, string operatorKey)
{
    public string BaseUrl => baseUrl;
    public string StationKey { get; private set; } = "";
    public const string StationId = "bench-1";
    private readonly string _run = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);

    /// <summary>Card stock: 15 digits of the bench's own range and their Luhn check digit.</summary>
    public static string Card(long index)
    {
        var body = "7" + index.ToString("D14", CultureInfo.InvariantCulture);
        for (var check = 0; check <= 9; check++)
        {
            var candidate = body + (char)('0' + check);
            if (Luhn(candidate)) return candidate;
        }
        throw new InvalidOperationException("unreachable");
    }

    private static bool Luhn(string digits)
    {
        var sum = 0;
        var twice = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (twice) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    public async Task CreateStation()
    {
        using var put = Admin(HttpMethod.Put, $"/api/admin/v1/stations/{StationId}",
            new { name = "Bench station", address = "Kyiv, bench" });
        using var response = await http.SendAsync(put);
        response.EnsureSuccessStatusCode();
        var key = (await response.Content.ReadFromJsonAsync<JsonObject>())?["apiKey"]?.GetValue<string>();
        if (key is null)
        {
            using var rotate = Admin(HttpMethod.Post, $"/api/admin/v1/stations/{StationId}/key", null);
            using var rotated = await http.SendAsync(rotate);
            rotated.EnsureSuccessStatusCode();
            key = (await rotated.Content.ReadFromJsonAsync<JsonObject>())!["apiKey"]!.GetValue<string>();
        }
        StationKey = key;
    }

    public async Task StartPromotion(string id)
    {
        var now = DateTimeOffset.UtcNow;
        using var put = Admin(HttpMethod.Put, $"/api/admin/v1/promotions/{id}", new
        {
            name = "Bench promotion day: double points on fuel",
            startsAt = now.AddMinutes(-1),
            endsAt = now.AddDays(1),
            productCodes = new[] { "A95" },
            multiplier = 2,
        });
        using var response = await http.SendAsync(put);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException(
                $"promotion: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public Call Issue(string card) => new("issue", Pos(HttpMethod.Put, $"/api/pos/v1/cards/{card}",
        new { firstName = "Bench", lastName = "Till", consent = true }));

    public Call Purchase(string card, string receipt, DateTimeOffset? occurredAt = null) =>
        new("purchase", Pos(HttpMethod.Post, "/api/pos/v1/purchases", new
    {
        receiptId = receipt,
        cardNumber = card,
        occurredAt,
        paymentMethod = "bankCard",
        lines = new object[]
        {
            new { type = "fuel", productCode = "A95", litres = 40.5m, amount = 2430.00m },
            new { type = "shop", category = "coffee", amount = 65.00m },
        },
    }));

    public Call Balance(string card) => new("balance", Pos(HttpMethod.Get, $"/api/pos/v1/cards/{card}/balance", null));

    public Call Live() => new("live", new HttpRequestMessage(HttpMethod.Get, baseUrl + "/health/live"));

    private long _receipts;

    /// <summary>
    /// A receipt id no earlier request or run used (receipt ids are unique per station): warm-up and timed run
    /// never repeat one.
    /// </summary>
    public string Receipt(string scenario, long i) => $"{_run}-{scenario}-{i}-{Interlocked.Increment(ref _receipts)}";

    public async Task<int> Send(Call call)
    {
        using var request = call.Request;
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode;
    }

    private HttpRequestMessage Pos(HttpMethod method, string path, object? body) =>
        Request(method, path, body, StationKey);

    private HttpRequestMessage Admin(HttpMethod method, string path, object? body) =>
        Request(method, path, body, operatorKey);

    private HttpRequestMessage Request(HttpMethod method, string path, object? body, string key)
    {
        var request = new HttpRequestMessage(method, baseUrl + path);
        request.Headers.Add("X-Api-Key", key);
        if (body is not null)
            request.Content = new StringContent(JsonSerializer.Serialize(body, Json), Encoding.UTF8,
                "application/json");
        return request;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
