using System.Diagnostics;
using System.Threading.Channels;

namespace BpClub.Api.Tests;

/// <summary>GET /api/cabinet/v1/balance/events: server-sent `balance` events on every change.</summary>
[Collection(ServiceCollection.Name)]
public sealed class BalanceStreamTests(AppFixture fixture)
{
    private readonly BpClubApp _app = fixture.App;

    [Fact]
    public async Task The_stream_gets_a_balance_event_within_a_second_of_a_till_purchase()
    {
        var stationKey = await _app.NewStationKey();
        var member = await _app.NewMember(stationKey);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await member.Client()
            .SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/cabinet/v1/balance/events"),
            HttpCompletionOption.ResponseHeadersRead, stop.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = Events(await response.Content.ReadAsStreamAsync(stop.Token), stop.Token);

        var first = await Next(events, TimeSpan.FromSeconds(10));
        Assert.Equal("balance", first.Name);
        Assert.Equal(0, first.Data.GetProperty("total").GetInt64());

        await _app.Client(stationKey).Purchase(Http.FuelPurchase("sse-1", member.Card, litres: 25m, amount: 1500m));
        var clock = Stopwatch.StartNew();
        var changed = await Next(events, TimeSpan.FromSeconds(5));
        var elapsed = clock.Elapsed;
        Assert.Equal("balance", changed.Name);
        Assert.Equal(25, changed.Data.GetProperty("total").GetInt64());
        Assert.Equal(25, changed.Data.GetProperty("onHold").GetInt64());
        Assert.True(elapsed < TimeSpan.FromSeconds(1),
            $"The event came {elapsed.TotalMilliseconds:0} ms after the purchase was answered.");

        // Every change, not only the first: a refund too.
        await _app.Client(stationKey).Purchase(Http.FuelPurchase("sse-2", member.Card, litres: 10m, amount: 600m));
        Assert.Equal(35, (await Next(events, TimeSpan.FromSeconds(5))).Data.GetProperty("total").GetInt64());
        await _app.Client(stationKey).PostAsJsonAsync("/api/pos/v1/refunds",
                new { refundId = "sse-f", receiptId = "sse-2", cardNumber = member.Card })
            .Expect(HttpStatusCode.Created);
        var afterRefund = await Poll.Until(() => Next(events, TimeSpan.FromSeconds(5)),
            e => e.Data.GetProperty("total").GetInt64() == 25, TimeSpan.FromSeconds(10), "the refund's event");
        Assert.Equal(25, afterRefund.Data.GetProperty("onHold").GetInt64());
        stop.Cancel();
    }

    [Fact]
    public async Task The_stream_keeps_delivering_after_garbage_collections()
    {
        var stationKey = await _app.NewStationKey();
        var member = await _app.NewMember(stationKey);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var response = await member.Client()
            .SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/cabinet/v1/balance/events"),
            HttpCompletionOption.ResponseHeadersRead, stop.Token);
        var events = Events(await response.Content.ReadAsStreamAsync(stop.Token), stop.Token);
        Assert.Equal(0, (await Next(events, TimeSpan.FromSeconds(10))).Data.GetProperty("total").GetInt64());

