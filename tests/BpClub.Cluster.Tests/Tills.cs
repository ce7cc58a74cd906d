using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BpClub.Cluster.Tests;

/// <summary>A receipt a till sent: acknowledged once a 201 (or the replay's 200) came back.</summary>
public sealed class Receipt(string id, string station, string card)
{
    public string Id { get; } = id;
    public string Station { get; } = station;
    public string Card { get; } = card;
    public int Attempts { get; set; }
    /// <summary>When (on the run's clock) the till first sent it.</summary>
    public TimeSpan FirstSentAt { get; set; }
    public long? PointsEarned { get; set; }
    public TimeSpan? AcknowledgedAt { get; set; }
    public bool Acknowledged => PointsEarned is not null;
}

/// <summary>
/// Tills posting purchases across the front ends, at a steady rate (<see cref="Run"/>) or as fast as
/// answers come back (<see cref="Saturate"/>). Like a real till, each receipt is sent again with the same
/// receiptId after a timeout, a dropped connection, a 503 or a 429 (after the Retry-After), until it is
/// acknowledged or the run's deadline passes. Receipt ids start with <paramref name="prefix"/>.
/// </summary>
public sealed class Tills(IReadOnlyList<Uri> fronts, IReadOnlyDictionary<string, string> stationKeys,
    IReadOnlyList<string> cards,
    Stopwatch clock, string prefix = "r")
{
    /// <summary>How long a till waits for an answer before it sends the receipt again.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http =
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) }) { Timeout =
            RequestTimeout };
    private readonly ConcurrentQueue<(TimeSpan At, string Outcome, TimeSpan Took)> _answers = new();
    private readonly List<Task> _running = [];
    private long _sent;
    private long _inFlight;

    public ConcurrentBag<Receipt> Receipts { get; } = [];

    /// <summary>HTTP requests sent (first attempts and retries).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Every answer: when it came (on the run's clock), "201", "503", "timeout", "connection"..., how long it
    /// took.</summary>
    public IReadOnlyCollection<(TimeSpan At, string Outcome, TimeSpan Took)> Answers => _answers;

    /// <summary>When (on the run's clock) a till stops retrying a receipt that was never acknowledged.</summary>
    public TimeSpan GiveUpAt { get; set; } = TimeSpan.MaxValue;

    /// <summary>Starts a new receipt every 1/<paramref name="perSecond"/> s until <paramref name="stop"/>; retries go
    /// on until <see cref="GiveUpAt"/>.</summary>
    public async Task Run(double perSecond, CancellationToken stop)
    {
        var stations = stationKeys.Keys.ToArray();
        var started = clock.Elapsed;
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            // A steady schedule: the n-th receipt is due at n/rate, however long the previous ones took.
            var due = started + TimeSpan.FromSeconds(n / perSecond);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                try { await Task.Delay(wait, stop); }
                catch (OperationCanceledException) { break; }
            }
            lock (_running) _running.Add(Send(NewReceipt(n, stations), n));
            n++;
        }
        Task[] all;
        lock (_running) all = [.. _running];
        await Task.WhenAll(all);
    }

    /// <summary>
    /// A closed loop: <paramref name="concurrency"/> tills, each sending its next receipt as soon as the
    /// previous one is acknowledged, until <paramref name="duration"/> has passed. What the cluster serves.
    /// </summary>
    public async Task Saturate(int concurrency, TimeSpan duration)
    {
        var stations = stationKeys.Keys.ToArray();
        var until = clock.Elapsed + duration;
        var next = -1;
        async Task Till()
        {
            while (clock.Elapsed < until)
            {
                var n = Interlocked.Increment(ref next);
                await Send(NewReceipt(n, stations), n);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Till()));
    }

    private Receipt NewReceipt(int n, string[] stations)
    {
        var receipt = new Receipt($"{prefix}{n:D6}", stations[n % stations.Length],
            cards[Random.Shared.Next(cards.Count)]);
        Receipts.Add(receipt);
        return receipt;
    }

    private async Task Send(Receipt receipt, int n)
    {
        var body = JsonSerializer.Serialize(new
        {
            receiptId = receipt.Id,
            cardNumber = receipt.Card,
            paymentMethod = "cash",
            lines = new object[] { new { type = "fuel", productCode = "A95", litres = 10m + n % 30,
                amount = (10m + n % 30) * 55m } },
        });
        while (clock.Elapsed < GiveUpAt)
        {
            // Alternate front ends between attempts, as a load balancer in front of them would.
            var front = fronts[(n + receipt.Attempts) % fronts.Count];
            if (receipt.Attempts == 0) receipt.FirstSentAt = clock.Elapsed;
            receipt.Attempts++;
            Interlocked.Increment(ref _sent);
            Interlocked.Increment(ref _inFlight);
            var began = clock.Elapsed;
            // Backing off: 0.25, 0.5, 1, 2, 4, 4... s with jitter, and never sooner than Retry-After.
            var backoff = TimeSpan.FromMilliseconds(Math.Min(4000, 250 << Math.Min(receipt.Attempts - 1, 5))
                * (0.5 + Random.Shared.NextDouble() / 2));
            var retryAfter = backoff;
            string outcome;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(front, "api/pos/v1/purchases"))
                {
                    Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("X-Api-Key", stationKeys[receipt.Station]);
                using var response = await _http.SendAsync(request);
                outcome = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                {
                    var result = await response.Content.ReadFromJsonAsync<JsonElement>();
                    receipt.PointsEarned = result.GetProperty("pointsEarned").GetInt64();
                    receipt.AcknowledgedAt = clock.Elapsed;
                }
                else if (response.Headers.RetryAfter?.Delta is { } delta && delta > retryAfter)
                {
                    retryAfter = delta < TimeSpan.FromSeconds(5) ? delta : TimeSpan.FromSeconds(5);
                }
            }
            catch (TaskCanceledException)
            {
                outcome = "timeout";
            }
            catch (HttpRequestException)
            {
                outcome = "connection";
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
            _answers.Enqueue((clock.Elapsed, outcome, clock.Elapsed - began));
            if (receipt.Acknowledged) return;
            // 4xx other than 429 will not change on a retry: the till gives up (the test reports it).
            if (outcome is "400" or "401" or "403" or "404" or "409" or "422") return;
            await Task.Delay(retryAfter);
        }
    }
}
