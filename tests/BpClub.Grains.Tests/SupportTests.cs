using BpClub.Abstractions;
using BpClub.Domain.Units;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

/// <summary>Operators' adjustments and early releases: durable, rebuilt from the ledger, exactly once.</summary>
[Collection(FakeClockCluster.Name)]
public sealed class SupportTests(FakeClockFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Cluster.Grains;

    [Fact]
    public async Task Adjustments_and_early_releases_survive_a_new_activation_and_are_not_released_again_when_their_hold_ends()
    {
        var card = await _grains.Issued();
        var number = card.GetPrimaryKeyString();
        await card.Accrue(Cards.Fuel("r-1", 40m)).Ok();
        await card.Accrue(Cards.Fuel("r-2", 25m)).Ok();
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
        Assert.Equal(("adjustment", "key-aaaaaaaaaa", "Card reader fault"), (recent[1].Item.Kind, recent[1].By, recent[1].Item.Reason));
    }

    [Fact]
    public async Task Bad_commands_are_refused_before_anything_is_written()
    {
        var card = await _grains.Issued();
        var number = card.GetPrimaryKeyString();
        var entries = await fixture.Cluster.Database.LedgerCount(number);

        Assert.Equal(OutcomeStatus.Invalid, (await card.Adjust(new AdjustPoints("a", Points.Zero, "x", "key-a"))).Status);
        Assert.Equal(OutcomeStatus.Invalid, (await card.Adjust(new AdjustPoints("a", new Points(5), "", "key-a"))).Status);
        Assert.Equal(OutcomeStatus.Invalid, (await card.Adjust(new AdjustPoints("a", new Points(5), "x", ""))).Status);
        Assert.Equal(OutcomeStatus.Invalid, (await card.ReleaseHeldPoints(new ReleaseHeldPoints("r", new Points(-1), "key-a"))).Status);
        Assert.Equal(OutcomeStatus.Rejected, (await card.ReleaseHeldPoints(new ReleaseHeldPoints("r", null, "key-a"))).Status);

        Assert.Equal(entries, await fixture.Cluster.Database.LedgerCount(number));
    }
}
