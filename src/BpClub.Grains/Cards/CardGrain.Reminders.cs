using BpClub.Grains.Cards;
using BpClub.Grains.Cards.Commands;

namespace BpClub.Grains.Cards;

// The release reminder's tick, and the reminder's part in a commit (Cards/CardReminder.cs).
public sealed partial class CardGrain
{
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != CardReminder.Name || _reminder is null) return;
        metrics.ReminderFired();
        _reminder.Fired();
        // Through the log, like any command: only it changes the account.
        var released = await _log!.Run(new ReleaseCommand());
        if (released.Value > 0) LogReleased(Key, released.Value);
        // A replacement cut short is due at once: the reminder finishes it (Cards/Replacement).
        await _saga!.Finish();
        await _reminder.Ensure();
    }

    ReminderRow? ICardLogHost.ReminderFor(CardAccount after, bool reminderTick) =>
        _reminder!.RowFor(after, reminderTick);

    void ICardLogHost.CaughtUp() => _reminder!.Assume();
}
