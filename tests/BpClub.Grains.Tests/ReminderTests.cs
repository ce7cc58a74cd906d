using BpClub.Testing;

namespace BpClub.Grains.Tests;

/// <summary>A cluster with a hold of seconds, so the persistent release reminder really fires during a test.</summary>
public sealed class ShortHoldFixture : IAsyncLifetime
{
    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["Programme:HoldPeriod"] = "00:00:03",
        // Otherwise the reminder stays armed for 1 June once points are available.
        ["Programme:AnnualExpiryEnabled"] = "false",
        ["Reminders:MinimumReminderPeriod"] = "00:00:02",
        ["Reminders:RefreshReminderListPeriod"] = "00:00:02",
        ["Reminders:InitializationTimeout"] = "00:00:30",
    };

    public BpClubTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await BpClubTestCluster.Start(settings: Settings);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

public sealed class ReminderTests(ShortHoldFixture fixture) : IClassFixture<ShortHoldFixture>
{
    private readonly TestStation _till = new();
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Release_reminder_fires_makes_the_points_available_and_writes_its_history_entry()
    {
        var card = await fixture.Cluster.Grains.Issued();
        var number = card.GetPrimaryKeyString();
        await card.Accrue(_till.Fuel("r-1", 40m)).Ok();
        Assert.Equal(1, await fixture.Cluster.Database.ReminderCount(number));

        // Watch the database, not the grain: a call would settle the release itself.
        await Poll.Until(() => fixture.Cluster.Database.LedgerCount(number, "released"), n => n == 1, Deadline,
            "the release entry");
        await Poll.Until(() => fixture.Cluster.Database.ReminderCount(number), n => n == 0, Deadline,
            "the reminder to unregister");

        var latest = (await card.GetHistory(1, null).Ok()).Items.Single();
        Assert.Equal(("released", 40L, "Points became available"),
            (latest.Kind, latest.Points.Value, latest.Description));
        Assert.Equal(40, (await card.GetBalance().Ok()).Available.Value);
    }

    [Fact]
    public async Task Release_reminder_re_arms_for_the_next_lot()
    {
        var card = await fixture.Cluster.Grains.Issued();
        var number = card.GetPrimaryKeyString();
        var now = DateTimeOffset.UtcNow;
        await card.Accrue(_till.Fuel("r-1", 10m, occurredAt: now)).Ok();
        await card.Accrue(_till.Fuel("r-2", 20m, occurredAt: now + TimeSpan.FromSeconds(5))).Ok();

        await Poll.Until(() => fixture.Cluster.Database.LedgerCount(number, "released"), n => n == 2, Deadline,
            "both release entries");

        var released = (await card.GetHistory(2, null).Ok()).Items;
        Assert.Equal([20L, 10L], released.Select(i => i.Points.Value));
        await Poll.Until(() => fixture.Cluster.Database.ReminderCount(number), n => n == 0, Deadline,
            "the reminder to unregister");
    }
}

public sealed class ReminderFailoverTests
{
    private readonly TestStation _till = new();
    [Fact]
    public async Task Release_reminder_still_fires_after_its_silo_stopped_and_another_started()
    {
        await using var cluster =
            await BpClubTestCluster.Start(settings: new Dictionary<string, string?>(ShortHoldFixture.Settings)
        {
            ["Programme:HoldPeriod"] = "00:00:06",
        });
        var card = await cluster.Grains.Issued();
        var number = card.GetPrimaryKeyString();
        await card.Accrue(_till.Fuel("r-1", 40m)).Ok();
        var sincePurchase = System.Diagnostics.Stopwatch.StartNew();
        var first = cluster.Cluster.Primary!;

        await cluster.Cluster.StartAdditionalSiloAsync();
        await cluster.Cluster.StopSiloAsync(first);

        // On a busy box starting and stopping silos can outlast the hold; only then may it be released already.
        if (sincePurchase.Elapsed < TimeSpan.FromSeconds(5)) Assert.Equal(0,
            await cluster.Database.LedgerCount(number, "released"));
        await Poll.Until(() => cluster.Database.LedgerCount(number, "released"), n => n == 1, TimeSpan.FromSeconds(60),
            "the release entry");
        await Poll.Until(() => cluster.Database.ReminderCount(number), n => n == 0, TimeSpan.FromSeconds(30),
            "the reminder to unregister");
        Assert.Equal(40, (await card.GetBalance().Ok()).Available.Value);
    }
}
