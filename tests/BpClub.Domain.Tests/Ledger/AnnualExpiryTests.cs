using BpClub.Domain.Ledger;

namespace BpClub.Domain.Tests.Ledger;

public sealed class AnnualExpiryTests
{
    // 1 June 00:00 in Kyiv is 31 May 21:00 UTC (summer time).
    private static readonly DateTimeOffset FirstOfJune = Kyiv.At(2026, 6, 1, 0);

    /// <summary>40 points available since mid-May and 25 on hold until 6 June.</summary>
    private static CardUnderTest CardBeforeJune(Action<Domain.Programme.ProgrammeRules>? configure = null)
    {
        var rules = CardUnderTest.DefaultRules();
        configure?.Invoke(rules);
        var card = new CardUnderTest(Kyiv.At(2026, 5, 1), rules);
        card.BuyFuel(40m);
        card.AdvanceTo(Kyiv.At(2026, 5, 23));
        card.BuyFuel(25m);
        return card;
    }

    [Fact]
    public void Annual_expiry_on_1_June_annuls_available_points_but_not_points_on_hold()
    {
        var card = CardBeforeJune();

        card.AdvanceTo(FirstOfJune - TimeSpan.FromSeconds(1));
        Assert.Equal((40L, 25L), (card.Balance.Available.Value, card.Balance.OnHold.Value));

        card.AdvanceTo(FirstOfJune);
        Assert.Equal((0L, 25L), (card.Balance.Available.Value, card.Balance.OnHold.Value));

        card.AdvanceTo(Kyiv.At(2026, 6, 10));
        Assert.Equal((25L, 0L), (card.Balance.Available.Value, card.Balance.OnHold.Value));
    }

    [Fact]
    public void Expiry_is_recorded_in_the_ledger_at_the_expiry_instant()
    {
        var card = CardBeforeJune();
        card.AdvanceTo(Kyiv.At(2026, 6, 3));

        card.Run(a => a.ReleaseHeldPoints(card.Now));

        var expired = Assert.Single(card.Ledger.OfType<PointsExpired>());
        Assert.Equal((40L, FirstOfJune), (expired.Points.Value, expired.At));
        Assert.Equal(FirstOfJune, new DateTimeOffset(2026, 5, 31, 21, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Expiry_is_due_for_the_reminder_while_points_are_available()
    {
        var card = CardBeforeJune();
        card.AdvanceTo(Kyiv.At(2026, 5, 25));
        card.Run(a => a.ReleaseHeldPoints(card.Now));

        Assert.Equal(FirstOfJune, card.Account.NextDueAt());
    }

    [Fact]
    public void Annual_expiry_switched_off_annuls_nothing()
    {
        var card = CardBeforeJune(rules => rules.AnnualExpiryEnabled = false);

        card.AdvanceTo(Kyiv.At(2026, 6, 10));
        card.Run(a => a.ReleaseHeldPoints(card.Now));

        Assert.Equal(65, card.Balance.Available.Value);
        Assert.DoesNotContain(card.Ledger, e => e is PointsExpired);
    }

    [Fact]
    public void Spent_and_refunded_balances_below_zero_are_not_annulled()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 5, 1));
        var purchase = card.BuyFuel(40m);
        card.AdvanceTo(Kyiv.At(2026, 5, 20));
        card.SwitchSpendingOn();
        CardUnderTest.Must(card.Redeem(40));
        CardUnderTest.Must(card.Refund(purchase)); // already spent: the balance goes to −40

        card.AdvanceTo(Kyiv.At(2026, 6, 2));

        Assert.Equal(-40, card.Balance.Available.Value);
    }

