using BpClub.Domain.Earning;
using BpClub.Domain.Programme;
using BpClub.Domain.Units;

namespace BpClub.Domain.Tests.Earning;

public sealed class EarningCalculatorTests
{
    private static readonly ProgrammeRules Rules = CardUnderTest.DefaultRules();
    private static readonly EarningCalculator Calculator = new(Rules);
    private static readonly DateTimeOffset At = Kyiv.At(2026, 3, 10);
    private static LevelRule Green => Rules.Levels[0];

    private static Purchase Receipt(PaymentMethod payment, params PurchaseLine[] lines)
        => new("r-1", "st-1", At, payment, lines);

    private static Purchase Receipt(params PurchaseLine[] lines) => Receipt(PaymentMethod.Cash, lines);

    [Theory]
    [InlineData(0, 40)]  // Green: 1 point per litre
    [InlineData(1, 80)]  // Gold: 2
    [InlineData(2, 120)] // Platinum: 3
    public void Fuel_earns_points_per_litre_by_level(int level, long expected)
    {
        var earning = Calculator.Rate(Receipt(PurchaseLine.Fuel("A95", 40m, 2200m)), Rules.Levels[level], []);

        Assert.Equal(expected, earning.Total.Value);
    }

    [Fact]
    public void Fractions_of_a_litre_count_and_the_receipt_is_rounded_down_once()
    {
        // 10.6 L + 10.6 L = 21.2 points at Green: 21, where rounding each line would give 20.
        var earning = Calculator.Rate(
            Receipt(PurchaseLine.Fuel("A95", 10.6m, 583m), PurchaseLine.Fuel("DP", 10.6m, 583m)), Green, []);

        Assert.Equal(21, earning.Total.Value);
    }

    [Fact]
    public void Fractions_below_a_whole_point_earn_nothing()
    {
        var earning = Calculator.Rate(Receipt(PurchaseLine.Fuel("A95", 0.999m, 55m)), Green, []);

        Assert.Equal(0, earning.Total.Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Shop_goods_earn_one_point_per_20_UAH_at_every_level(int level)
    {
        var earning = Calculator.Rate(Receipt(PurchaseLine.Shop("coffee", 119.99m)), Rules.Levels[level], []);

        Assert.Equal(5, earning.Total.Value);
    }

    [Fact]
    public void Paying_with_the_BP_CLUB_card_adds_one_point_per_litre_of_fuel_only()
    {
        var lines = new[] { PurchaseLine.Fuel("A95", 30m, 1650m), PurchaseLine.Shop("coffee", 100m) };

        var cash = Calculator.Rate(Receipt(PaymentMethod.Cash, lines), Green, []);
        var card = Calculator.Rate(Receipt(PaymentMethod.BpClubCard, lines), Green, []);
        var bankCard = Calculator.Rate(Receipt(PaymentMethod.BankCard, lines), Green, []);

        Assert.Equal(35, cash.Total.Value);
        Assert.Equal(65, card.Total.Value);
        Assert.Equal(35, bankCard.Total.Value);
    }

    [Fact]
    public void Partner_purchase_earns_at_the_partner_rate_rounded_down()
    {
        var points = Calculator.Rate(new PartnerPurchase("t-1", "cafe", At, new Money(333.33m), 0.03m));

        Assert.Equal(9, points.Value); // 9.9999
    }

    [Fact]
    public void Breakdown_names_each_source_and_adds_up_to_the_rounded_total()
    {
        // fuel 10.5 + card 10.5 + shop 1.25 = 22.25 → 22
        var earning = Calculator.Rate(Receipt(PaymentMethod.BpClubCard,
            PurchaseLine.Fuel("A95", 10.5m, 577.5m), PurchaseLine.Shop("coffee", 25m)), Green, []);

        Assert.Equal(22, earning.Total.Value);
        Assert.Equal(earning.Total.Value, earning.Breakdown.Sum(b => b.Points.Value));
        Assert.Equal(["fuel", "bpClubCard", "shop"], earning.Breakdown.Select(b => b.Reason));
    }

    [Fact]
    public void Refunding_every_line_in_steps_takes_back_exactly_what_was_earned()
    {
        var earning = Calculator.Rate(Receipt(
            PurchaseLine.Fuel("A95", 10.6m, 583m), PurchaseLine.Fuel("DP", 10.6m, 583m),
                PurchaseLine.Shop("coffee", 30m)), Green, []);

        var first = EarningCalculator.Reversal(earning.Lines, new HashSet<int>(), new HashSet<int> { 0 });
        var second = EarningCalculator.Reversal(earning.Lines, new HashSet<int> { 0 }, new HashSet<int> { 2 });
        var third = EarningCalculator.Reversal(earning.Lines, new HashSet<int> { 0, 2 }, new HashSet<int> { 1 });

        Assert.Equal(22, earning.Total.Value); // 10.6 + 10.6 + 1.5 = 22.7
        Assert.Equal(earning.Total, first + second + third);
        Assert.Equal(10, first.Value);  // 22.7 → 12.1 left: 22 − 12
    }
}
