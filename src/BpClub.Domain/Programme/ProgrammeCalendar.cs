namespace BpClub.Domain.Programme;

/// <summary>
/// Months and the annual expiry day as the programme counts them: in the programme's time zone
/// (Europe/Kyiv), not UTC, so a purchase at 01:30 Kyiv time on the 1st belongs to the new month.
/// </summary>
public sealed class ProgrammeCalendar(ProgrammeRules rules)
{
    private readonly TimeZoneInfo _zone = rules.ResolveTimeZone();

    /// <summary>A month as a single number (year × 12 + month − 1), so "the month before" is key − 1.</summary>
    public int MonthKey(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, _zone);
        return local.Year * 12 + local.Month - 1;
    }

    public DateTimeOffset MonthStart(int monthKey) => LocalMidnight(monthKey / 12, monthKey % 12 + 1, 1);

    /// <summary>The first annual expiry instant strictly after <paramref name="after"/>, or null when expiry is
    /// off.</summary>
    public DateTimeOffset? NextExpiryAfter(DateTimeOffset after)
    {
        if (!rules.AnnualExpiryEnabled) return null;
        var year = TimeZoneInfo.ConvertTime(after, _zone).Year;
        for (var y = year; ; y++)
        {
            var candidate = LocalMidnight(y, rules.AnnualExpiryMonth, rules.AnnualExpiryDay);
            if (candidate > after) return candidate;
        }
    }

    /// <summary>The day on the programme's calendar that <paramref name="at"/> falls on.</summary>
    public DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, _zone).DateTime);

    /// <summary>The first instant of <paramref name="day"/> on the programme's calendar.</summary>
    public DateTimeOffset DayStart(DateOnly day) => LocalMidnight(day.Year, day.Month, day.Day);

    /// <summary>The instant, in UTC like every instant the ledger records, of a midnight on the programme's
    /// calendar.</summary>
    private DateTimeOffset LocalMidnight(int year, int month, int day)
    {
        var local = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, _zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
