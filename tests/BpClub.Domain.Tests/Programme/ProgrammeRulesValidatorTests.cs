using System.ComponentModel.DataAnnotations;
using System.Globalization;
using BpClub.Domain.Programme;

namespace BpClub.Domain.Tests.Programme;

public sealed class ProgrammeRulesValidatorTests
{
    private static string[] Failures(Action<ProgrammeRules> change)
    {
        var rules = CardUnderTest.DefaultRules();
        change(rules);
        var result = new ProgrammeRulesValidator().Validate(null, rules);
        return result.Failed ? result.Failures.ToArray() : [];
    }

    [Fact]
    public void The_published_rules_are_valid()
    {
        Assert.Empty(Failures(_ => { }));
    }

    [Fact]
    public void The_published_rules_are_valid_whatever_the_servers_culture()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            // Ukrainian writes decimals with a comma; limits like "0.01" must still parse. Fresh
            // attribute instances, because the validator caches the ones it has set up before.
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("uk-UA");
            var rules = CardUnderTest.DefaultRules();
            foreach (var property in typeof(ProgrammeRules).GetProperties())
            foreach (var range in property.GetCustomAttributes(typeof(RangeAttribute), inherit: true)
                .Cast<RangeAttribute>())
                Assert.True(range.IsValid(property.GetValue(rules)), property.Name);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    public static TheoryData<string, Action<ProgrammeRules>> Nonsense => new()
    {
        { "overlaps", r => r.Levels[2].FromLitres = 100m },
        { "overlaps", r => r.Levels.Reverse() },
        { "start at 0", r => r.Levels[0].FromLitres = 10m },
        { "negative rate", r => r.Levels[1].PointsPerLitre = -2m },
        { "must be level", r => r.Levels[1].Level = 7 },
        { "needs a name", r => r.Levels[1].Name = " " },
        { "at least one level", r => r.Levels.Clear() },
        { "earns less", r => r.Levels[2].PointsPerLitre = 1.5m },
        { "ShopUahPerPoint", r => r.ShopUahPerPoint = 0m },
        { "ShopUahPerPoint", r => r.ShopUahPerPoint = -20m },
        { "PaymentCardPointsPerLitre", r => r.PaymentCardPointsPerLitre = -1m },
        { "HoldPeriod", r => r.HoldPeriod = TimeSpan.FromDays(-1) },
        { "HoldPeriod", r => r.HoldPeriod = TimeSpan.FromDays(400) },
        { "MaxBackdating", r => r.MaxBackdating = TimeSpan.FromHours(-1) },
        { "MaxBackdating", r => r.MaxBackdating = TimeSpan.FromDays(1000) },
        { "MaxClockSkew", r => r.MaxClockSkew = TimeSpan.FromHours(-1) },
        { "AnnualExpiryMonth", r => r.AnnualExpiryMonth = 13 },
        { "AnnualExpiryDay", r => r.AnnualExpiryDay = 0 },
        { "not a known time zone", r => r.TimeZone = "Europe/Atlantis" },
        { "MaxLinesPerReceipt", r => r.MaxLinesPerReceipt = 0 },
        { "MaxPointsPerOperation", r => r.MaxPointsPerOperation = 0 },
    };

    [Theory]
    [MemberData(nameof(Nonsense))]
    public void Nonsense_is_refused_with_a_reason(string reason, Action<ProgrammeRules> change)
    {
        var failures = Failures(change);

        Assert.Contains(failures, f => f.Contains(reason, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_missing_level_entry_is_refused_not_thrown()
    {
        Assert.NotEmpty(Failures(r => r.Levels[1] = null!));
    }
}
