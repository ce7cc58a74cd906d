using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BpClub.Testing;

/// <summary>
/// A local SMS provider for the HTTP gateway: Kestrel on a loopback port that records every POST (its headers
/// and body) and answers with the status a test sets for the next requests (200 by default). Plain HTTP, or
/// HTTPS with a certificate of the test's (a silo in Production sends texts over HTTPS only).
/// </summary>
public sealed partial class FakeSmsProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _answers = new();

    private FakeSmsProvider(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Every request received, in order, failed ones included.</summary>
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>The status of each request once the queued ones are used up.</summary>
    public int DefaultStatus { get; set; } = StatusCodes.Status200OK;

    public sealed record Received(string Body, IReadOnlyDictionary<string, string> Headers, int AnsweredWith)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    }

    public static async Task<FakeSmsProvider> Start(X509Certificate2? httpsCertificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (httpsCertificate is null) builder.WebHost.UseUrls("http://127.0.0.1:0");
        else builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(httpsCertificate)));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeSmsProvider(app);
        app.MapPost("/sms", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var status = fake._answers.TryDequeue(out var next) ? next : fake.DefaultStatus;
            fake.Requests.Enqueue(new Received(body,
                http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(),
                    StringComparer.OrdinalIgnoreCase), status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.Url = new Uri(new Uri(address), "/sms");
        return fake;
    }

    /// <summary>The next requests are answered with these statuses, in order.</summary>
    public void AnswerNext(params int[] statuses)
    {
        foreach (var status in statuses) _answers.Enqueue(status);
    }

    /// <summary>The six-digit codes of the texts accepted (2xx) for <paramref name="phoneE164"/>.</summary>
    public IReadOnlyList<string> CodesSentTo(string phoneE164) => Requests
        .Where(r => r.AnsweredWith is >= 200 and < 300 && r.Json.GetProperty("to").GetString() == phoneE164)
        .Select(r => SixDigits().Match(r.Json.GetProperty("text").GetString()!).Value)
        .ToList();

    /// <summary>Silo settings that make this the SMS provider.</summary>
    public Dictionary<string, string?> SiloSettings(string authorization) => new()
    {
        ["Sms:Provider"] = "http",
        ["Sms:Http:Url"] = Url.ToString(),
        ["Sms:Http:AuthHeaderValue"] = authorization,
        ["Sms:Http:RetryDelay"] = "00:00:00.050",
        ["Sms:Http:MaxAttempts"] = "3",
        ["Sms:MaxPerSourcePerHour"] = "6",
        ["Sms:MaxPerPhonePerDay"] = "2",
        ["Cabinet:CodeResendInterval"] = "00:00:00",
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
