using BpClub.Domain.Ledger;

namespace BpClub.Domain.Tests.Ledger;

/// <summary>The balance's forecast of the next 1 June: what it annuls unless spent first.</summary>
public sealed class ExpiringPointsTests
{
    private static readonly DateOnly June2026 = new(2026, 6, 1);
    private static readonly DateOnly June2027 = new(2027, 6, 1);

    /// <summary>40 points bought on 1 May (available from 15 May), 25 on 23 May (on hold until 6 June).</summary>
    private static CardUnderTest CardInMay(Action<Domain.Programme.ProgrammeRules>? configure = null)
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
    public void Points_available_by_1_June_are_expiring_on_it_and_points_still_on_hold_then_are_not()
    {
        var card = CardInMay();

        Assert.Equal(new ExpiringPoints(new(40), June2026), card.Balance.Expiring);
    }

    [Fact]
    public void Points_still_on_hold_now_but_released_before_1_June_are_expiring_too()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 5, 10));
        card.BuyFuel(30m); // available from 24 May

        Assert.Equal(0, card.Balance.Available.Value);
        Assert.Equal(new ExpiringPoints(new(30), June2026), card.Balance.Expiring);
    }

    [Fact]
    public void Spending_before_1_June_lowers_what_is_expiring()
    {
        var card = CardInMay();
        card.SwitchSpendingOn();
        CardUnderTest.Must(card.Redeem(15));

        Assert.Equal(new ExpiringPoints(new(25), June2026), card.Balance.Expiring);
    }

    [Fact]
    public void The_forecast_is_what_the_expiry_then_annuls()
    {
        // Held until the very instant of the expiry: released first, then annulled with the rest.
        var card = new CardUnderTest(Kyiv.At(2026, 5, 18, 0));
        card.BuyFuel(12m);
        card.AdvanceTo(Kyiv.At(2026, 5, 20));
        card.BuyFuel(8m);
        var forecast = card.Balance.Expiring;

        card.AdvanceTo(Kyiv.At(2026, 6, 2));
        card.Run(a => a.ReleaseHeldPoints(card.Now));

        var expired = Assert.Single(card.Ledger.OfType<PointsExpired>());
        Assert.Equal(new ExpiringPoints(expired.Points, June2026), forecast);
        Assert.Equal(12, expired.Points.Value);
    }

    [Fact]
    public void From_the_moment_of_the_expiry_the_forecast_is_for_next_year()
    {
        var card = CardInMay();

        card.AdvanceTo(Kyiv.At(2026, 5, 31, 23, 59, 59));
        Assert.Equal(June2026, card.Balance.Expiring?.On);

        // 1 June 00:00 in Kyiv is still 31 May in UTC: the day is the programme's.
        card.AdvanceTo(Kyiv.At(2026, 6, 1, 0));
        Assert.Equal(new ExpiringPoints(new(25), June2027), card.Balance.Expiring);
    }

    [Fact]
    public void Nothing_to_annul_is_no_forecast()
    {
        Assert.Null(new CardUnderTest(Kyiv.At(2026, 5, 1)).Balance.Expiring);
        Assert.Null(CardInMay(rules => rules.AnnualExpiryEnabled = false).Balance.Expiring);

        var spent = CardInMay();
        spent.SwitchSpendingOn();
        CardUnderTest.Must(spent.Redeem(40));
        Assert.Null(spent.Balance.Expiring);

        var terminated = CardInMay();
        CardUnderTest.Must(terminated.Run(a => a.Terminate(terminated.Now)));
        Assert.Null(terminated.Balance.Expiring);
    }

    [Fact]
    public void A_balance_below_zero_is_not_annulled_so_it_forecasts_nothing_until_points_cover_it()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 5, 1));
        var purchase = card.BuyFuel(40m);
        card.AdvanceTo(Kyiv.At(2026, 5, 16));
        card.SwitchSpendingOn();
        CardUnderTest.Must(card.Redeem(40));
        CardUnderTest.Must(card.Refund(purchase)); // already spent: −40
        Assert.Null(card.Balance.Expiring);

        card.BuyFuel(50m); // available from 30 May: 10 above zero by 1 June
        Assert.Equal(new ExpiringPoints(new(10), June2026), card.Balance.Expiring);
    }
}
