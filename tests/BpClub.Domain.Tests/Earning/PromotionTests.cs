using BpClub.Domain.Earning;
using BpClub.Domain.Programme;

namespace BpClub.Domain.Tests.Earning;

public sealed class PromotionTests
{
    private static readonly ProgrammeRules Rules = CardUnderTest.DefaultRules();
    private static readonly EarningCalculator Calculator = new(Rules);
    private static readonly DateTimeOffset Start = Kyiv.At(2026, 3, 1, 0);
    private static readonly DateTimeOffset End = Kyiv.At(2026, 4, 1, 0);

    private static Promotion Promo(string id, decimal? multiplier = null, long? bonus = null,
        string[]? stations = null, string[]? products = null, string[]? categories = null) =>
        new(id, id, Start, End, stations?.ToHashSet(), products?.ToHashSet(), categories?.ToHashSet(), multiplier,
            bonus);

    private static PurchaseEarning Rate(DateTimeOffset at, string station, IEnumerable<Promotion> promotions,
        params PurchaseLine[] lines) =>
        Calculator.Rate(new Purchase("r-1", station, at, PaymentMethod.Cash, lines), Rules.Levels[0], promotions);

    private static PurchaseEarning Rate(IEnumerable<Promotion> promotions, params PurchaseLine[] lines) =>
        Rate(Kyiv.At(2026, 3, 15), "st-1", promotions, lines);

    private static readonly PurchaseLine Fuel40 = PurchaseLine.Fuel("A95", 40m, 2200m);
    private static readonly PurchaseLine Coffee100 = PurchaseLine.Shop("coffee", 100m);

    [Fact]
    public void Multiplier_multiplies_the_matching_lines_points()
    {
        var earning = Rate([Promo("x2", multiplier: 2m)], Fuel40);

        Assert.Equal(80, earning.Total.Value);
        Assert.Contains(earning.Breakdown, b => b.Reason == "promotion:x2" && b.Points.Value == 40);
    }

    [Fact]
    public void Bonus_adds_fixed_points_to_each_matching_line()
    {
        var earning = Rate([Promo("bonus", bonus: 50)], Fuel40, Coffee100);

        Assert.Equal(40 + 5 + 2 * 50, earning.Total.Value);
    }

    [Fact]
    public void Multiplier_and_bonus_of_one_promotion_both_apply()
    {
        var earning = Rate([Promo("both", multiplier: 1.5m, bonus: 10)], Fuel40);

        Assert.Equal(40 + 20 + 10, earning.Total.Value);
    }

    [Fact]
    public void Only_the_best_matching_promotion_applies_to_a_line()
    {
        var earning = Rate([Promo("x2", multiplier: 2m), Promo("x3", multiplier: 3m), Promo("bonus", bonus: 30)],
            Fuel40);

        Assert.Equal(40 * 3, earning.Total.Value);
        Assert.Equal("x3", earning.Lines.Single().PromotionId);
    }

    [Fact]
    public void Each_line_gets_its_own_best_promotion()
    {
        var fuel = Promo("fuel", multiplier: 2m, products: ["A95"]);
        var coffee = Promo("coffee", bonus: 7, categories: ["coffee"]);

        var earning = Rate([fuel, coffee], Fuel40, Coffee100);

        Assert.Equal(["fuel", "coffee"], earning.Lines.Select(l => l.PromotionId));
        Assert.Equal(80 + 5 + 7, earning.Total.Value);
    }

    [Fact]
    public void Promotion_limited_to_stations_applies_only_there()
    {
        var promotion = Promo("st-2 only", multiplier: 2m, stations: ["st-2"]);

        Assert.Equal(40, Rate(Kyiv.At(2026, 3, 15), "st-1", [promotion], Fuel40).Total.Value);
        Assert.Equal(80, Rate(Kyiv.At(2026, 3, 15), "st-2", [promotion], Fuel40).Total.Value);
    }

    [Fact]
    public void Promotion_limited_to_product_codes_targets_those_fuels_and_no_shop_goods()
    {
        var promotion = Promo("diesel", multiplier: 2m, products: ["DP"]);

        var earning = Rate([promotion], Fuel40, PurchaseLine.Fuel("DP", 10m, 550m), Coffee100);

        Assert.Equal([null, "diesel", null], earning.Lines.Select(l => l.PromotionId));
        Assert.Equal(40 + 20 + 5, earning.Total.Value);
    }

    [Fact]
    public void Promotion_limited_to_categories_targets_those_shop_goods_and_no_fuel()
    {
        var promotion = Promo("coffee", multiplier: 4m, categories: ["coffee"]);

        var earning = Rate([promotion], Fuel40, Coffee100, PurchaseLine.Shop("snacks", 100m));

        Assert.Equal([null, "coffee", null], earning.Lines.Select(l => l.PromotionId));
        Assert.Equal(40 + 20 + 5, earning.Total.Value);
    }

    [Fact]
    public void Promotion_applies_from_its_start_until_just_before_its_end_by_the_time_of_purchase()
    {
        Promotion[] promotion = [Promo("march", multiplier: 2m)];

        Assert.Equal(40, Rate(Start.AddSeconds(-1), "st-1", promotion, Fuel40).Total.Value);
        Assert.Equal(80, Rate(Start, "st-1", promotion, Fuel40).Total.Value);
        Assert.Equal(80, Rate(End.AddSeconds(-1), "st-1", promotion, Fuel40).Total.Value);
        Assert.Equal(40, Rate(End, "st-1", promotion, Fuel40).Total.Value);
    }

    [Fact]
    public void A_multiplier_below_one_never_lowers_a_lines_points()
    {
        var earning = Rate([Promo("odd", multiplier: 0.5m)], Fuel40);

        Assert.Equal(40, earning.Total.Value);
        Assert.Null(earning.Lines.Single().PromotionId);
    }
}
