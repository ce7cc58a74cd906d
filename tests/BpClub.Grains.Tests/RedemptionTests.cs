using BpClub.Abstractions;
using BpClub.Domain.Units;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

[Collection(FakeClockCluster.Name)]
public sealed class RedemptionTests(FakeClockFixture fixture)
{
    private readonly TestStation _till = new();
    private readonly IGrainFactory _grains = fixture.Cluster.Grains;

    private async Task<ICardGrain> CardWithAvailable(decimal litres)
    {
        var card = await _grains.Issued();
        await card.Accrue(_till.Fuel("old", litres)).Ok();
        fixture.MovePastHold();
        return card;
    }

    [Fact]
    public async Task Redemption_is_refused_until_spending_is_switched_on()
    {
        var card = await CardWithAvailable(50m);

        var refused = await card.Redeem(new RedeemPoints("x-1", _till.Station, new Points(10)));
        await card.SwitchSpending(true).Ok();
        var allowed = await card.Redeem(new RedeemPoints("x-2", _till.Station, new Points(10)));

        Assert.Equal(OutcomeStatus.Rejected, refused.Status);
        Assert.Equal(OutcomeStatus.Done, allowed.Status);
        Assert.Equal(40, allowed.Value!.Balance.Available.Value);
    }

    [Fact]
    public async Task Redemption_is_refused_beyond_the_available_balance_and_points_on_hold_do_not_count()
    {
        var card = await CardWithAvailable(50m);
        await card.Accrue(_till.Fuel("new", 30m)).Ok();
        await card.SwitchSpending(true).Ok();

        var refused = await card.Redeem(new RedeemPoints("x-1", _till.Station, new Points(51)));
        var exact = await card.Redeem(new RedeemPoints("x-2", _till.Station, new Points(50)));

        Assert.Equal(OutcomeStatus.Rejected, refused.Status);
        Assert.Equal(OutcomeStatus.Done, exact.Status);
        var balance = await card.GetBalance().Ok();
        Assert.Equal((0L, 30L, 30L), (balance.Available.Value, balance.OnHold.Value, balance.Total.Value));
    }

    [Fact]
    public async Task Replayed_redemption_returns_its_first_result_even_after_the_points_are_gone()
    {
        var card = await CardWithAvailable(50m);
        await card.SwitchSpending(true).Ok();
        var first = await card.Redeem(new RedeemPoints("x-1", _till.Station, new Points(50)));

        var again = await card.Redeem(new RedeemPoints("x-1", _till.Station, new Points(50)));
        var other = await card.Redeem(new RedeemPoints("x-1", _till.Station, new Points(5)));

        Assert.Equal(OutcomeStatus.Replayed, again.Status);
        Assert.Equal(first.Value, again.Value);
        Assert.Equal(OutcomeStatus.Conflict, other.Status);
        Assert.Equal(1, await fixture.Cluster.Database.LedgerCount(card.GetPrimaryKeyString(), "redemption"));
    }

    [Fact]
    public async Task Partner_purchase_earns_at_the_partner_rate_and_is_idempotent()
    {
        var card = await _grains.Issued();
        var command = new RecordPartnerPurchase("t-1", "cafe-1", 0.05m, new Money(399.99m), null);

        var first = await card.AccruePartner(command);
        var again = await card.AccruePartner(command);

        Assert.Equal((OutcomeStatus.Done, 19L), (first.Status, first.Value!.PointsEarned.Value));
        Assert.Equal(OutcomeStatus.Replayed, again.Status);
        Assert.Equal(19, (await card.GetBalance().Ok()).OnHold.Value);
        Assert.Equal("partner", (await card.GetHistory(1, null).Ok()).Items.Single().Kind);
    }
}
