namespace BpClub.Grains.Members;

/// <summary>
/// Wrong passwords in a row for one phone, from one source or from all of them, and the lock-out they lead to: each
/// lock-out in a row lasts twice the one before (15 min, 30 min, 1 h, ...; at most a day), until a right password or
/// a password reset.
/// </summary>
internal sealed class PasswordStrikes
{
    private int _wrong;
    private int _lockouts;

    public DateTimeOffset LockedUntil { get; private set; }

    /// <summary>When the strikes last changed: the oldest are forgotten first when a phone is tried from too many
    /// sources to remember.</summary>
    public DateTimeOffset LastSeen { get; private set; }

    public bool IsLocked(DateTimeOffset now) => LockedUntil > now;

    /// <summary>Counts a wrong password; true when it starts a lock-out.</summary>
    public bool Strike(DateTimeOffset now, int threshold, TimeSpan firstLockout)
    {
        LastSeen = now;
        if (++_wrong < threshold) return false;
        _wrong = 0;
        LockedUntil = now + TimeSpan.FromTicks(Math.Min(TimeSpan.FromDays(1).Ticks,
            firstLockout.Ticks * (1L << Math.Min(_lockouts, 20))));
        _lockouts++;
        return true;
    }

    public void Clear() => (_wrong, _lockouts, LockedUntil) = (0, 0, DateTimeOffset.MinValue);
}
