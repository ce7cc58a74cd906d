using BpClub.Abstractions;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

/// <summary>
/// The grain's Orleans state is a compact snapshot; the ledger is the truth. A card with a long
/// history must come back exactly as it was — its whole account, not only what its summary shows —
/// and its stored state must not grow with the history.
/// </summary>
[Collection(FakeClockCluster.Name)]
public sealed class SnapshotTests(FakeClockFixture fixture)
{
    private readonly TestStation _till = new();
    private readonly IGrainFactory _grains = fixture.Cluster.Grains;

    /// <summary>
    /// Purchases whose hold then ends: each is a purchase entry and a release entry (a second apart,
    /// so each lot is released on its own), the releases recorded by one more purchase, left on hold.
    /// </summary>
    private async Task AddHistory(ICardGrain card, int from, int purchases)
    {
        for (var i = from; i < from + purchases; i++)
        {
            fixture.MoveTo(fixture.Now + TimeSpan.FromSeconds(1));
            await card.Accrue(_till.Fuel($"r-{i}", 1.5m)).Ok();
        }
        fixture.MovePastHold();
        await card.Accrue(_till.Fuel($"after-{from}", 1m)).Ok();
    }

    private static CardSummary WithoutClock(CardSummary s) => s with { Balance = s.Balance with { AsOf = default } };

    [Fact]
    public async Task Card_with_a_thousand_entries_comes_back_the_same_after_deactivation()
    {
        var card = await _grains.Issued();
        var number = card.GetPrimaryKeyString();
        await AddHistory(card, 0, 500);
        await card.SwitchSpending(true).Ok();
        await card.Redeem(new RedeemPoints("x-1", _till.Station, new Domain.Units.Points(100))).Ok();
        await card.Accrue(_till.Fuel("on-hold", 12.345m, amount: 679m)).Ok();
        var before = WithoutClock(await card.GetSummary().Ok());
        Assert.True(await fixture.Cluster.Database.LedgerCount(number) > 1000);

        await fixture.Cluster.DeactivateAll();
        // What it left is its whole account as of its last entry: lots, litres per month, settled-through time.
        var left = await SnapshotAssert.IsTheWholeLedger(fixture.Cluster, number);
        Assert.True(left.Account!.SpendingEnabled);
        Assert.NotEmpty(left.Account.Lots);
        Assert.NotEmpty(left.Account.MonthLitres);
        var after = WithoutClock(await card.GetSummary().Ok());

        Assert.Equal(before, after);
        Assert.Equal(await fixture.Cluster.Database.LedgerTotal(number), after.Balance.Total.Value);
        // The account it came back with rates and holds the next receipt as the ledger says it should:
        // 750 L this month or last make it Platinum (3/L), and the snapshot it leaves is the ledger's again.
        var next = await card.Accrue(_till.Fuel("after", 20m)).Ok();
        Assert.Equal(60, next.PointsEarned.Value);
        await fixture.Cluster.DeactivateAll();
        var again = await SnapshotAssert.IsTheWholeLedger(fixture.Cluster, number);
        Assert.True(again.Sequence > left.Sequence);
    }

    [Fact]
    public async Task Stored_grain_state_does_not_grow_with_the_number_of_ledger_entries()
    {
        var card = await _grains.Issued();
        var number = card.GetPrimaryKeyString();
        await AddHistory(card, 0, 60);
        await fixture.Cluster.DeactivateAll();
        var small = await fixture.Cluster.Database.GrainStateBytesBesidesExpiries(number);
        var smallEntries = await fixture.Cluster.Database.LedgerCount(number);

        await AddHistory(card, 60, 600);
        await fixture.Cluster.DeactivateAll();
        var large = await fixture.Cluster.Database.GrainStateBytesBesidesExpiries(number);
        var largeEntries = await fixture.Cluster.Database.LedgerCount(number);

        Assert.True(small > 0, "no grain state was stored");
        Assert.True(largeEntries >= 10 * smallEntries, $"{smallEntries} → {largeEntries} entries");
        // A few more digits in the counters at most, never a row per entry (the shared clock may pass 1 June:
        // what that expiry annulled is one item, left out of the size).
        Assert.True(large <= small + 32, $"grain state grew from {small} to {large} bytes");
    }

    [Fact]
    public async Task State_rebuilt_from_the_ledger_alone_equals_the_state_from_the_snapshot()
    {
        var card = await _grains.Issued();
        var number = card.GetPrimaryKeyString();
        await AddHistory(card, 0, 130);
        await card.Accrue(_till.Fuel("on-hold", 7m)).Ok();
        await card.Refund(new RefundPurchase("f-1", "r-3", _till.Station, [])).Ok();
        await fixture.Cluster.DeactivateAll();
        var fromSnapshot = await SnapshotAssert.IsTheWholeLedger(fixture.Cluster, number);
        var summaryFromSnapshot = WithoutClock(await card.GetSummary().Ok());

        await fixture.Cluster.DeactivateAll();
        Assert.Equal(1, await fixture.Cluster.Database.Execute(
            $"delete from orleansstorage where {LedgerQueries.IsCardState}", number));
        var summaryFromLedger = WithoutClock(await card.GetSummary().Ok());
        // Leaving, the activation that had only the ledger stores the account it rebuilt.
        await fixture.Cluster.DeactivateAll();
        var fromLedger = await fixture.Cluster.Database.StoredSnapshot(number);

        Assert.Equal(summaryFromSnapshot, summaryFromLedger);
        Assert.Equal(fromSnapshot.Sequence, fromLedger?.Sequence);
        Assert.Equal(CardStates.Describe(fromSnapshot.Account!), CardStates.Describe(fromLedger!.Account!));
    }
}
