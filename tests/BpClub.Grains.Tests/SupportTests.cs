using BpClub.Abstractions;
using BpClub.Domain.Units;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

/// <summary>Operators' adjustments and early releases: durable, rebuilt from the ledger, exactly once.</summary>
[Collection(FakeClockCluster.Name)]
public sealed class SupportTests(FakeClockFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Cluster.Grains;
    private readonly TestStation _till = new();

    [Fact]
    public async Task Adjustments_and_early_releases_survive_a_new_activation_and_are_not_released_again_at_their_day()
    {
        var card = await _grains.Issued();
        var number = card.GetPrimaryKeyString();
        await card.Accrue(_till.Fuel("r-1", 40m)).Ok();
        await card.Accrue(_till.Fuel("r-2", 25m)).Ok();
        var adjust = new AdjustPoints("goodwill-1", new Points(15), "Card reader fault", "key-aaaaaaaaaa");
        var release = new ReleaseHeldPoints("early-1", new Points(50), "key-bbbbbbbbbb");
        await card.Adjust(adjust).Ok();
        var released = await card.ReleaseHeldPoints(release).Ok();
        Assert.Equal((65L, 15L), (released.Balance.Available.Value, released.Balance.OnHold.Value));

        await fixture.Cluster.DeactivateAll();

        var rebuilt = await card.GetBalance().Ok();
        Assert.Equal((65L, 15L), (rebuilt.Available.Value, rebuilt.OnHold.Value));
        // Retries reach the new activation and answer the first results, whoever sends them.
        var again = await card.Adjust(adjust with { OperatorId = "key-cccccccccc" });
        Assert.Equal((OutcomeStatus.Replayed, 15L), (again.Status, again.Value!.Balance.Available.Value));
        Assert.Equal(OutcomeStatus.Replayed, (await card.ReleaseHeldPoints(release)).Status);
        Assert.Equal(OutcomeStatus.Conflict, (await card.Adjust(adjust with { Points = new Points(16) })).Status);

        fixture.MovePastHold();
        var after = await card.GetBalance().Ok();
        Assert.Equal((80L, 0L), (after.Available.Value, after.OnHold.Value));
        Assert.Equal(80, await fixture.Cluster.Database.LedgerTotal(number));
        Assert.Equal(1, await fixture.Cluster.Database.LedgerCount(number, "adjustment"));
        Assert.Equal(1, await fixture.Cluster.Database.LedgerCount(number, "releasedEarly"));
        var recent = await card.GetRecentOperations(10).Ok();
        Assert.Equal(("releasedEarly", "key-bbbbbbbbbb"), (recent[0].Item.Kind, recent[0].By));
        Assert.Equal(("adjustment", "key-aaaaaaaaaa", "Card reader fault"),
            (recent[1].Item.Kind, recent[1].By, recent[1].Item.Reason));
    }

    [Fact]
    public async Task Bad_commands_are_refused_before_anything_is_written()
    {
        var card = await _grains.Issued();
        var number = card.GetPrimaryKeyString();
        var entries = await fixture.Cluster.Database.LedgerCount(number);

        Assert.Equal(OutcomeStatus.Invalid,
            (await card.Adjust(new AdjustPoints("a", Points.Zero, "x", "key-a"))).Status);
        Assert.Equal(OutcomeStatus.Invalid,
            (await card.Adjust(new AdjustPoints("a", new Points(5), "", "key-a"))).Status);
        Assert.Equal(OutcomeStatus.Invalid, (await card.Adjust(new AdjustPoints("a", new Points(5), "x", ""))).Status);
        Assert.Equal(OutcomeStatus.Invalid,
            (await card.ReleaseHeldPoints(new ReleaseHeldPoints("r", new Points(-1), "key-a"))).Status);
        Assert.Equal(OutcomeStatus.Rejected,
            (await card.ReleaseHeldPoints(new ReleaseHeldPoints("r", null, "key-a"))).Status);

        Assert.Equal(entries, await fixture.Cluster.Database.LedgerCount(number));
    }
}

/// <summary>The history's period is counted in days of the programme's calendar (Kyiv), not UTC.</summary>
[Collection(FakeClockCluster.Name)]
public sealed class HistoryQueryTests(FakeClockFixture fixture)
{
    private readonly TestStation _till = new();

    [Fact]
    public async Task A_day_starts_and_ends_at_midnight_in_Kyiv()
    {
        var card = await fixture.Cluster.Grains.Issued();
        var local = TimeZoneInfo.ConvertTime(fixture.Now, TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv"));
        var day = DateOnly.FromDateTime(local.DateTime).AddDays(2);
        var midnight = FakeClockFixture.KyivTime(day.Year, day.Month, day.Day, 0);
        fixture.MoveTo(midnight.AddMinutes(-30)); // 23:30 in Kyiv, 21:30 or 20:30 UTC: the day before
        await card.Accrue(_till.Fuel("late-evening", 10m)).Ok();
        fixture.MoveTo(midnight.AddMinutes(30));
        await card.Accrue(_till.Fuel("after-midnight", 20m)).Ok();

        async Task<List<long>> Points(DateOnly? from, DateOnly? to) =>
            (await card.QueryHistory(new HistoryQuery(100, null, ["purchase"], from, to)).Ok())
                .Items.Select(i => i.Points.Value).ToList();

        Assert.Equal([20L], await Points(day, null));
        Assert.Equal([10L], await Points(null, day.AddDays(-1)));
        Assert.Equal([20L, 10L], await Points(day.AddDays(-1), day));
        Assert.Empty(await Points(day.AddDays(1), day.AddDays(5)));
        Assert.Equal(OutcomeStatus.Invalid, (await card.QueryHistory(new HistoryQuery(10, null, ["bogus"]))).Status);
        Assert.Equal(OutcomeStatus.Invalid,
            (await card.QueryHistory(new HistoryQuery(10, null, null, day, day.AddDays(-1)))).Status);
    }
}
