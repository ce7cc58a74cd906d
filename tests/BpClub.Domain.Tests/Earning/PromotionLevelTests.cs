using BpClub.Domain.Earning;
using BpClub.Domain.Programme;
using BpClub.Domain.Validation;

namespace BpClub.Domain.Tests.Earning;

/// <summary>A promotion only for some levels: a card at another level earns nothing from it.</summary>
public sealed class PromotionLevelTests
{
    private static readonly ProgrammeRules Rules = CardUnderTest.DefaultRules();
    private static readonly EarningCalculator Calculator = new(Rules);
    private static readonly int[] LevelNumbers = Rules.Levels.Select(l => l.Level).ToArray();
    private static readonly PurchaseLine Fuel40 = PurchaseLine.Fuel("A95", 40m, 2200m);

    private static Promotion GoldAndUp(params int[] levels) => new("gold", "Gold", Kyiv.At(2026, 3, 1),
        Kyiv.At(2026, 4, 1), Multiplier: 2m, Levels: levels.ToHashSet());

    private static PurchaseEarning Rate(int levelIndex, Promotion promotion) => Calculator.Rate(
        new Purchase("r-1", "st-1", Kyiv.At(2026, 3, 15), PaymentMethod.Cash, [Fuel40]), Rules.Levels[levelIndex],
        [promotion]);

    [Fact]
    public void A_promotion_for_some_levels_applies_only_to_cards_at_those_levels()
    {
        var promotion = GoldAndUp(2, 3);

        Assert.Null(Rate(0, promotion).Lines.Single().PromotionId);
        Assert.Equal(40, Rate(0, promotion).Total.Value);
        Assert.Equal(80 * 2, Rate(1, promotion).Total.Value);
        Assert.Equal(120 * 2, Rate(2, promotion).Total.Value);
    }

    [Fact]
    public void A_promotion_with_no_levels_or_an_empty_list_applies_at_every_level()
    {
        Assert.Equal(80, Rate(0, GoldAndUp()).Total.Value);
        Assert.Equal(80, Rate(0, GoldAndUp() with { Levels = null }).Total.Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(-1)]
    public void A_level_the_programme_does_not_have_is_refused(int level)
    {
        var errors = PromotionValidator.Validate(GoldAndUp(2, level), LevelNumbers);

        Assert.Contains("levels", errors.ToDictionary().Keys);
    }

    [Fact]
    public void The_programmes_own_levels_are_accepted()
    {
        Assert.True(PromotionValidator.Validate(GoldAndUp(1, 2, 3), LevelNumbers).IsEmpty);
    }
}
