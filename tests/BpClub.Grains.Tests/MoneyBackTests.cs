using BpClub.Abstractions;
using BpClub.Domain.Units;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

/// <summary>
/// Points going back: a payment with points undone, and refunds after the points were annulled, which must never
/// take the same points twice.
/// </summary>
[Collection(FakeClockCluster.Name)]
public sealed class MoneyBackTests(FakeClockFixture fixture)
{
    private readonly TestStation _till = new();
    private readonly IGrainFactory _grains = fixture.Cluster.Grains;

    private async Task<ICardGrain> CardWithAvailable(string receipt, decimal litres, bool spending = true)
    {
        var card = await _grains.Issued();
        await card.Accrue(_till.Fuel(receipt, litres)).Ok();
        fixture.MovePastHold();
        if (spending) await card.SwitchSpending(true).Ok();
        return card;
    }

    [Fact]
    public async Task A_payment_with_points_is_reversed_once_by_its_station_and_the_points_come_back()
    {
        var card = await CardWithAvailable("old", 50m);
        await card.Redeem(new RedeemPoints("pay-1", _till.Station, new Points(30))).Ok();

        var reversed = await card.ReverseRedemption(new ReverseRedemption("rev-1", "pay-1", _till.Station));
        Assert.Equal((OutcomeStatus.Done, 30L, 50L),
            (reversed.Status, reversed.Value!.PointsReturned.Value, reversed.Value.Balance.Available.Value));
        // A retry answers the first result; the id with another redemption is a conflict.
        Assert.Equal(OutcomeStatus.Replayed,
            (await card.ReverseRedemption(new ReverseRedemption("rev-1", "pay-1", _till.Station))).Status);
        Assert.Equal(OutcomeStatus.Conflict,
            (await card.ReverseRedemption(new ReverseRedemption("rev-1", "pay-9", _till.Station))).Status);
        // Once: a second reversal under another id is refused, also after the activation is gone.
        Assert.Equal(OutcomeStatus.Rejected,
            (await card.ReverseRedemption(new ReverseRedemption("rev-2", "pay-1", _till.Station))).Status);
        await fixture.Cluster.DeactivateAll();
        Assert.Equal(OutcomeStatus.Rejected,
            (await card.ReverseRedemption(new ReverseRedemption("rev-3", "pay-1", _till.Station))).Status);
        // Only the station that took the payment, and only a payment there is.
        Assert.Equal(OutcomeStatus.NotFound,
            (await card.ReverseRedemption(new ReverseRedemption("rev-4", "pay-1", _till.OtherStation))).Status);
        Assert.Equal(OutcomeStatus.NotFound,
            (await card.ReverseRedemption(new ReverseRedemption("rev-5", "old", _till.Station))).Status);

        Assert.Equal(50, (await card.GetBalance().Ok()).Available.Value);
        var latest = (await card.GetHistory(1, null).Ok()).Items.Single();
        Assert.Equal(("reversal", 30L), (latest.Kind, latest.Points.Value));
    }

    [Fact]
    public async Task A_payment_made_before_an_annual_expiry_cannot_be_reversed_after_it()
    {
        var card = await CardWithAvailable("old", 50m);
        await card.Redeem(new RedeemPoints("pay-1", _till.Station, new Points(50))).Ok();
        fixture.MoveTo(fixture.NextFirstOfJune(TimeSpan.Zero) + TimeSpan.FromHours(1));

        var late = await card.ReverseRedemption(new ReverseRedemption("rev-1", "pay-1", _till.Station));

        Assert.Equal(OutcomeStatus.Rejected, late.Status);
        Assert.Equal(0, (await card.GetBalance().Ok()).Available.Value);
    }

    [Fact]
    public async Task A_refund_after_the_annual_expiry_annulled_the_points_does_not_take_them_again()
    {
        var card = await CardWithAvailable("r-exp", 40m, spending: false);
        fixture.MoveTo(fixture.NextFirstOfJune(TimeSpan.Zero) + TimeSpan.FromDays(1));
        Assert.Equal(0, (await card.GetBalance().Ok()).Available.Value);

        var refund = await card.Refund(new RefundPurchase("f-1", "r-exp", _till.Station, [])).Ok();

        Assert.Equal(40, refund.PointsReversed.Value);
        Assert.Equal((0L, 0L), (refund.Balance.Available.Value, refund.Balance.Total.Value));
        var latest = (await card.GetHistory(1, null).Ok()).Items.Single();
        Assert.Equal(("refund", 0L), (latest.Kind, latest.Points.Value));
        Assert.Contains("40 annulled already by the annual expiry", latest.Description, StringComparison.Ordinal);
        // The ledger agrees: rebuilt from it, the card holds nothing, not minus 40.
        await fixture.Cluster.DeactivateAll();
        Assert.Equal(0, (await card.GetBalance().Ok()).Total.Value);
        Assert.Equal(0, await fixture.Cluster.Database.LedgerTotal(card.GetPrimaryKeyString()));
    }