        // The front end runs in this process: these collections are the ones that used to take the
        // stream's observer away (Orleans holds it weakly), after which the balance froze.
        for (var i = 1; i <= 3; i++)
        {
            CollectEverything();
            await _app.Client(stationKey)
                .Purchase(Http.FuelPurchase($"sse-gc-{i}", member.Card, litres: 10m, amount: 600m));
            var total = 10L * i;
            await Poll.Until(() => Next(events, TimeSpan.FromSeconds(20)),
                e => e.Data.GetProperty("total").GetInt64() == total,
                TimeSpan.FromSeconds(30), $"the balance event after purchase {i} and a garbage collection");
        }
        stop.Cancel();
    }

    [Fact]
    public async Task The_stream_resumes_when_the_cards_activation_is_lost()
    {
        var stationKey = await _app.NewStationKey();
        var member = await _app.NewMember(stationKey);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var response = await member.Client()
            .SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/cabinet/v1/balance/events"),
            HttpCompletionOption.ResponseHeadersRead, stop.Token);
        var events = Events(await response.Content.ReadAsStreamAsync(stop.Token), stop.Token);
        Assert.Equal(0, (await Next(events, TimeSpan.FromSeconds(10))).Data.GetProperty("total").GetInt64());

        // The activation that held the subscription goes away (as when its silo dies); the next
        // purchase activates the card afresh, with no subscriber, until the stream renews.
        await _app.Cluster.DeactivateAll();
        await _app.Client(stationKey).Purchase(Http.FuelPurchase("sse-lost-1", member.Card, litres: 12m, amount: 700m));
        // Well within the 30 s a stream used to wait before renewing.
        await Poll.Until(() => Next(events, TimeSpan.FromSeconds(10)),
            e => e.Data.GetProperty("total").GetInt64() == 12,
            TimeSpan.FromSeconds(15), "the balance after the card's activation was lost");

        // And it goes on: the next change arrives too.
        await _app.Client(stationKey).Purchase(Http.FuelPurchase("sse-lost-2", member.Card, litres: 3m, amount: 200m));
        await Poll.Until(() => Next(events, TimeSpan.FromSeconds(10)),
            e => e.Data.GetProperty("total").GetInt64() == 15,
            TimeSpan.FromSeconds(15), "the next change");
        stop.Cancel();
    }

    private static void CollectEverything()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    [Fact]
    public async Task A_closed_stream_ends_its_subscription_without_an_error()
    {
        var member = await _app.NewMember(await _app.NewStationKey());
        var logged = LogCapture.Lines.Count;
        var tag = Guid.NewGuid().ToString("N");
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            var response = await member.Client()
                .SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/cabinet/v1/balance/events?client={tag}"),
                HttpCompletionOption.ResponseHeadersRead, stop.Token);
            var events = Events(await response.Content.ReadAsStreamAsync(stop.Token), stop.Token);
            Assert.Equal("balance", (await Next(events, TimeSpan.FromSeconds(10))).Name);
            response.Dispose();
        }

        // The front end logs the request's end once the stream's clean-up has run.
        await Poll.Until(() => Task.FromResult(LogCapture.Lines.Skip(logged).ToList()),
            lines => lines.Any(l => l.Contains("Request finished", StringComparison.Ordinal)
                && l.Contains(tag, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the stream's request to finish");
        var errors = LogCapture.Lines.Skip(logged)
            .Where(l => l.StartsWith("Error", StringComparison.Ordinal)
                && l.Contains("ExceptionHandler", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public async Task Signing_out_ends_the_open_stream()
    {
        var member = await _app.NewMember(await _app.NewStationKey());
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await member.Client()
            .SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/cabinet/v1/balance/events"),
            HttpCompletionOption.ResponseHeadersRead, stop.Token);
        var events = Events(await response.Content.ReadAsStreamAsync(stop.Token), stop.Token);
        Assert.Equal("balance", (await Next(events, TimeSpan.FromSeconds(10))).Name);

        await member.Client().DeleteAsync("/api/cabinet/v1/sessions/current").Expect(HttpStatusCode.NoContent);

        // Within a renewal (2 s here) the front end ends the stream; the reader sees its end.
        var ended = await Task.WhenAny(events.Completion, Task.Delay(TimeSpan.FromSeconds(20), stop.Token));
        Assert.True(ended == events.Completion, "The stream outlived its session.");
        stop.Cancel();
    }

    internal sealed record ServerEvent(string Name, JsonElement Data);

    internal static async Task<ServerEvent> Next(ChannelReader<ServerEvent> events, TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try { return await events.ReadAsync(wait.Token); }
        catch (OperationCanceledException) { throw new TimeoutException($"No event within {timeout}."); }
    }

    /// <summary>Reads the stream in the background, so that an event is timed when it arrives, not when asked
    /// for.</summary>
    internal static ChannelReader<ServerEvent> Events(Stream stream, CancellationToken stop)
    {
        var channel = Channel.CreateUnbounded<ServerEvent>();
        _ = Task.Run(async () =>
        {
            using var reader = new StreamReader(stream);
            string name = "message", data = "";
            try
            {
                while (await reader.ReadLineAsync(stop) is { } line)
                {
                    if (line.StartsWith("event:", StringComparison.Ordinal)) name = line[6..].Trim();
                    else if (line.StartsWith("data:", StringComparison.Ordinal)) data += line[5..].Trim();
                    else if (line.Length == 0 && data.Length > 0)
                    {
                        channel.Writer.TryWrite(new ServerEvent(name, JsonDocument.Parse(data).RootElement.Clone()));
                        (name, data) = ("message", "");
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException) { }
            finally { channel.Writer.TryComplete(); }
        }, CancellationToken.None);
        return channel.Reader;
    }
}
