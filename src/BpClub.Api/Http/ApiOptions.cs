using System.ComponentModel.DataAnnotations;

namespace BpClub.Api.Http;

/// <summary>The "Api" section: the front end's own limits and timings, validated at start.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>The largest request body (64 KiB); a larger one is a 413.</summary>
    [Range(1, 16 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = RequestSizeLimit.DefaultBytes;

    /// <summary>How many good station and partner keys a front end remembers.</summary>
    [Range(1, 10_000_000)]
    public int KeyCacheEntries { get; set; } = 10_000;

    /// <summary>How long a grain call may take before the caller gets a 503 (Orleans' default is 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan GrainCallTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often an open balance stream renews its subscription and re-sends the balance.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan BalanceStreamRenewal { get; set; } = TimeSpan.FromSeconds(30);
}