    [Fact]
    public async Task Points_spent_before_the_expiry_are_still_taken_back_by_a_refund_after_it()
    {
        var card = await CardWithAvailable("r-spent", 40m);
        await card.Redeem(new RedeemPoints("pay-all", _till.Station, new Points(40))).Ok();
        fixture.MoveTo(fixture.NextFirstOfJune(TimeSpan.Zero) + TimeSpan.FromDays(1));

        var refund = await card.Refund(new RefundPurchase("f-1", "r-spent", _till.Station, [])).Ok();

        // The expiry annulled nothing of them (they were spent), so the refund takes them from the balance.
        Assert.Equal(-40, refund.Balance.Available.Value);
        var latest = (await card.GetHistory(1, null).Ok()).Items.Single();
        Assert.Equal(-40, latest.Points.Value);
        Assert.Contains("40 from available points", latest.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refund_of_a_late_receipt_annulled_as_it_was_recorded_takes_nothing_more()
    {
        var june = fixture.NextFirstOfJune(TimeSpan.FromDays(4));
        fixture.MoveTo(june - TimeSpan.FromDays(4));
        var card = await _grains.Issued();
        // Made on 10 May, reported on 28 May: on time it would have been available from 24 May until 1 June.
        var late = await card.Accrue(_till.Fuel("r-late", 40m, occurredAt: fixture.Now - TimeSpan.FromDays(18))).Ok();
        Assert.Equal((40L, 0L), (late.PointsEarned.Value, late.Balance.Total.Value));

        var first = await card.Refund(new RefundPurchase("f-1", "r-late", _till.Station, [])).Ok();

        Assert.Equal((40L, 0L, 0L),
            (first.PointsReversed.Value, first.Balance.Total.Value, first.Balance.Available.Value));
        var latest = (await card.GetHistory(1, null).Ok()).Items.Single();
        Assert.Contains("40 annulled already as a late receipt", latest.Description, StringComparison.Ordinal);
        fixture.MovePastHold();
        Assert.Equal(0, (await card.GetBalance().Ok()).Total.Value);
        Assert.Equal(0, await fixture.Cluster.Database.LedgerTotal(card.GetPrimaryKeyString()));
    }

    /// <summary>rules.md, Annual expiry: a lot whose hold ends at the very instant of the expiry is annulled with the
    /// rest.</summary>
    [Fact]
    public async Task A_lot_that_becomes_available_exactly_at_00_00_on_1_June_is_annulled_with_the_rest()
    {
        var hold = fixture.Cluster.Rules.HoldPeriod;
        var june = fixture.NextFirstOfJune(hold + TimeSpan.FromDays(1));
        fixture.MoveTo(june - hold);
        var card = await _grains.Issued();
        var bought = await card.Accrue(_till.Fuel("at-midnight", 40m)).Ok();
        Assert.Equal(june, bought.Balance.NextRelease!.At);
        Assert.Equal(40, bought.Balance.Expiring!.Points.Value);

        fixture.MoveTo(june - TimeSpan.FromSeconds(1));
        var before = await card.GetBalance().Ok();
        fixture.MoveTo(june);
        var at = await card.GetBalance().Ok();

        Assert.Equal((0L, 40L), (before.Available.Value, before.OnHold.Value));
        Assert.Equal((0L, 0L, 0L), (at.Available.Value, at.OnHold.Value, at.Total.Value));
        // The ledger says the same: released at 00:00, then annulled at 00:00.
        await card.SwitchSpending(true).Ok();
        var history = (await card.GetHistory(3, null).Ok()).Items;
        Assert.Equal(["spending", "expired", "released"], history.Select(i => i.Kind));
        Assert.Equal((june, -40L), (history[1].At, history[1].Points.Value));
        Assert.Equal((june, 40L), (history[2].At, history[2].Points.Value));
    }
}
