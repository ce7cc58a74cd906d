using System.Net;
using System.Text;
using System.Text.Json;

namespace BpClub.Cluster.Tests;

/// <summary>What a run needs before the load starts: stations with their keys, issued cards.</summary>
public static class Setup
{
    /// <summary>Sends a request (made afresh each time) until it gets an answer that is not a 503, 429 or
    /// timeout.</summary>
    public static async Task<HttpResponseMessage> Send(HttpClient http, Func<HttpRequestMessage> request,
        TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                var response = await http.SendAsync(request());
                if (response.StatusCode is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
                    || DateTime.UtcNow > deadline)
                    return response;
                response.Dispose();
            }
            catch (Exception e) when ((e is TaskCanceledException or HttpRequestException)
                && DateTime.UtcNow < deadline)
            {
                // retried below
            }
            await Task.Delay(250);
        }
    }

    public static HttpRequestMessage Json(HttpMethod method, Uri uri, string key, object? body)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Add("X-Api-Key", key);
        if (body is not null) request.Content =
            new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        return request;
    }

    /// <summary>Creates stations through the operator API; returns id → station key.</summary>
    public static async Task<Dictionary<string, string>> Stations(HttpClient http, Uri front, int count)
    {
        var keys = new Dictionary<string, string>();
        for (var i = 1; i <= count; i++)
        {
            var id = $"chaos-{i}";
            using var response =
                await Send(http, () => Json(HttpMethod.Put, new Uri(front, $"api/admin/v1/stations/{id}"),
                    LocalCluster.OperatorKey,
                new { name = $"Chaos station {i}", address = $"Kyiv, Khreshchatyk {i}" }), TimeSpan.FromSeconds(60));
            if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException(
                $"station {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            keys[id] = (await LocalCluster.Json<JsonElement>(response)).GetProperty("apiKey").GetString()!;
        }
        return keys;
    }

    /// <summary>Issues the cards at the tills, a few at a time across the front ends.</summary>
    public static async Task Issue(HttpClient http, IReadOnlyList<Uri> fronts, string stationKey,
        IReadOnlyList<string> cards)
    {
        var next = -1;
        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < cards.Count)
            {
                var card = cards[i];
                var front = fronts[i % fronts.Count];
                using var response =
                    await Send(http, () => Json(HttpMethod.Put, new Uri(front, $"api/pos/v1/cards/{card}"), stationKey,
                    new { firstName = "Taras", lastName = "Shevchenko", consent = true }), TimeSpan.FromSeconds(60));
                // 409: issued by an earlier attempt whose answer was lost.
                if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Conflict))
                    throw new InvalidOperationException(
                        $"issuing {card}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Worker()));
    }
}
