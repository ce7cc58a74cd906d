using System.Collections.Concurrent;
using BpClub.Abstractions;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

public sealed class CrashTests
{
    private readonly TestStation _till = new();
    /// <summary>Declare a killed silo dead within seconds, not the production defaults' half-minute.</summary>
    private static readonly Dictionary<string, string?> FastFailureDetection = new()
    {
        [BpClubTestCluster.ClusterSetting("Membership", "ProbeTimeout")] = "00:00:01",
        [BpClubTestCluster.ClusterSetting("Membership", "MinProbeTimeout")] = "00:00:01",
        [BpClubTestCluster.ClusterSetting("Membership", "NumMissedProbesLimit")] = "2",
        [BpClubTestCluster.ClusterSetting("Membership", "NumVotesForDeathDeclaration")] = "1",
        [BpClubTestCluster.ClusterSetting("Membership", "TableRefreshTimeout")] = "00:00:02",
        // A call caught in the dead silo fails fast, and the till retries, as a POS does on a timeout.
        [BpClubTestCluster.ClientMessagingSection + ":ResponseTimeout"] = "00:00:05",
        [BpClubTestCluster.SiloMessagingSection + ":ResponseTimeout"] = "00:00:05",
    };

    private const int PerTill = 50;
    private const int Total = 4 * PerTill;

    [Fact]
    public async Task Killing_a_silo_mid_stream_loses_no_acknowledged_purchase_and_applies_none_twice()
    {
        await using var cluster = await BpClubTestCluster.Start(silos: 2, settings: FastFailureDetection);
        var card = await cluster.Grains.Issued();
        var number = card.GetPrimaryKeyString();
        var acknowledged = new ConcurrentDictionary<string, PurchaseResult>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);

        // Four tills, each retrying a receipt until it is acknowledged, as a POS does on a timeout.
        async Task Till(int till)
        {
            for (var i = 0; i < PerTill; i++)
            {
                var receipt = $"till{till}-{i}";
                while (true)
                {
                    if (DateTime.UtcNow > deadline) throw new TimeoutException($"{receipt} was never acknowledged");
                    try
                    {
                        var outcome = await card.Accrue(_till.Fuel(receipt, 1.5m, station: $"st-{till}"));
                        Assert.True(outcome.Succeeded, $"{receipt}: {outcome.Status} {outcome.Detail}");
                        acknowledged[receipt] = outcome.Value!;
                        break;
                    }
                    catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                    {
                        // Not acknowledged (the silo died under it): the till sends the same receipt again.
                        await Task.Delay(50);
                    }
                }
            }
        }

        var tills = Enumerable.Range(1, 4).Select(Till).ToArray();
        await Poll.Until(() => Task.FromResult(acknowledged.Count), n => n >= 20, TimeSpan.FromSeconds(30),
            "purchases before the crash");
        var host = await cluster.SiloHosting(card)
            ?? throw new InvalidOperationException("The card is not active anywhere.");
        await cluster.Cluster.KillSiloAsync(host);
        var atCrash = acknowledged.Count;
        await Task.WhenAll(tills);

        Assert.True(atCrash < Total, "the silo was killed after the stream had ended");
        Assert.Equal(Total, acknowledged.Count);
        Assert.Equal(Total, await cluster.Database.LedgerCount(number, "purchase"));
        Assert.Empty(await cluster.Database.Duplicates(number));
        // No gap and no half-applied command: sequence numbers run 1..n.
        Assert.Equal(await cluster.Database.LedgerCount(number),
            await cluster.Database.Scalar<long>("select max(seq) from card_ledger where card_number = @card", number));
        var balance = await card.GetBalance().Ok();
        Assert.Equal(acknowledged.Values.Sum(r => r.PointsEarned.Value), balance.Total.Value);
        Assert.Equal(await cluster.Database.LedgerTotal(number), balance.Total.Value);
    }
}
