namespace BpClub.Domain.Tests.Ledger;

/// <summary>The tier's forecast: next month's level if no more fuel is bought, and the litres to keep it.</summary>
public sealed class LevelKeepingTests
{
    /// <summary>Gold since March (120 L), so Gold for all of April whatever April's litres.</summary>
    private static CardUnderTest GoldFromMarch()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 20));
        card.BuyFuel(120m);
        card.AdvanceTo(Kyiv.At(2026, 4, 5));
        return card;
    }

    [Fact]
    public void A_level_held_from_last_month_needs_this_months_threshold_again_to_be_kept()
    {
        var card = GoldFromMarch();
        card.BuyFuel(65m);

        Assert.Equal("Gold", card.Tier.Name);
        Assert.Equal(35m, card.Tier.LitresToKeepLevel.Value); // "buy 35 L more this month to keep Gold"
        Assert.Equal("Green", card.Tier.LevelNextMonth);
    }

    [Fact]
    public void Reaching_the_threshold_again_keeps_the_level_for_next_month()
    {
        var card = GoldFromMarch();
        card.BuyFuel(65m);
        card.BuyFuel(35m);

        Assert.Equal((0m, "Gold"), (card.Tier.LitresToKeepLevel.Value, card.Tier.LevelNextMonth));
    }

    [Fact]
    public void A_level_reached_this_month_is_kept_and_a_higher_one_is_projected_as_reached()
    {
        var card = GoldFromMarch();
        card.BuyFuel(205m);

        Assert.Equal("Platinum", card.Tier.Name);
        Assert.Equal((0m, "Platinum"), (card.Tier.LitresToKeepLevel.Value, card.Tier.LevelNextMonth));
    }

    [Fact]
    public void The_lowest_level_is_always_kept()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 4, 5));

        Assert.Equal(("Green", 0m, "Green"),
            (card.Tier.Name, card.Tier.LitresToKeepLevel.Value, card.Tier.LevelNextMonth));
    }

    [Fact]
    public void Refunded_fuel_stops_counting_towards_keeping_the_level()
    {
        var card = GoldFromMarch();
        var purchase = card.BuyFuel(100m);
        Assert.Equal((0m, "Gold"), (card.Tier.LitresToKeepLevel.Value, card.Tier.LevelNextMonth));

        CardUnderTest.Must(card.Refund(purchase));

        Assert.Equal((100m, "Green"), (card.Tier.LitresToKeepLevel.Value, card.Tier.LevelNextMonth));
    }

    [Fact]
    public void The_forecast_is_of_the_programmes_month_in_Kyiv()
    {
        var card = GoldFromMarch();
        card.AdvanceTo(Kyiv.At(2026, 4, 30, 23, 59, 59));
        card.BuyFuel(100m);
        Assert.Equal((0m, "Gold"), (card.Tier.LitresToKeepLevel.Value, card.Tier.LevelNextMonth));

        // 1 May 00:00 in Kyiv is 30 April 21:00 UTC: May has begun, Gold from April, May's litres are none yet.
        card.AdvanceTo(Kyiv.At(2026, 5, 1, 0));
        Assert.Equal(("Gold", 100m, "Green"),
            (card.Tier.Name, card.Tier.LitresToKeepLevel.Value, card.Tier.LevelNextMonth));
    }
}
