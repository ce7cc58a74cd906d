using System.ComponentModel.DataAnnotations;

namespace BpClub.Grains.Sms;

/// <summary>The "Sms" configuration section: which gateway sends the codes, and how.</summary>
public sealed class SmsOptions
{
    public const string SectionName = "Sms";

    public const string OutboxProvider = "outbox";
    public const string HttpProvider = "http";

    /// <summary>
    /// <c>outbox</c> (the development file, refused in Production) or <c>http</c> (<see cref="Http"/>:
    /// a JSON-over-HTTPS SMS provider).
    /// </summary>
    public string Provider { get; set; } = OutboxProvider;

    /// <summary>The development outbox: one JSON line { "to", "text", "at" } per message.</summary>
    public string OutboxPath { get; set; } = Path.Combine(".data", "sms-outbox.jsonl");

    public HttpSmsOptions Http { get; set; } = new();

    /// <summary>
    /// Country calling codes texts may go to, comma-separated (default 380: Ukraine, mobile operator codes only).
    /// Registration and password reset for any other number are refused as invalid.
    /// </summary>
    public string CountryCodes { get; set; } = "380";

    /// <summary>Texts to one phone per UTC day.</summary>
    [Range(1, 1000)]
    public int MaxPerPhonePerDay { get; set; } = 10;

    /// <summary>Texts asked for from one source address per hour.</summary>
    [Range(1, 1_000_000)]
    public int MaxPerSourcePerHour { get; set; } = 20;

    /// <summary>Texts to everyone per UTC day; beyond it none is sent (alert on bpclub_sms_refused_total).</summary>
    [Range(1, 100_000_000)]
    public int DailyBudget { get; set; } = 20_000;
}

/// <summary>A generic SMS provider that takes one JSON POST per message ("Sms:Http").</summary>
public sealed class HttpSmsOptions
{
    /// <summary>The provider's endpoint; HTTPS in Production.</summary>
    public Uri? Url { get; set; }

    /// <summary>The header that carries the provider credential.</summary>
    public string AuthHeaderName { get; set; } = "Authorization";

    /// <summary>The credential itself (e.g. <c>Bearer …</c>), from a secret; never logged.</summary>
    public string? AuthHeaderValue { get; set; }

    /// <summary>
    /// The JSON body. <c>{{to}}</c> (E.164), <c>{{text}}</c> and <c>{{id}}</c> (one per message, the same on
    /// every retry, for the provider's de-duplication) are replaced by their values escaped for a JSON string,
    /// so they belong between quotes.
    /// </summary>
    public string BodyTemplate { get; set; } = """{"to":"{{to}}","text":"{{text}}","messageId":"{{id}}"}""";

    /// <summary>Attempts per message, the first included; retried on 408, 429, 5xx, timeouts and lost
    /// connections.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The first retry's delay; each next one doubles it (with jitter), or follows the provider's
    /// Retry-After.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>All attempts of one message together; below the front end's grain call timeout (15 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
