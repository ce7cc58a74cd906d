namespace BpClub.Grains.Cards;

/// <summary>
/// A card's release reminder: one persistent Orleans reminder per card, due at the account's earliest release or
/// annual expiry, which records what fell due ("became available", "annulled"), then is moved on or removed.
/// </summary>
/// <remarks>
/// What it knows of the reminder table it knows without asking it. A lot is never committed without a reminder due
/// no later than its release (its row is written in the lot's transaction, <see cref="RowFor"/>), and a reminder,
/// once due, fires every period until it is moved on or removed, which happens only when nothing is due. So while
/// the account has something due, a reminder fires by then (or keeps firing, if moving it failed): a new lot due
/// later needs no write, and activating a card costs no reminder round trip.
/// </remarks>
internal sealed partial class CardReminder(IGrainBase grain, Func<CardAccount> account, TimeProvider programmeTime,
    TimeSpan period, ILogger logger)
{
    public const string Name = "release-held-points";
    private bool _known;
    private DateTimeOffset? _dueAt;
    /// <summary>The due time of the row offered to the batch being committed.</summary>
    private DateTimeOffset? _offered;
    /// <summary>Moves the reminder again when moving it failed (see <see cref="TryEnsure"/>).</summary>
    private IGrainTimer? _retry;

    /// <summary>
    /// What an activation or catch-up can assume: a reminder fires by the account's next due time, and with nothing
    /// due there is no reminder to look for (a card just issued never had one). Should one be left over all the same
    /// (removing it failed), it fires once, finds nothing due and is removed then: so issuing a card, or any command
    /// that leaves nothing due, costs no read of the reminder table.
    /// </summary>
    public void Assume()
    {
        if (account() is { Status: CardStatus.Active or CardStatus.NotIssued } a)
            (_known, _dueAt) = (true, a.NextDueAt());
    }

    /// <summary>The reminder fired: its registered due time has passed; it is moved from the account after.</summary>
    public void Fired() => _known = false;

    /// <summary>
    /// The row to commit with a batch that leaves the account <paramref name="after"/>: when the batch needs the
    /// reminder armed or moved earlier. Not for the reminder's own tick: that moves it through the reminder service
    /// afterwards, whose timer must learn the new time now, not at its next read of the table.
    /// </summary>
    public ReminderRow? RowFor(CardAccount after, bool reminderTick)
    {
        _offered = after.NextDueAt() is { } due && !reminderTick && (!_known || _dueAt is null || due < _dueAt)
            ? due
            : null;
        if (_offered is not { } at) return null;
        // The reminder service's clock is the real one; the programme's may not be: the row starts as far from now
        // as the release is. The service reads its range of the table every Reminders:RefreshReminderListPeriod.
        return ReminderRow.For(grain.GrainContext.GrainId, Name, TimeProvider.System.GetUtcNow() + DueIn(at), period);
    }

    /// <summary>The batch committed with the row <see cref="RowFor"/> offered, or without any.</summary>
    public void Committed(ReminderRow? row)
    {
        if (row is not null) (_known, _dueAt) = (true, _offered);
    }

    /// <summary>
    /// Keeps the reminder right, or tries again every period with a grain timer: a reminder that cannot be moved
    /// now (the reminder service still loading after a silo joined or left) must not fail a committed command.
    /// </summary>
    public async Task TryEnsure()
    {
        try
        {
            await Ensure();
            _retry?.Dispose();
            _retry = null;
        }
        catch (Exception e)
        {
            _known = false;
            LogFailed(e, grain.GrainContext.GrainId.Key.ToString()!);
            _retry ??= grain.RegisterGrainTimer(_ => TryEnsure(), period, period);
        }
    }

    /// <summary>Keeps exactly one reminder, due at the account's next release or expiry, or none.</summary>
    public async Task Ensure()
    {
        var due = account().NextDueAt();
        if (_known && due == _dueAt) return;
        if (due is { } at)
        {
            await Arm(at);
            return;
        }
        if (await grain.GetReminder(Name) is { } reminder)
        {
            // Purchases interleave with this: one may have committed a lot, and its reminder row, meanwhile.
            if (account().NextDueAt() is { } since)
            {
                await Arm(since);
                return;
            }
            await grain.UnregisterReminder(reminder);
            if (account().NextDueAt() is { } during)
            {
                await Arm(during);
                return;
            }
        }
        (_known, _dueAt) = (true, due);
    }

    private async Task Arm(DateTimeOffset at)
    {
        await grain.RegisterOrUpdateReminder(Name, DueIn(at), period);
        (_known, _dueAt) = (true, at);
    }

    private TimeSpan DueIn(DateTimeOffset at)
    {
        var dueIn = at - programmeTime.GetUtcNow();
        return dueIn > TimeSpan.FromSeconds(1) ? dueIn : TimeSpan.FromSeconds(1);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Card {Card}: could not re-arm the release reminder")]
    private partial void LogFailed(Exception e, string card);
}
