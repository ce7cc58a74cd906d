using BpClub.Domain.Ledger;

namespace BpClub.Domain.Tests.Ledger;

public sealed class HoldTests
{
    private static readonly TimeSpan Hold = TimeSpan.FromDays(14);

    [Fact]
    public void Purchase_credits_the_total_at_once_and_holds_the_points()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));

        card.BuyFuel(40m);

        Assert.Equal(40, card.Balance.Total.Value);
        Assert.Equal(40, card.Balance.OnHold.Value);
        Assert.Equal(0, card.Balance.Available.Value);
    }

    [Fact]
    public void Points_on_hold_become_available_after_14_days_to_the_second()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        var bought = card.Now;
        card.BuyFuel(40m);

        card.AdvanceTo(bought + Hold - TimeSpan.FromSeconds(1));
        Assert.Equal((0L, 40L), (card.Balance.Available.Value, card.Balance.OnHold.Value));

        card.AdvanceTo(bought + Hold);
        Assert.Equal((40L, 0L), (card.Balance.Available.Value, card.Balance.OnHold.Value));
        Assert.Equal(40, card.Balance.Total.Value);
    }

    [Fact]
    public void Next_release_is_the_earliest_lot_still_on_hold()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        var first = card.Now;
        card.BuyFuel(10m);
        card.Advance(TimeSpan.FromDays(2));
        card.BuyFuel(25m);

        Assert.Equal(new NextRelease(new(10), first + Hold), card.Balance.NextRelease);

        card.AdvanceTo(first + Hold);
        Assert.Equal(new NextRelease(new(25), first + TimeSpan.FromDays(2) + Hold), card.Balance.NextRelease);
        Assert.Equal(10, card.Balance.Available.Value);

        card.Advance(TimeSpan.FromDays(2));
        Assert.Null(card.Balance.NextRelease);
    }

    [Fact]
    public void Backdated_purchase_is_held_for_the_full_period_from_when_it_was_reported()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 20));
        var reportedAt = card.Now;

        card.BuyFuel(30m, occurredAt: reportedAt - TimeSpan.FromDays(10));

        Assert.Equal(reportedAt + Hold, card.Balance.NextRelease!.At);
    }

    [Fact]
    public void Purchase_backdated_beyond_its_hold_is_not_available_at_once()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 20));
        var reportedAt = card.Now;

        var earned = card.BuyFuel(30m, occurredAt: reportedAt - TimeSpan.FromDays(20));

        Assert.Equal((0L, 30L), (card.Balance.Available.Value, card.Balance.OnHold.Value));
        Assert.Equal(reportedAt + Hold, earned.AvailableAt);
        Assert.DoesNotContain(card.Ledger, e => e is PointsReleased);
        card.AdvanceTo(reportedAt + Hold - TimeSpan.FromSeconds(1));
        Assert.Equal(0, card.Balance.Available.Value);
        card.AdvanceTo(reportedAt + Hold);
        Assert.Equal(30, card.Balance.Available.Value);
    }

    [Fact]
    public void Purchase_dated_slightly_ahead_is_held_from_its_own_time()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 20));
        var madeAt = card.Now + TimeSpan.FromMinutes(3); // within the allowed clock skew

        var earned = card.BuyFuel(30m, occurredAt: madeAt);

        Assert.Equal(madeAt + Hold, earned.AvailableAt);
    }

    [Fact]
    public void Backdated_partner_purchase_is_held_for_the_full_period_from_when_it_was_reported()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 20));
        var reportedAt = card.Now;

        card.BuyAtPartner(1000m, occurredAt: reportedAt - TimeSpan.FromDays(20));

        Assert.Equal((0L, reportedAt + Hold), (card.Balance.Available.Value, card.Balance.NextRelease!.At));
    }

    [Fact]
    public void Releasing_records_each_lot_that_fell_due_and_nothing_else()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        var first = card.Now;
        card.BuyFuel(10m);
        card.Advance(TimeSpan.FromDays(1));
        card.BuyFuel(20m);
        card.Advance(TimeSpan.FromDays(1));
        card.BuyFuel(30m);
        card.AdvanceTo(first + Hold + TimeSpan.FromDays(1));

        var decision = CardUnderTest.Must(card.Run(a => a.ReleaseHeldPoints(card.Now)));

        Assert.Equal([10L, 20L], decision.Events.Cast<PointsReleased>().Select(r => r.Points.Value));
        Assert.Equal(first + Hold + TimeSpan.FromDays(2), card.Account.NextDueAt());
        Assert.Empty(CardUnderTest.Must(card.Run(a => a.ReleaseHeldPoints(card.Now))).Events);
    }

    [Fact]
    public void Balance_is_exact_before_the_release_is_recorded()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        card.BuyFuel(40m);
        card.Advance(Hold + TimeSpan.FromHours(1));

        Assert.Equal(40, card.Balance.Available.Value);
        Assert.DoesNotContain(card.Ledger, e => e is PointsReleased);
    }

    [Fact]
    public void A_command_first_records_the_releases_that_fell_due_before_it()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        card.BuyFuel(40m);
        card.Advance(Hold + TimeSpan.FromHours(1));

        card.BuyFuel(5m);

        Assert.IsType<PointsReleased>(card.Ledger[^2]);
        Assert.IsType<PointsEarned>(card.Ledger[^1]);
    }

    [Fact]
    public void Hold_period_is_configuration()
    {
        var rules = CardUnderTest.DefaultRules();
        rules.HoldPeriod = TimeSpan.FromSeconds(5);
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10), rules);
        card.BuyFuel(40m);

        card.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(40, card.Balance.Available.Value);
    }
}
