using BpClub.Domain.Earning;
using BpClub.Domain.Ledger;
using BpClub.Domain.Units;

namespace BpClub.Domain.Tests.Ledger;

/// <summary>Operators' corrections: manual adjustments and held points released early.</summary>
public sealed class SupportTests
{
    private static CardUnderTest CardWithAvailable(decimal litres)
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 1));
        card.BuyFuel(litres);
        card.Advance(TimeSpan.FromDays(15));
        return card;
    }

    [Fact]
    public void A_positive_adjustment_is_available_at_once_with_its_reason_and_operator()
    {
        var card = CardWithAvailable(50m);
        card.BuyFuel(20m);

        var adjusted = CardUnderTest.Must(card.Adjust(30, "Pump 4 did not print the receipt"));

        var e = adjusted.Events.OfType<PointsAdjusted>().Single();
        Assert.Equal((30L, "Pump 4 did not print the receipt", "key-0123456789"),
            (e.Points.Value, e.Reason, e.OperatorId));
        Assert.Equal((80L, 20L), (card.Balance.Available.Value, card.Balance.OnHold.Value));
    }

    [Fact]
    public void A_negative_adjustment_takes_available_points_but_never_below_zero()
    {
        var card = CardWithAvailable(50m);
        card.BuyFuel(20m); // on hold: an adjustment does not reach it

        var refused = card.Adjust(-51);

        Assert.Equal(RejectionKind.RuleViolated, refused.Rejection!.Kind);
        Assert.Contains("never takes the available balance below zero", refused.Rejection.Detail);
        Assert.Equal((50L, 20L), (card.Balance.Available.Value, card.Balance.OnHold.Value));
        CardUnderTest.Must(card.Adjust(-50));
        Assert.Equal((0L, 20L), (card.Balance.Available.Value, card.Balance.OnHold.Value));
        Assert.True(card.Adjust(-1).IsRejected);
    }

    [Fact]
    public void A_negative_adjustment_is_refused_while_the_available_balance_is_below_zero()
    {
        var card = CardWithAvailable(50m);
        var purchase = card.BuyFuel(40m);
        card.Advance(TimeSpan.FromDays(15));
        card.SwitchSpendingOn();
        CardUnderTest.Must(card.Redeem(90));
        CardUnderTest.Must(card.Refund(purchase)); // taken from available points already spent: -40

        Assert.Equal(-40, card.Balance.Available.Value);
        Assert.True(card.Adjust(-1).IsRejected);
        CardUnderTest.Must(card.Adjust(40));
        Assert.Equal(0, card.Balance.Available.Value);
    }

    [Fact]
    public void Adjustments_and_early_releases_need_an_active_card()
    {
        var card = CardWithAvailable(50m);
        CardUnderTest.Must(card.Run(a => a.Terminate(card.Now)));

        Assert.Equal(RejectionKind.RuleViolated, card.Adjust(10).Rejection!.Kind);
        Assert.Equal(RejectionKind.RuleViolated, card.ReleaseEarly().Rejection!.Kind);
        var never = new CardAccount(CardUnderTest.DefaultRules());
        Assert.Equal(RejectionKind.NotIssued, never.Adjust("a", new Points(1), "x", "op", card.Now).Rejection!.Kind);
    }

    [Fact]
    public void Releasing_some_held_points_takes_the_soonest_lots_first()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 1));
        var first = card.BuyFuel(30m);
        card.Advance(TimeSpan.FromDays(2));
        var second = card.BuyFuel(50m);

        var released = CardUnderTest.Must(card.ReleaseEarly(40));

        var e = released.Events.OfType<HeldPointsReleasedEarly>().Single();
        Assert.Equal(40, e.Points.Value);
        Assert.Equal([new HeldLot(first.AvailableAt, 30), new HeldLot(second.AvailableAt, 10)], e.Lots);
        Assert.Equal((40L, 40L), (card.Balance.Available.Value, card.Balance.OnHold.Value));
        Assert.Equal(new NextRelease(new Points(40), second.AvailableAt), card.Balance.NextRelease);
    }

    [Fact]
    public void Releasing_without_a_number_releases_everything_on_hold_and_the_lots_do_not_come_off_hold_again()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 1));
        card.BuyFuel(30m);
        card.Advance(TimeSpan.FromDays(2));
        card.BuyFuel(50m);

        CardUnderTest.Must(card.ReleaseEarly());

        Assert.Equal((80L, 0L), (card.Balance.Available.Value, card.Balance.OnHold.Value));
        Assert.Null(card.Balance.NextRelease);
        Assert.Equal(Kyiv.At(2026, 6, 1, 0), card.Account.NextDueAt()); // only the annual expiry is left to come
        card.Advance(TimeSpan.FromDays(30));
        var later = CardUnderTest.Must(card.Run(a => a.ReleaseHeldPoints(card.Now)));
        Assert.Empty(later.Events);
        Assert.Equal(80, card.Balance.Available.Value);
    }

    [Fact]
    public void Releasing_more_than_is_on_hold_or_when_nothing_is_held_is_refused()
    {
        var card = CardWithAvailable(50m);

        Assert.Contains("No points are on hold", card.ReleaseEarly().Rejection!.Detail);
        card.BuyFuel(20m);
        Assert.Contains("Only 20 points are on hold", card.ReleaseEarly(21).Rejection!.Detail);
        Assert.Equal((50L, 20L), (card.Balance.Available.Value, card.Balance.OnHold.Value));
    }

    [Fact]
    public void A_refund_after_an_early_release_takes_the_points_from_the_available_balance()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 1));
        var purchase = card.BuyFuel(30m);
        CardUnderTest.Must(card.ReleaseEarly());

        CardUnderTest.Must(card.Refund(purchase));

        Assert.Equal((0L, 0L), (card.Balance.Available.Value, card.Balance.OnHold.Value));
        Assert.Equal(30, card.Ledger.OfType<PurchaseRefunded>().Single().FromAvailable.Value);
    }

    [Fact]
    public void Points_released_early_or_added_meet_the_annual_expiry_like_any_available_points()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 5, 25));
        card.BuyFuel(30m);
        CardUnderTest.Must(card.ReleaseEarly());
        CardUnderTest.Must(card.Adjust(5));

        Assert.Equal(new ExpiringPoints(new Points(35), new DateOnly(2026, 6, 1)), card.Balance.Expiring);
        card.AdvanceTo(Kyiv.At(2026, 6, 1, 1));
        Assert.Equal(0, card.Balance.Available.Value);
    }

    [Fact]
    public void Replaying_adjustments_and_early_releases_rebuilds_the_same_state()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 1));
        card.BuyFuel(30m);
        card.Advance(TimeSpan.FromDays(1));
        card.Buy(PurchaseLine.Fuel("A95", 20m, 1100m), PurchaseLine.Shop("coffee", 100m));
        CardUnderTest.Must(card.ReleaseEarly(35));
        CardUnderTest.Must(card.Adjust(12));
        CardUnderTest.Must(card.Adjust(-7));
        card.Advance(TimeSpan.FromDays(20));
        CardUnderTest.Must(card.Run(a => a.ReleaseHeldPoints(card.Now)));

        var rebuilt = new CardAccount(card.Rules);
        foreach (var e in card.Ledger) rebuilt.Apply(e);

        Assert.Equivalent(card.Account.ToState(), rebuilt.ToState(), strict: true);
        Assert.Equal(60, card.Balance.Available.Value);
    }
}
