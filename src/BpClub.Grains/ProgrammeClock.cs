namespace BpClub.Grains;

/// <summary>
/// The service key of the clock the programme's rules read: holds, months, the 1 June expiry.
/// Nothing registers it in production, where Orleans resolves any keyed TimeProvider to the
/// silo's own clock. Tests register a fake clock under this key to move a card through months
/// without also moving Orleans' timers, membership and reminder service, which read the
/// unkeyed TimeProvider and would misbehave on a clock that jumps.
/// </summary>
public static class ProgrammeClock
{
    public const string Key = "BpClub.Programme";
}
