using System.Collections.Concurrent;
using System.Net;
using BpClub.Testing;
using Xunit.Abstractions;

namespace BpClub.Cluster.Tests;

/// <summary>
/// Card replacements across processes while a silo is killed: every replacement is retried until answered, as a
/// support tool would, and afterwards the ledger in PostgreSQL judges that each member's points are on exactly one
/// card, the new one, once: nothing lost, nothing duplicated, every old card closed.
/// </summary>
public sealed class ReplacementFaultTest(ITestOutputHelper output)
{
    private const int Pairs = 60;
    private const long PointsPerCard = 10;

    private static readonly Dictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["Programme__HoldPeriod"] = "00:10:00",
        ["Programme__AnnualExpiryEnabled"] = "false",
        ["Reminders__MinimumReminderPeriod"] = "00:00:05",
        ["Reminders__RefreshReminderListPeriod"] = "00:00:10",
        ["Reminders__InitializationTimeout"] = "00:00:30",
        ["RateLimits__PerCallerPerSecond"] = "5000",
        ["RateLimits__PerCallerBurst"] = "10000",
        ["DOTNET_TieredPGO"] = "0",
        ["Logging__LogLevel__Default"] = "Warning",
    }.Concat(MembershipSettings.Environment()).ToDictionary();

    [Fact]
    public async Task Replacements_during_a_silo_kill_leave_each_members_points_on_exactly_one_card()
    {
        await using var cluster = await LocalCluster.Start(Settings);
        var silos = new[] { cluster.StartSilo(), cluster.StartSilo(), cluster.StartSilo() };
        var front = cluster.StartFront();
        await Task.WhenAll(silos.Append(front).Select(p => LocalCluster.WaitReady(p, TimeSpan.FromSeconds(120))));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        var station = (await Setup.Stations(http, front.Http, 1)).Values.Single();
        var olds = Enumerable.Range(0, Pairs).Select(_ => Cards.NewNumber()).ToList();
        var news = Enumerable.Range(0, Pairs).Select(_ => Cards.NewNumber()).ToList();
        await Setup.Issue(http, [front.Http], station, [.. olds, .. news]);
        foreach (var (card, i) in olds.Select((c, i) => (c, i)))
        {
            using var bought = await Setup.Send(http, () => Setup.Json(HttpMethod.Post,
                new Uri(front.Http, "api/pos/v1/purchases"), station, new
                {
                    receiptId = $"rf-{i}", cardNumber = card, paymentMethod = "cash",
                    lines = new object[] { new { type = "fuel", productCode = "A95", litres = 10, amount = 600 } },
                }), TimeSpan.FromSeconds(60));
            Assert.True(bought.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK,
                $"{card}: {(int)bought.StatusCode}");
        }
        output.WriteLine($"{Pairs} cards with {PointsPerCard} points each, {Pairs} new cards issued");

        // Each replacement is sent until it is answered 200 or 201, whatever fails in between.
        var done = new ConcurrentBag<string>();
        var next = -1;
        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Pairs)
            {
                var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
                while (true)
                {
                    Assert.True(DateTime.UtcNow < deadline, $"replacement of {olds[i]} never answered");
                    using var answer = await Setup.Send(http, () => Setup.Json(HttpMethod.Post,
                        new Uri(front.Http, $"api/admin/v1/cards/{olds[i]}/replacement"), LocalCluster.OperatorKey,
                        new { newCardNumber = news[i] }), TimeSpan.FromSeconds(30));
                    if (answer.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK) break;
                    // A 500 is an answer nobody may count on either: the request is sent again.
                    Assert.True((int)answer.StatusCode >= 500,
                        $"{olds[i]}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
                    await Task.Delay(250);
                }
                done.Add(olds[i]);
                await Task.Delay(100);
            }
        }
        var workers = Enumerable.Range(0, 4).Select(_ => Worker()).ToArray();
        await Poll.Until(() => Task.FromResult(done.Count), n => n >= 10, TimeSpan.FromSeconds(120),
            "replacements before the kill");
        silos[0].Kill();
        var atKill = done.Count;
        output.WriteLine($"SIGKILL silo-1 after {atKill} replacements");
        await Task.WhenAll(workers);
        Assert.True(atKill < Pairs, "the silo was killed after the replacements had ended");

        // The judge: the ledger.
        for (var i = 0; i < Pairs; i++)
        {
            Assert.Equal(0, await cluster.Database.LedgerTotal(olds[i]));
            Assert.Equal(PointsPerCard, await cluster.Database.LedgerTotal(news[i]));
            Assert.Equal(1, await cluster.Database.LedgerCount(news[i], "transferred"));
            Assert.Equal(1, await cluster.Database.LedgerCount(olds[i], "replacing"));
            Assert.Equal(1, await cluster.Database.LedgerCount(olds[i], "replaced"));
            Assert.Empty(await cluster.Database.Duplicates(news[i]));
        }
        // And the tills: the old cards are closed, the new ones earn.
        using var refused = await Setup.Send(http, () => Setup.Json(HttpMethod.Post,
            new Uri(front.Http, "api/pos/v1/redemptions"), station,
            new { redemptionId = "rd-1", cardNumber = olds[0], points = 1 }), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        output.WriteLine("every member's points are on the new card, once");
    }
}
