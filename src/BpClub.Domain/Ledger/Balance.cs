using BpClub.Domain.Units;

namespace BpClub.Domain.Ledger;

public sealed record NextRelease(Points Points, DateTimeOffset At);

/// <summary>Points the next annual expiry annuls unless they are spent first, and the (local) day it comes.</summary>
public sealed record ExpiringPoints(Points Points, DateOnly On);

/// <summary>A card's balance as of a moment: total = available + on hold.</summary>
public sealed record Balance(Points Available, Points OnHold, NextRelease? NextRelease, DateTimeOffset AsOf,
    ExpiringPoints? Expiring)
{
    public Points Total => Available + OnHold;
}

public sealed record TierStatus(
    int Level,
    string Name,
    Litres QualifyingLitres,
    string? NextLevel,
    Litres? LitresToNextLevel,
    DateTimeOffset PeriodEndsAt,
    Litres LitresToKeepLevel,
    string LevelNextMonth);
