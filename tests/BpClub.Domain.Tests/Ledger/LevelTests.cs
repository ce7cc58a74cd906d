using BpClub.Domain.Earning;

namespace BpClub.Domain.Tests.Ledger;

public sealed class LevelTests
{
    [Fact]
    public void New_card_is_Green_with_100_litres_to_Gold()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));

        Assert.Equal((1, "Green", "Gold", 100m),
            (card.Tier.Level, card.Tier.Name, card.Tier.NextLevel, card.Tier.LitresToNextLevel!.Value.Value));
        Assert.Equal(Kyiv.At(2026, 4, 1, 0), card.Tier.PeriodEndsAt);
    }

    [Fact]
    public void Receipt_is_rated_at_the_level_in_force_before_it_and_its_litres_then_count()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));

        var crossing = card.BuyFuel(120m);
        var next = card.BuyFuel(10m);

        Assert.Equal(120, crossing.Points.Value); // rated at Green
        Assert.Equal(20, next.Points.Value);      // Gold: 2 per litre
        Assert.Equal("Gold", card.Tier.Name);
    }

    [Fact]
    public void Crossing_a_threshold_mid_month_raises_the_level_at_once()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        card.BuyFuel(60m);
        Assert.Equal("Green", card.Tier.Name);

        card.Advance(TimeSpan.FromDays(5));
        card.BuyFuel(40m);

        Assert.Equal("Gold", card.Tier.Name);
        Assert.Equal(100m, card.Tier.QualifyingLitres.Value);
        Assert.Equal(("Platinum", 100m), (card.Tier.NextLevel, card.Tier.LitresToNextLevel!.Value.Value));
    }

    [Fact]
    public void Level_reached_holds_for_the_whole_next_month_and_then_lapses()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 20));
        card.BuyFuel(210m);
        Assert.Equal("Platinum", card.Tier.Name);

        card.AdvanceTo(Kyiv.At(2026, 4, 30, 23, 59, 59));
        Assert.Equal(("Platinum", 0m), (card.Tier.Name, card.Tier.QualifyingLitres.Value));
        Assert.Equal(30, card.BuyFuel(10m).Points.Value);

        card.AdvanceTo(Kyiv.At(2026, 5, 1, 0));
        Assert.Equal("Green", card.Tier.Name);
    }

    [Fact]
    public void Level_at_a_month_start_is_the_higher_of_last_months_and_this_months()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 20));
        card.BuyFuel(110m); // Gold in March, so Gold all April
        card.AdvanceTo(Kyiv.At(2026, 4, 5));

        card.BuyFuel(90m);
        Assert.Equal("Gold", card.Tier.Name);

        card.BuyFuel(120m); // 210 L in April: Platinum now, and all of May
        Assert.Equal("Platinum", card.Tier.Name);
        card.AdvanceTo(Kyiv.At(2026, 5, 31, 23));
        Assert.Equal("Platinum", card.Tier.Name);
    }

    [Fact]
    public void Months_are_counted_in_Kyiv_time_so_2330_UTC_on_the_last_day_is_already_next_month()
    {
        // 31 January 23:30 UTC is 1 February 01:30 in Kyiv (UTC+2 in winter).
        var card = new CardUnderTest(Kyiv.Utc(2026, 1, 31, 23, 30));

        card.BuyFuel(150m);

        Assert.Equal(150m, card.Tier.QualifyingLitres.Value);
        Assert.Equal(Kyiv.At(2026, 3, 1, 0), card.Tier.PeriodEndsAt);
        card.AdvanceTo(Kyiv.At(2026, 3, 31, 12));
        Assert.Equal("Gold", card.Tier.Name); // earned in February, so it holds through March
        card.AdvanceTo(Kyiv.At(2026, 4, 1, 0));
        Assert.Equal("Green", card.Tier.Name);
    }

    [Fact]
    public void Kyiv_month_boundary_follows_summer_time()
    {
        // 31 May 21:30 UTC is 1 June 00:30 in Kyiv (UTC+3 in summer).
        var card = new CardUnderTest(Kyiv.Utc(2026, 5, 31, 21, 30));

        card.BuyFuel(150m);

        Assert.Equal(Kyiv.At(2026, 7, 1, 0), card.Tier.PeriodEndsAt);
    }

    [Fact]
    public void Litres_to_the_next_level_count_down_and_stop_at_the_top()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));

        card.BuyFuel(35.5m);
        Assert.Equal(64.5m, card.Tier.LitresToNextLevel!.Value.Value);

        card.BuyFuel(100m);
        Assert.Equal(("Platinum", 64.5m), (card.Tier.NextLevel, card.Tier.LitresToNextLevel!.Value.Value));

        card.BuyFuel(70m);
        Assert.Equal(("Platinum", null, null), (card.Tier.Name, card.Tier.NextLevel, card.Tier.LitresToNextLevel));
    }

    [Fact]
    public void Shop_goods_do_not_count_towards_the_level()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));

        card.Buy(PurchaseLine.Shop("coffee", 50_000m));

        Assert.Equal(("Green", 0m), (card.Tier.Name, card.Tier.QualifyingLitres.Value));
    }

    [Fact]
    public void Refunded_litres_stop_counting_towards_the_level()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        card.BuyFuel(50m);
        var big = card.BuyFuel(60m);
        Assert.Equal("Gold", card.Tier.Name);

        CardUnderTest.Must(card.Refund(big));

        Assert.Equal(("Green", 50m), (card.Tier.Name, card.Tier.QualifyingLitres.Value));
        Assert.Equal(50, card.BuyFuel(50m).Points.Value); // rated at Green again
    }

    [Fact]
    public void Receipt_reported_late_is_rated_at_the_level_in_force_when_it_was_made()
    {
        // Platinum earned in February holds through March; in April the card is Green again.
        var card = new CardUnderTest(Kyiv.At(2026, 2, 10));
        card.BuyFuel(250m);
        card.AdvanceTo(Kyiv.At(2026, 4, 2));

        var late = card.BuyFuel(10m, occurredAt: Kyiv.At(2026, 3, 30));

        Assert.Equal(30, late.Points.Value);
        Assert.Equal("Green", card.Tier.Name);
    }

    [Fact]
    public void Receipt_reported_late_counts_its_litres_for_the_month_it_was_made()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 4, 2));

        card.BuyFuel(120m, occurredAt: Kyiv.At(2026, 3, 30));

        Assert.Equal(0m, card.Tier.QualifyingLitres.Value);
        Assert.Equal("Gold", card.Tier.Name); // reached in March, so it holds through April
    }
}
