using BpClub.Domain.Ledger;
using BpClub.Domain.Programme;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

/// <summary>What no summary shows in full, through a snapshot, on the fake programme clock.</summary>
[Collection(FakeClockCluster.Name)]
public sealed class SnapshotStateTests(FakeClockFixture fixture)
{
    private readonly TestStation _till = new();
    [Fact]
    public async Task Snapshot_keeps_lots_on_hold_with_release_times_last_months_litres_and_the_settled_through_time()
    {
        fixture.MoveTo(fixture.DayOfNextMonth(5));
        var card = await fixture.Cluster.Grains.Issued();
        var number = card.GetPrimaryKeyString();
        var lastMonth = fixture.Now - TimeSpan.FromDays(8);
        var lastReported = fixture.Now;
        // 120 L last month at Green, reported today; 30 L this month at Gold, the level last month's litres reached.
        await card.Accrue(_till.Fuel("r-last", 120m, occurredAt: lastMonth)).Ok();
        fixture.MoveTo(fixture.Now + TimeSpan.FromHours(1));
        var thisMonth = fixture.Now;
        await card.Accrue(_till.Fuel("r-now", 30m)).Ok();
        fixture.MoveTo(fixture.Now + TimeSpan.FromDays(1));
        await card.SwitchSpending(true).Ok();
        var lastEntryAt = fixture.Now;
        // Time passes without an entry: the settled-through time stays at the last one.
        fixture.MoveTo(fixture.Now + TimeSpan.FromHours(1));

        await fixture.Cluster.DeactivateAll();
        var stored = (await SnapshotAssert.IsTheWholeLedger(fixture.Cluster, number)).Account!;

        var calendar = new ProgrammeCalendar(fixture.Cluster.Rules);
        var hold = TimeSpan.FromDays(14);
        var expected = new CardAccountState
        {
            Status = CardStatus.Active,
            SpendingEnabled = true,
            Settled = 0,
            // A late receipt is held from when it was reported.
            Lots = [new HeldLot(lastReported + hold, 120), new HeldLot(thisMonth + hold, 60)],
            MonthLitres = new Dictionary<int, decimal>
            {
                [calendar.MonthKey(lastMonth)] = 120m,
                [calendar.MonthKey(thisMonth)] = 30m,
            },
            SettledThrough = lastEntryAt,
            IssuedAt = lastReported,
        };
        Assert.Equal(CardStates.Describe(expected), CardStates.Describe(stored));

        // Back from the snapshot: still Gold on last month's litres, the older lot released first.
        var tier = await card.GetTier().Ok();
        var balance = await card.GetBalance().Ok();
        Assert.Equal(("Gold", 30m), (tier.Name, tier.QualifyingLitres.Value));
        Assert.Equal((180L, lastReported + hold, 120L),
            (balance.OnHold.Value, balance.NextRelease!.At, balance.NextRelease.Points.Value));
    }
}
