using BpClub.Domain.Ledger;
using BpClub.Grains.Storage;

namespace BpClub.Grains;

// Holds with reminders: one persistent reminder per card, due at the earliest release or the
// annual expiry, records what fell due ("became available", "annulled"), then re-arms or goes.
public sealed partial class CardGrain
{
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReleaseReminder) return;
        metrics.ReminderFired();
        _reminderKnown = false; // the registered due time has passed; re-arm from the account
        if (_card is not null)
        {
            // Through the writer, like any command: only it changes the account.
            var released = await Run(operationKey: null, request: null,
                (account, at) => account.Status == CardStatus.Active ? account.ReleaseHeldPoints(at) : Decision.Nothing(account),
                (decided, _) => decided.Events.Count, fromReminder: true);
            if (released.Value > 0) LogReleased(Key, released.Value);
        }
        await EnsureReminder();
    }

    /// <summary>
    /// What an activation knows of the card's reminder without asking the reminder table. A lot is never committed
    /// without a reminder due no later than its release, and a reminder, once due, fires every period until the
    /// card moves it on or removes it, only when nothing is due. So while the account has something due, a
    /// reminder fires by then (or keeps firing, if a re-arm failed): a new lot due later needs no write, and
    /// activating a card costs no reminder round trip. With nothing due it is unknown; the next lot arms one.
    /// </summary>
    private void AssumeReminder()
    {
        if (_account.Status == CardStatus.Active && _account.NextDueAt() is { } due) (_reminderKnown, _reminderDueAt) = (true, due);
    }

    /// <summary>Keeps exactly one reminder, due at the account's next release or expiry, or none.</summary>
    private async Task EnsureReminder()
    {
        var due = _card is null ? null : _account.NextDueAt();
        if (_reminderKnown && due == _reminderDueAt) return;
        if (due is { } at)
        {
            await ArmReminder(at);
            return;
        }
        if (await this.GetReminder(ReleaseReminder) is { } reminder)
        {
            // Purchases interleave with this: one may have committed a lot, and its reminder row, meanwhile.
            if (_account.NextDueAt() is { } since)
            {
                await ArmReminder(since);
                return;
            }
            await this.UnregisterReminder(reminder);
            if (_account.NextDueAt() is { } during)
            {
                await ArmReminder(during);
                return;
            }
        }
        (_reminderKnown, _reminderDueAt) = (true, due);
    }

    private async Task ArmReminder(DateTimeOffset at)
    {
        var dueIn = at - time.GetUtcNow();
        await this.RegisterOrUpdateReminder(ReleaseReminder, dueIn > TimeSpan.FromSeconds(1) ? dueIn : TimeSpan.FromSeconds(1), _reminderRetryPeriod);
        (_reminderKnown, _reminderDueAt) = (true, at);
    }

    /// <summary>
    /// The release reminder as a row of the reminder table, for the group commit to write with the lots it
    /// releases. The reminder service reads rows of its range from the table every
    /// <c>Reminders:RefreshReminderListPeriod</c>, well before a 14-day hold ends. Its clock is the real one,
    /// while <paramref name="at"/> is on the programme's: the row starts as far from now as the release is.
    /// </summary>
    private ReminderRow ReleaseReminderRow(DateTimeOffset at)
    {
        var dueIn = at - time.GetUtcNow();
        return ReminderRow.For(this.GetGrainId(), ReleaseReminder, TimeProvider.System.GetUtcNow()
            + (dueIn > TimeSpan.FromSeconds(1) ? dueIn : TimeSpan.FromSeconds(1)), _reminderRetryPeriod);
    }

    /// <summary>
    /// A reminder that cannot be armed now (the reminder service still loading after a silo
    /// joined or left) must not fail a committed command or an activation: the balance is exact
    /// without it, and the next command or activation tries again.
    /// </summary>
    /// <remarks>
    /// "The next command" may never come, though, so a grain timer tries again every reminder period
    /// until it succeeds. (A new lot never waits for this: its reminder row is committed with it.)
    /// </remarks>
    private async Task TryEnsureReminder()
    {
        try
        {
            await EnsureReminder();
            _reminderRetry?.Dispose();
            _reminderRetry = null;
        }
        catch (Exception e)
        {
            _reminderKnown = false;
            LogReminderFailed(e, Key);
            _reminderRetry ??= this.RegisterGrainTimer(_ => TryEnsureReminder(), _reminderRetryPeriod, _reminderRetryPeriod);
        }
    }
}