    [Fact]
    public void Expiry_comes_every_year()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 5, 1));
        card.BuyFuel(40m);
        card.AdvanceTo(Kyiv.At(2026, 6, 20));
        card.BuyFuel(30m);

        card.AdvanceTo(Kyiv.At(2027, 6, 1, 0));

        Assert.Equal(0, card.Balance.Available.Value);
        card.Run(a => a.ReleaseHeldPoints(card.Now));
        Assert.Equal([40L, 30L], card.Ledger.OfType<PointsExpired>().Select(e => e.Points.Value));
    }

    [Fact]
    public void Receipt_reported_after_the_expiry_it_would_have_met_is_annulled_when_recorded()
    {
        // Made on 10 May: reported at once, available on 24 May and annulled on 1 June.
        var card = new CardUnderTest(Kyiv.At(2026, 6, 5));
        var madeAt = Kyiv.At(2026, 5, 10);

        var earned = card.BuyFuel(40m, occurredAt: madeAt);

        var annulled = Assert.IsType<LateReceiptAnnulled>(card.Ledger[^1]);
        Assert.Equal((earned.OperationId, 40L, FirstOfJune, card.Now), (annulled.OperationId, annulled.Points.Value,
            annulled.ExpiryAt, annulled.At));
        Assert.Equal((0L, 0L, 0L), (card.Balance.Available.Value, card.Balance.OnHold.Value, card.Balance.Total.Value));
        Assert.Null(card.Balance.NextRelease);
        card.AdvanceTo(Kyiv.At(2026, 7, 1));
        Assert.Equal(0, card.Balance.Total.Value);
        Assert.Null(card.Account.NextDueAt());
    }

    [Fact]
    public void Receipt_reported_late_before_1_June_whose_points_would_have_expired_then_is_annulled()
    {
        // Made on 10 May, reported on 28 May: on time it would have been spendable from 24 May until
        // 1 June; held now until 11 June, it could never be spent before the expiry it would have met.
        var card = new CardUnderTest(Kyiv.At(2026, 5, 28));
        card.BuyFuel(40m, occurredAt: Kyiv.At(2026, 5, 10));

        Assert.IsType<LateReceiptAnnulled>(card.Ledger[^1]);
        Assert.Equal(0, card.Balance.Total.Value);
    }

    [Fact]
    public void Late_receipt_whose_hold_would_have_ended_after_1_June_keeps_its_points()
    {
        // Made on 20 May: on time available on 3 June, after the expiry; reported on 30 May it is
        // available on 13 June, and meets next year's expiry like any other.
        var card = new CardUnderTest(Kyiv.At(2026, 5, 30));
        card.BuyFuel(40m, occurredAt: Kyiv.At(2026, 5, 20));

        Assert.DoesNotContain(card.Ledger, e => e is LateReceiptAnnulled);
        card.AdvanceTo(Kyiv.At(2026, 6, 14));
        Assert.Equal(40, card.Balance.Available.Value);
    }

    [Fact]
    public void Late_receipt_whose_hold_would_have_ended_exactly_at_the_expiry_is_annulled()
    {
        // A lot that becomes available at 00:00 on 1 June is annulled with the rest, so this one would have been.
        var card = new CardUnderTest(Kyiv.At(2026, 6, 2));
        card.BuyFuel(40m, occurredAt: FirstOfJune - TimeSpan.FromDays(14));

        Assert.IsType<LateReceiptAnnulled>(card.Ledger[^1]);
        Assert.Equal(0, card.Balance.Total.Value);
    }

    [Fact]
    public void Late_receipt_keeps_its_points_when_annual_expiry_is_switched_off()
    {
        var rules = CardUnderTest.DefaultRules();
        rules.AnnualExpiryEnabled = false;
        var card = new CardUnderTest(Kyiv.At(2026, 6, 5), rules);

        card.BuyFuel(40m, occurredAt: Kyiv.At(2026, 5, 10));

        Assert.Equal((0L, 40L), (card.Balance.Available.Value, card.Balance.OnHold.Value));
    }

    [Fact]
    public void Late_receipts_litres_still_count_for_its_month_when_its_points_are_annulled()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 6, 5));
        card.BuyFuel(120m, occurredAt: Kyiv.At(2026, 5, 10));

        Assert.Equal("Gold", card.Tier.Name); // reached in May, so it holds through June
    }
}
