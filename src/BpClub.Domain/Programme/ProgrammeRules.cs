using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;

namespace BpClub.Domain.Programme;

/// <summary>
/// The programme's rules, bound from the "Programme" configuration section. Defaults are the
/// published BP CLUB figures (see docs/rules.md); <see cref="ProgrammeRulesValidator"/> refuses nonsense at start-up.
/// </summary>
public sealed class ProgrammeRules
{
    public const string SectionName = "Programme";

    /// <summary>How long new points stay on hold before they can be spent.</summary>
    public TimeSpan HoldPeriod { get; set; } = TimeSpan.FromDays(14);

    // Decimal limits are parsed invariantly: a server set to uk-UA writes "0,01" and would
    // otherwise refuse to start on the published rules.

    /// <summary>Levels by fuel bought in the qualifying month; the first starts at 0 litres.</summary>
    public List<LevelRule> Levels { get; set; } = [];

    /// <summary>Shop goods earn 1 point per this many UAH (20 UAH = 5 %), at every level.</summary>
    [Range(typeof(decimal), "0.01", "1000000", ParseLimitsInInvariantCulture = true,
        ConvertValueInInvariantCulture = true)]
    public decimal ShopUahPerPoint { get; set; } = 20m;

    /// <summary>Extra points per litre when paying with the BP CLUB payment card.</summary>
    [Range(typeof(decimal), "0", "100", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public decimal PaymentCardPointsPerLitre { get; set; } = 1m;

    /// <summary>Unspent available points are annulled once a year on this day (1 June by default).</summary>
    public bool AnnualExpiryEnabled { get; set; } = true;

    [Range(1, 12)]
    public int AnnualExpiryMonth { get; set; } = 6;

    [Range(1, 28)]
    public int AnnualExpiryDay { get; set; } = 1;

    /// <summary>The calendar in which months (the qualifying period) and the expiry day are counted.</summary>
    [Required]
    public string TimeZone { get; set; } = "Europe/Kyiv";

    /// <summary>Sanity limits on what one receipt may carry; a till sending more is refused with 400.</summary>
    [Range(1, 500)]
    public int MaxLinesPerReceipt { get; set; } = 50;

    [Range(typeof(decimal), "1", "100000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public decimal MaxLitresPerLine { get; set; } = 2000m;

    [Range(typeof(decimal), "1", "100000000", ParseLimitsInInvariantCulture = true,
        ConvertValueInInvariantCulture = true)]
    public decimal MaxAmountPerLine { get; set; } = 1_000_000m;

    /// <summary>How far back an offline till may date a purchase when it replays its queue.</summary>
    public TimeSpan MaxBackdating { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Tolerated clock skew of a till that dates a purchase slightly in the future.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    [Range(1, long.MaxValue)]
    public long MaxPointsPerOperation { get; set; } = 10_000_000;

    public static List<LevelRule> DefaultLevels() =>
    [
        new() { Level = 1, Name = "Green", FromLitres = 0m, PointsPerLitre = 1m },
        new() { Level = 2, Name = "Gold", FromLitres = 100m, PointsPerLitre = 2m },
        new() { Level = 3, Name = "Platinum", FromLitres = 200m, PointsPerLitre = 3m },
    ];

    /// <summary>Configuration binding appends to lists, so defaults are filled in after binding.</summary>
    public void ApplyDefaults()
    {
        if (Levels.Count == 0) Levels = DefaultLevels();
    }

    /// <summary>
    /// The programme's zone. Every card account asks for it when it is built (each activation); the runtime's own
    /// lookup takes a process-wide lock, so zones found once are kept here.
    /// </summary>
    public TimeZoneInfo ResolveTimeZone() => Zones.GetOrAdd(TimeZone, TimeZoneInfo.FindSystemTimeZoneById);

    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Zones = new(StringComparer.Ordinal);
}

public sealed class LevelRule
{
    public int Level { get; set; }
    public string Name { get; set; } = "";
    public decimal FromLitres { get; set; }
    public decimal PointsPerLitre { get; set; }
}
