using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BpClub.Bench;

/// <summary>What the watched member's balance stream saw over the run.</summary>
public sealed record WatchResult(TimeSpan Open, TimeSpan LongestConnection, int Purchases, int Failed,
    int Arrived, double MedianMs, double MaxMs, int Reconnects, int Heartbeats, int Events);

/// <summary>
/// One member keeps the cabinet's live balance (server-sent events) open for the whole run while the
/// scenarios load the service, and a till of its own posts a purchase to that member's card every 10 s.
/// Each purchase is timed from the till's answer to the first event whose total includes it, so a stream
/// that freezes (issue 11: the observer lost to a garbage collection) shows as purchases that never arrive.
/// </summary>
public sealed partial class BalanceWatch
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(10);
    private readonly Service _bp;
    private readonly HttpClient _till;
    // Its own client: the load's 30 s timeout would end a stream that is meant to outlive the run.
    private readonly HttpClient _stream = new(new SocketsHttpHandler { UseCookies = false })
    {
        Timeout = TimeSpan.FromHours(2),
    };
    private readonly string _card;
    private readonly string _token;
    // The till stops first; the stream outlives it by the few seconds Stop waits for the last purchase.
    private readonly CancellationTokenSource _stopTill = new(), _stopStream = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    // (ms on _clock, the balance's total after it) of every acknowledged purchase and every event.
    private readonly List<(double At, long Total)> _acked = [], _events = [];
    private int _failed, _reconnects, _heartbeats;
    private TimeSpan _open, _longest;
    private Task _reader = Task.CompletedTask, _purchases = Task.CompletedTask;

    private BalanceWatch(Service bp, HttpClient till, string card, string token) =>
        (_bp, _till, _card, _token) = (bp, till, card, token);

    /// <summary>Issues the card, registers it (the code from the SMS outbox), signs in and opens the stream.</summary>
    public static async Task<BalanceWatch> Start(Service bp, HttpClient http, string card, string smsOutbox)
    {
        string? cardCode;
        using (var issue = bp.Issue(card).Request)
        using (var issued = await http.SendAsync(issue))
        {
            if ((int)issued.StatusCode != 201)
                throw new InvalidOperationException($"watched card: {(int)issued.StatusCode}");
            // Issued without a phone: registering it takes the code printed on the card, shown once here.
            cardCode = (await issued.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("cardCode", out var c)
                ? c.GetString() : null;
        }
        var phone = "+38067" + Random.Shared.Next(1_000_000, 9_999_999);
        const string password = "Sunflower-2026";
        var sent = SmsCodes(smsOutbox, phone).Count;
        var started = await Json(await http.PostAsJsonAsync(bp.BaseUrl + "/api/cabinet/v1/registrations",
            new { cardNumber = card, phone, password, cardCode }));
        var code = await SmsCode(smsOutbox, phone, sent);
        await Json(await http.PostAsJsonAsync(
            $"{bp.BaseUrl}/api/cabinet/v1/registrations/{started.GetProperty("registrationId").GetString()}/confirm",
            new { code }));
        // Signed in as the app would be after a restart, not with the registration's own session.
        var session = await Json(await http.PostAsJsonAsync(bp.BaseUrl + "/api/cabinet/v1/sessions",
            new { phone, password }));
        var watch = new BalanceWatch(bp, http, card, session.GetProperty("accessToken").GetString()!);
        var first = new TaskCompletionSource();
        watch._reader = Task.Run(() => watch.Read(first));
        await first.Task.WaitAsync(TimeSpan.FromSeconds(30));
        watch._purchases = Task.Run(watch.Purchases);
        return watch;
    }

    /// <summary>Stops the till, gives the last purchase a few seconds to reach the stream, then closes it.</summary>
    public async Task<WatchResult> Stop()
    {
        await _stopTill.CancelAsync();
        await _purchases;
        var deadline = _clock.Elapsed + TimeSpan.FromSeconds(5);
        while (_clock.Elapsed < deadline && Pending() > 0) await Task.Delay(100);
        await _stopStream.CancelAsync();
        await _reader;
        _stream.Dispose();
        lock (_events)
        {
            var delays = _acked
                .Select(a => (Ack: a.At, Seen: _events.FirstOrDefault(e => e.Total >= a.Total, (double.NaN, 0)).At))
                .Where(d => !double.IsNaN(d.Seen)).Select(d => d.Seen - d.Ack).Order().ToList();
            return new WatchResult(_open, _longest, _acked.Count + _failed, _failed, delays.Count,
                delays.Count == 0 ? double.NaN : delays[(delays.Count - 1) / 2],
                delays.Count == 0 ? double.NaN : delays[^1], _reconnects, _heartbeats, _events.Count);
        }
    }

    private int Pending()
    {
        lock (_events) return _acked.Count(a => !_events.Any(e => e.Total >= a.Total));
    }

    private async Task Purchases()
    {
        // On a timer, not a loop: the rate stays one per 10 s however slow the service is under load.
        using var timer = new PeriodicTimer(Every);
        var i = 0L;
        try
        {
            while (await timer.WaitForNextTickAsync(_stopTill.Token))
            {
                using var request = _bp.Purchase(_card, _bp.Receipt("watch", i++)).Request;
                try
                {
                    var body = await Json(await _till.SendAsync(request, _stopTill.Token));
                    var total = body.GetProperty("balance").GetProperty("total").GetInt64();
                    lock (_events) _acked.Add((_clock.Elapsed.TotalMilliseconds, total));
                }
                catch (Exception) when (_stopTill.IsCancellationRequested) { break; }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException
                                              or InvalidOperationException or KeyNotFoundException)
                {
                    // Counted, not retried: a retry would be a second purchase to time.
                    if (_failed++ == 0) Console.Error.WriteLine($"[bench] watched card's purchase failed: {e.Message}");
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Reads the stream until stopped; a stream that ends or fails is opened again and counted.</summary>
    private async Task Read(TaskCompletionSource first)
    {
        var stop = _stopStream.Token;
        var connections = 0;
        while (!stop.IsCancellationRequested)
        {
            if (connections++ > 0)
            {
                _reconnects++;
                try { await Task.Delay(TimeSpan.FromSeconds(1), stop); }
                catch (OperationCanceledException) { break; }
            }
            var opened = _clock.Elapsed;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get,
                    _bp.BaseUrl + "/api/cabinet/v1/balance/events");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
                using var response = await _stream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
                if (!response.IsSuccessStatusCode) continue;
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop));
                (long Available, long Total, long OnHold)? last = null;
                var data = "";
                while (await reader.ReadLineAsync(stop) is { } line)
                {
                    if (line.StartsWith("data:", StringComparison.Ordinal)) data += line[5..].Trim();
                    if (line.Length > 0 || data.Length == 0) continue;
                    using var json = JsonDocument.Parse(data);
                    var b = json.RootElement;
                    data = "";
                    var now = (b.GetProperty("available").GetInt64(), b.GetProperty("total").GetInt64(),
                        b.GetProperty("onHold").GetInt64());
                    // A renewal resends the balance unchanged: the stream's heartbeat (not its first event).
                    if (now == last) _heartbeats++;
                    last = now;
                    lock (_events) _events.Add((_clock.Elapsed.TotalMilliseconds, now.Item2));
                    first.TrySetResult();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
            catch (Exception e) when (e is HttpRequestException or IOException or JsonException) { }
            finally
            {
                var lasted = _clock.Elapsed - opened;
                _open += lasted;
                if (lasted > _longest) _longest = lasted;
            }
        }
    }

    /// <summary>The code of the text to <paramref name="phone"/> after the <paramref name="sent"/> earlier.</summary>
    private static async Task<string> SmsCode(string outbox, string phone, int sent)
    {
        // The outbox outlives runs: a code an earlier run sent to the same number must not be taken.
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(200))
            if (SmsCodes(outbox, phone) is var codes && codes.Count > sent) return codes[sent];
        throw new InvalidOperationException($"no SMS code for {phone} in {outbox}");
    }

    private static List<string> SmsCodes(string outbox, string phone)
    {
        if (!File.Exists(outbox)) return [];
        using var file = new FileStream(outbox, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(file);
        var codes = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            using var json = JsonDocument.Parse(line);
            if (json.RootElement.GetProperty("to").GetString() == phone)
                codes.Add(SixDigits().Match(json.RootElement.GetProperty("text").GetString()!).Value);
        }
        return codes;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException(
                    $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
