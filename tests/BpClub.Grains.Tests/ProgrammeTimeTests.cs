using BpClub.Abstractions;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

/// <summary>Holds, levels and the annual expiry as time passes, on the fake programme clock.</summary>
[Collection(FakeClockCluster.Name)]
public sealed class ProgrammeTimeTests(FakeClockFixture fixture)
{
    private readonly TestStation _till = new();
    private readonly IGrainFactory _grains = fixture.Cluster.Grains;

    [Fact]
    public async Task Points_on_hold_become_available_after_14_days()
    {
        var card = await _grains.Issued();
        var bought = fixture.Now;
        await card.Accrue(_till.Fuel("r-1", 40m)).Ok();

        fixture.MoveTo(bought + TimeSpan.FromDays(14) - TimeSpan.FromSeconds(1));
        var before = await card.GetBalance().Ok();
        fixture.MoveTo(bought + TimeSpan.FromDays(14));
        var after = await card.GetBalance().Ok();

        Assert.Equal((0L, 40L, 40L), (before.Available.Value, before.OnHold.Value, before.Total.Value));
        Assert.Equal(bought + TimeSpan.FromDays(14), before.NextRelease!.At);
        Assert.Equal((40L, 0L, 40L), (after.Available.Value, after.OnHold.Value, after.Total.Value));
        Assert.Null(after.NextRelease);
    }

    [Fact]
    public async Task The_release_is_written_to_the_history_by_the_next_command_after_it()
    {
        var card = await _grains.Issued();
        await card.Accrue(_till.Fuel("r-1", 40m)).Ok();
        fixture.MoveTo(fixture.Now + TimeSpan.FromDays(15));

        await card.SwitchSpending(true).Ok();

        var history = (await card.GetHistory(2, null).Ok()).Items;
        Assert.Equal(["spending", "released"], history.Select(i => i.Kind));
        Assert.Equal(("Points became available", 40L), (history[1].Description, history[1].Points.Value));
    }

    [Fact]
    public async Task Level_crossed_mid_month_rises_at_once_and_holds_for_the_whole_next_month()
    {
        fixture.MoveTo(fixture.DayOfNextMonth(10));
        var card = await _grains.Issued();

        var first = await card.Accrue(_till.Fuel("r-1", 60m)).Ok();
        var crossing = await card.Accrue(_till.Fuel("r-2", 50m)).Ok();
        var atGold = await card.Accrue(_till.Fuel("r-3", 10m)).Ok();

        Assert.Equal((60L, "Green"), (first.PointsEarned.Value, first.Tier.Name));
        Assert.Equal((50L, "Gold"), (crossing.PointsEarned.Value, crossing.Tier.Name));
        Assert.Equal(20, atGold.PointsEarned.Value);
        Assert.Equal(("Platinum", 80m), (atGold.Tier.NextLevel, atGold.Tier.LitresToNextLevel!.Value.Value));

        fixture.MoveTo(fixture.DayOfNextMonth(28));
        var nextMonth = await card.GetTier().Ok();
        Assert.Equal(("Gold", 0m, 200m),
            (nextMonth.Name, nextMonth.QualifyingLitres.Value, nextMonth.LitresToNextLevel!.Value.Value));

        fixture.MoveTo(fixture.DayOfNextMonth(1));
        Assert.Equal("Green", (await card.GetTier().Ok()).Name);
    }

    [Fact]
    public async Task Level_survives_deactivation()
    {
        var card = await _grains.Issued();
        await card.Accrue(_till.Fuel("r-1", 210m)).Ok();
        await fixture.Cluster.DeactivateAll();

        var tier = await card.GetTier().Ok();

        Assert.Equal(("Platinum", 210m), (tier.Name, tier.QualifyingLitres.Value));
    }

    [Fact]
    public async Task Annual_expiry_on_1_June_annuls_available_points_and_leaves_points_on_hold_alone()
    {
        var june = fixture.NextFirstOfJune(TimeSpan.FromDays(20));
        fixture.MoveTo(june - TimeSpan.FromDays(20));
        var card = await _grains.Issued();
        await card.Accrue(_till.Fuel("r-old", 40m)).Ok();
        fixture.MoveTo(june - TimeSpan.FromDays(5));
        await card.Accrue(_till.Fuel("r-new", 25m)).Ok();

        fixture.MoveTo(june + TimeSpan.FromHours(1));
        var afterExpiry = await card.GetBalance().Ok();
        await card.SwitchSpending(true).Ok();
        var expired = (await card.GetHistory(10, null).Ok()).Items.Single(i => i.Kind == "expired");
        fixture.MoveTo(june + TimeSpan.FromDays(10));
        var later = await card.GetBalance().Ok();

        Assert.Equal((0L, 25L), (afterExpiry.Available.Value, afterExpiry.OnHold.Value));
        Assert.Equal((-40L, june), (expired.Points.Value, expired.At));
        Assert.Equal((25L, 0L), (later.Available.Value, later.OnHold.Value));
        Assert.Equal(await fixture.Cluster.Database.LedgerTotal(card.GetPrimaryKeyString()), later.Total.Value);
    }

    [Fact]
    public async Task Receipt_reported_after_the_1_June_expiry_it_would_have_met_is_annulled()
    {
        var june = fixture.NextFirstOfJune(TimeSpan.FromDays(1));
        fixture.MoveTo(june + TimeSpan.FromDays(4));
        var card = await _grains.Issued();

        // Made 22 days before 1 June: reported at once, available 8 days before it and annulled on it.
        var late = await card.Accrue(_till.Fuel("r-late", 40m, occurredAt: june - TimeSpan.FromDays(22))).Ok();
        fixture.MoveTo(june + TimeSpan.FromDays(30));
        var later = await card.GetBalance().Ok();

        Assert.Equal(40, late.PointsEarned.Value);
        Assert.Equal((0L, 0L, 0L), (late.Balance.Available.Value, late.Balance.OnHold.Value, late.Balance.Total.Value));
        Assert.Equal((0L, 0L), (later.Available.Value, later.Total.Value));
        var history = (await card.GetHistory(2, null).Ok()).Items;
        Assert.Equal([("annulled", -40L), ("purchase", 40L)], history.Select(i => (i.Kind, i.Points.Value)));
        Assert.Equal(0, await fixture.Cluster.Database.LedgerTotal(card.GetPrimaryKeyString()));
    }
}
