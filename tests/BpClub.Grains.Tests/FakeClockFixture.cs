using BpClub.Testing;
using Microsoft.Extensions.Time.Testing;

namespace BpClub.Grains.Tests;

/// <summary>
/// A cluster whose card grains read a fake clock, so tests can move cards through months and
/// past 1 June. The clock only moves forward: each test moves it to a moment it picks.
/// </summary>
public sealed class FakeClockFixture : IAsyncLifetime
{
    private static readonly TimeZoneInfo Kyiv = TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv");

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 10, 10, 0, 0, TimeSpan.Zero));
    public BpClubTestCluster Cluster { get; private set; } = null!;
    public DateTimeOffset Now => Clock.GetUtcNow();

    public async Task InitializeAsync() => Cluster = await BpClubTestCluster.Start(programmeClock: Clock);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    public static DateTimeOffset KyivTime(int year, int month, int day, int hour = 12)
    {
        var local = new DateTime(year, month, day, hour, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Kyiv.GetUtcOffset(local));
    }

    /// <summary>Noon in Kyiv on <paramref name="day"/> of the first month that starts after now.</summary>
    public DateTimeOffset DayOfNextMonth(int day)
    {
        var local = TimeZoneInfo.ConvertTime(Now, Kyiv);
        var next = new DateTime(local.Year, local.Month, 1).AddMonths(1);
        return KyivTime(next.Year, next.Month, day);
    }

    /// <summary>Midnight in Kyiv on the first 1 June at least <paramref name="after"/> from now.</summary>
    public DateTimeOffset NextFirstOfJune(TimeSpan after)
    {
        var earliest = Now + after;
        var year = TimeZoneInfo.ConvertTime(earliest, Kyiv).Year;
        var june = KyivTime(year, 6, 1, 0);
        return june >= earliest ? june : KyivTime(year + 1, 6, 1, 0);
    }

    /// <summary>Past the hold of every purchase recorded so far: their points are available.</summary>
    public void MovePastHold() => MoveTo(Now + Cluster.Rules.HoldPeriod);

    public void MoveTo(DateTimeOffset at)
    {
        if (at < Now) throw new InvalidOperationException($"The fake clock only moves forward: {Now:O} → {at:O}.");
        Clock.SetUtcNow(at.ToUniversalTime()); // like a real clock: UTC
    }
}

[CollectionDefinition(Name)]
public sealed class FakeClockCluster : ICollectionFixture<FakeClockFixture>
{
    public const string Name = "Cluster on a fake programme clock";
}
