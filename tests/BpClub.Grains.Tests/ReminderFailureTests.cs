using BpClub.Abstractions;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

/// <summary>
/// The reminder table refuses a card's registrations. A lot is never committed without a reminder
/// due by its release, and a release that falls due meanwhile is not lost, only recorded late.
/// </summary>
public sealed class ReminderFailureTests(ShortHoldFixture fixture) : IClassFixture<ShortHoldFixture>
{
    private readonly TestStation _till = new();
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Purchase_is_refused_without_trace_while_its_reminder_cannot_be_armed_and_its_resend_is_released()
    {
        var database = fixture.Cluster.Database;
        var card = await fixture.Cluster.Grains.Issued();
        var number = card.GetPrimaryKeyString();

        await using (await database.RefuseReminderRegistration(number))
        {
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => card.Accrue(_till.Fuel("r-1", 40m)));

            Assert.Contains("test fault", failure.ToString());
            Assert.Equal(1, await database.LedgerCount(number)); // the issue alone
            Assert.False(await database.HasOperation(number, $"purchase:{_till.Station}:r-1"));
            Assert.Equal(0, await database.ReminderCount(number));
            Assert.Equal(0, (await card.GetBalance().Ok()).Total.Value);
        }

        var resent = await card.Accrue(_till.Fuel("r-1", 40m));

        Assert.Equal(OutcomeStatus.Done, resent.Status);
        Assert.Equal(1, await database.ReminderCount(number));
        // Watch the database, not the grain: a call would settle the release itself.
        await Poll.Until(() => database.LedgerCount(number, "released"), n => n == 1, Deadline, "the release entry");
        Assert.Equal(40, (await card.GetBalance().Ok()).Available.Value);
    }

    [Fact]
    public async Task A_release_due_while_reminders_cannot_be_registered_is_recorded_once_they_can()
    {
        var database = fixture.Cluster.Database;
        var card = await fixture.Cluster.Grains.Issued();
        var number = card.GetPrimaryKeyString();
        var now = DateTimeOffset.UtcNow;
        // The first lot is due in seconds, the second only in minutes: releasing the first re-arms the reminder.
        await card.Accrue(_till.Fuel("r-1", 10m, occurredAt: now + TimeSpan.FromSeconds(20))).Ok();
        await card.Accrue(_till.Fuel("r-2", 20m, occurredAt: now + TimeSpan.FromMinutes(4))).Ok();
        var secondDue = now + TimeSpan.FromMinutes(4) + fixture.Cluster.Rules.HoldPeriod;

        await using (await database.RefuseReminderRegistration(number))
        {
            var failedToArm = $"Card {number}: could not re-arm";
            await Poll.Until(() => Task.FromResult(LogCapture.Lines.Count(l => l.Contains(failedToArm))), n => n > 0,
                Deadline, "the reminder to fire for the first lot and fail to re-arm");
        }

        await Poll.Until(() => database.LedgerCount(number, "released"), n => n == 1, Deadline,
            "the first lot's release entry");
        await Poll.Until(() => database.ReminderStartsAt(number), at => at >= secondDue - TimeSpan.FromSeconds(5),
            Deadline, "the reminder re-armed for the second lot");
        var balance = await card.GetBalance().Ok();
        Assert.Equal((10L, 20L), (balance.Available.Value, balance.OnHold.Value));
    }
}
