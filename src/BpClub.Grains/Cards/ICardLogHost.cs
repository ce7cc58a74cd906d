namespace BpClub.Grains.Cards;

/// <summary>What a card's command log asks of the grain that hosts it: the reminder, what follows a commit.</summary>
public interface ICardLogHost
{
    /// <summary>
    /// The release reminder's row to commit with a batch that leaves the account <paramref name="after"/>, or null
    /// when the reminder already fires in time (or the batch is the reminder's own tick, which moves it after).
    /// </summary>
    ReminderRow? ReminderFor(CardAccount after, bool reminderTick);

    /// <summary>After a commit, once the log holds the new account: meters, watchers, snapshot, reminder.</summary>
    /// <param name="reminder">The reminder row committed with the events, if any.</param>
    Task Committed(IReadOnlyList<CardEvent> events, ReminderRow? reminder);

    /// <summary>The log read the ledger's tail (activation, or after a commit that may not have happened).</summary>
    void CaughtUp();

    /// <summary>Another activation has written the card: this one must go.</summary>
    void Stale(Exception e);

    void WriteFailed(Exception e);
}
