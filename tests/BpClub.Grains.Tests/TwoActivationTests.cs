using System.Collections.Concurrent;
using BpClub.Abstractions;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

/// <summary>
/// Two clusters of one service on one database, each with its own grain directory: a split brain in
/// which one card is active twice at once, both activations writing the same ledger.
/// </summary>
public sealed class SplitBrainFixture : IAsyncLifetime
{
    public BpClubTestCluster First { get; private set; } = null!;
    public BpClubTestCluster Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        First = await BpClubTestCluster.Start();
        Second = await BpClubTestCluster.Start(sharing: First);
    }

    public async Task DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
    }
}

public sealed class TwoActivationTests(SplitBrainFixture fixture) : IClassFixture<SplitBrainFixture>
{
    private readonly TestStation _till = new();
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    /// <summary>A card issued in the first cluster and active in both, each activation as of its issue.</summary>
    private async Task<(ICardGrain First, ICardGrain Second, string Number)> ActiveTwice()
    {
        var number = Testing.Cards.NewNumber();
        var first = await fixture.First.Grains.Issued(number);
        var second = fixture.Second.Grains.GetGrain<ICardGrain>(number);
        Assert.Equal(0, (await second.GetBalance().Ok()).Total.Value);
        return (first, second, number);
    }

    private async Task AssertLedgerConsistent(string number, long expectedTotal)
    {
        var database = fixture.First.Database;
        Assert.Empty(await database.Duplicates(number));
        Assert.Equal(await database.LedgerCount(number), await database.MaxSeq(number));
        Assert.Equal(expectedTotal, await database.LedgerTotal(number));
    }

    [Fact]
    public async Task A_stale_activation_cannot_commit_over_the_other_and_loses_cleanly()
    {
        var database = fixture.First.Database;
        var (first, second, number) = await ActiveTwice();
        await first.Accrue(_till.Fuel("a-1", 10m)).Ok();

        // The second still thinks entry 1 is the last: the fence in the commit refuses it.
        await Assert.ThrowsAsync<StaleActivationException>(() => second.Accrue(_till.Fuel("b-1", 20m)));

        Assert.Equal(2, await database.LedgerCount(number));
        Assert.Equal(0, await database.ReceiptRows(number, "b-1"));
        Assert.False(await database.HasOperation(number, $"purchase:{_till.Station}:b-1"));
        // Resent, it reaches an activation rebuilt from the ledger and lands after the first's entry.
        var (b1, _) = await Tills.SendUntilAnswered(() => second.Accrue(_till.Fuel("b-1", 20m)), Deadline, "b-1");
        Assert.Equal((OutcomeStatus.Done, 20L, 30L),
            (b1.Status, b1.Value!.PointsEarned.Value, b1.Value.Balance.Total.Value));
        // Now the first is the stale one, and it loses the same way.
        await Assert.ThrowsAsync<StaleActivationException>(() => first.Accrue(_till.Fuel("a-2", 10m)));
        var (a2, _) = await Tills.SendUntilAnswered(() => first.Accrue(_till.Fuel("a-2", 10m)), Deadline, "a-2");
        Assert.Equal((OutcomeStatus.Done, 40L), (a2.Status, a2.Value!.Balance.Total.Value));
        Assert.Equal(3, await database.LedgerCount(number, "purchase"));
        await AssertLedgerConsistent(number, 40);
    }

    [Fact]
    public async Task Two_activations_writing_one_card_at_once_count_every_acknowledged_purchase_once()
    {
        var (first, second, number) = await ActiveTwice();
        // One instant for every receipt, so that a month boundary during the test cannot split their litres.
        var madeAt = DateTimeOffset.UtcNow;
        var acknowledged = new ConcurrentDictionary<string, long>();
        var lost = 0;

        async Task Till(ICardGrain card, string prefix)
        {
            for (var i = 0; i < 20; i++)
            {
                var receipt = $"{prefix}-{i}";
                var (outcome, failures) = await Tills.SendUntilAnswered(
                    () => card.Accrue(_till.Fuel(receipt, 10m, occurredAt: madeAt)), Deadline, receipt);
                Assert.True(outcome.Succeeded, $"{receipt}: {outcome.Status} {outcome.Detail}");
                acknowledged[receipt] = outcome.Value!.PointsEarned.Value;
                Interlocked.Add(ref lost, failures.Count);
            }
        }

        await Task.WhenAll(Till(first, "a"), Till(second, "b"));

        // Both started as of the issue, so whichever wrote second was stale at least once.
        Assert.True(lost > 0, "neither activation ever lost a commit: they did not write against each other");
        var ledger = await fixture.First.Database.PurchasePoints(number);
        Assert.Equal(acknowledged.OrderBy(p => p.Key), ledger.OrderBy(p => p.Key));
        // Each receipt rated on the true ledger before it: 10 × 10 L at Green, 10 at Gold, 20 at Platinum.
        await AssertLedgerConsistent(number, 10 * 10 + 10 * 20 + 20 * 30);
        await fixture.First.DeactivateAll();
        await fixture.Second.DeactivateAll();
        Assert.Equal(900, (await first.GetBalance().Ok()).Total.Value);
        Assert.Equal(900, (await second.GetBalance().Ok()).Total.Value);
    }

    [Fact]
    public async Task A_stale_activation_does_not_acknowledge_a_spending_switch_the_ledger_contradicts()
    {
        var (first, second, number) = await ActiveTwice();
        await first.SwitchSpending(true).Ok();

        // The stale side believes spending is off already: a command that records nothing, fenced all the same.
        await Assert.ThrowsAsync<StaleActivationException>(() => second.SwitchSpending(false));

        var (_, ledger) = await fixture.First.Database.RebuildFromLedger(number, fixture.First.Rules);
        Assert.True(ledger.SpendingEnabled);
        // The loser deactivated: the next call rebuilds from the ledger and sees the truth.
        var now = await Poll.Until(async () =>
        {
            try { return await second.SwitchSpending(true); }
            catch (StaleActivationException) { return null; }
        }, o => o is { Succeeded: true }, TimeSpan.FromSeconds(60), "the stale activation to be replaced");
        Assert.True(now!.Value!.Enabled);
    }

    [Fact]
    public async Task Two_silos_recording_one_receipt_on_two_cards_at_once_let_only_one_earn()
    {
        var (x, y) = (await fixture.First.Grains.Issued(), await fixture.Second.Grains.Issued());
        for (var round = 0; round < 10; round++)
        {
            var receipt = $"both-{round}-" + Guid.NewGuid().ToString("N")[..6];
            // Each side its own transaction: the loser meets the winner's row in station_receipts.
            var outcomes = await Task.WhenAll(x.Accrue(_till.Fuel(receipt, 5m)), y.Accrue(_till.Fuel(receipt, 5m)));
            Assert.Single(outcomes, o => o.Status == OutcomeStatus.Done);
            Assert.Single(outcomes, o => o.Status == OutcomeStatus.Conflict);
        }
        var total = (await x.GetBalance().Ok()).Total.Value + (await y.GetBalance().Ok()).Total.Value;
        Assert.Equal(50, total);
    }
}
