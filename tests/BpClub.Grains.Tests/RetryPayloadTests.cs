using BpClub.Abstractions;
using BpClub.Domain.Units;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

/// <summary>A retry is recognised by what the caller sent, not by values the server adds to the command.</summary>
[Collection(RealClockCluster.Name)]
public sealed class RetryPayloadTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Cluster.Grains;

    private static RecordPartnerPurchase Accrual(decimal rate)
        => new("tx-rate", "pa-rate", rate, new Money(300m), null);

    [Fact]
    public async Task A_partners_retry_answers_the_first_result_after_an_operator_changed_its_rate()
    {
        var card = await _grains.Issued();
        var first = await card.AccruePartner(Accrual(0.5m)).Ok();
        Assert.Equal(150, first.PointsEarned.Value);

        // Answered from the activation's memory, then, once it is gone, from card_operations.
        var retry = await card.AccruePartner(Accrual(1m));
        Assert.Equal((OutcomeStatus.Replayed, 150L), (retry.Status, retry.Value!.PointsEarned.Value));
        await fixture.Cluster.DeactivateAll();
        var later = await card.AccruePartner(Accrual(2m));
        Assert.Equal((OutcomeStatus.Replayed, 150L), (later.Status, later.Value!.PointsEarned.Value));

        // What the partner sent still decides: another amount under the same id is a conflict.
        var other = await card.AccruePartner(Accrual(0.5m) with { Amount = new Money(301m) });
        Assert.Equal(OutcomeStatus.Conflict, other.Status);
        Assert.Equal(150, (await card.GetBalance().Ok()).Total.Value);
    }
}
