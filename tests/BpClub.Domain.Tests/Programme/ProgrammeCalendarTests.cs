using BpClub.Domain.Programme;

namespace BpClub.Domain.Tests.Programme;

public sealed class ProgrammeCalendarTests
{
    private static readonly ProgrammeCalendar Calendar = new(CardUnderTest.DefaultRules());

    [Fact]
    public void Month_changes_at_midnight_in_Kyiv_not_in_UTC()
    {
        var january = Calendar.MonthKey(Kyiv.At(2026, 1, 31, 23, 59, 59));
        var february = Calendar.MonthKey(Kyiv.Utc(2026, 1, 31, 23, 30));

        Assert.Equal(january + 1, february);
        Assert.Equal(Kyiv.Utc(2026, 1, 31, 22), Calendar.MonthStart(february));
    }

    [Fact]
    public void Month_key_runs_on_across_years()
    {
        Assert.Equal(Calendar.MonthKey(Kyiv.At(2025, 12, 15)) + 1, Calendar.MonthKey(Kyiv.At(2026, 1, 15)));
        Assert.Equal(Kyiv.At(2026, 1, 1, 0), Calendar.MonthStart(Calendar.MonthKey(Kyiv.At(2025, 12, 15)) + 1));
    }

    [Fact]
    public void Next_expiry_is_the_coming_1_June_at_Kyiv_midnight()
    {
        Assert.Equal(Kyiv.At(2026, 6, 1, 0), Calendar.NextExpiryAfter(Kyiv.At(2026, 3, 1)));
        Assert.Equal(Kyiv.At(2027, 6, 1, 0), Calendar.NextExpiryAfter(Kyiv.At(2026, 6, 1, 0)));
        Assert.Equal(Kyiv.Utc(2026, 5, 31, 21), Calendar.NextExpiryAfter(Kyiv.Utc(2026, 5, 31, 20, 59)));
    }

    [Fact]
    public void No_expiry_when_switched_off()
    {
        var rules = CardUnderTest.DefaultRules();
        rules.AnnualExpiryEnabled = false;

        Assert.Null(new ProgrammeCalendar(rules).NextExpiryAfter(Kyiv.At(2026, 3, 1)));
    }
}
