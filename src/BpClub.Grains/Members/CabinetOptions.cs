using System.ComponentModel.DataAnnotations;

namespace BpClub.Grains.Members;

/// <summary>Members' sign-in, codes and sessions ("Cabinet" configuration section).</summary>
public sealed class CabinetOptions
{
    public const string SectionName = "Cabinet";

    /// <summary>How long a session (access token or cookie) lasts without signing in again.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Open sessions kept per member (phone, tablet, browsers); the oldest goes first.</summary>
    [Range(1, 100)]
    public int MaxSessions { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Wrong codes allowed before a code is void.</summary>
    [Range(1, 20)]
    public int CodeAttempts { get; set; } = 5;

    /// <summary>A phone gets a new code at most this often (SMS costs money and can be used to harass).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CodeResendInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Wrong passwords in a row from one source (address) that lock sign-in for a phone from that
    /// source.</summary>
    [Range(1, 100)]
    public int LockoutThreshold { get; set; } = 5;

    /// <summary>Wrong passwords in a row from all sources together that lock sign-in for a phone from every
    /// source.</summary>
    [Range(1, 1000)]
    public int PhoneLockoutThreshold { get; set; } = 20;

    /// <summary>Sources whose wrong passwords one phone remembers; beyond it the one tried longest ago is
    /// forgotten.</summary>
    [Range(1, 100_000)]
    public int LockoutSourcesKept { get; set; } = 256;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Wrong card codes (registration of a card issued without a phone) that lock the card's
    /// registration.</summary>
    [Range(1, 100)]
    public int CardCodeAttempts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan CardCodeLockout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>PBKDF2-HMAC-SHA512 iterations of a new password hash; a hash with fewer is renewed at
    /// sign-in.</summary>
    [Range(100_000, 10_000_000)]
    public int PasswordHashIterations { get; set; } = 100_000;
}
