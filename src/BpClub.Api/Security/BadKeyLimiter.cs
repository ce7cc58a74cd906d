using System.Threading.RateLimiting;

namespace BpClub.Api.Security;

/// <summary>
/// Wrong X-Api-Keys per source address, counted as they fail (authentication runs before the
/// endpoints' limiter, so that one never sees them). A source past its allowance is refused with 429
/// before its next key is even looked at: once limited, a right guess looks like a wrong one. The
/// framework's partitioned limiter drops a source's bucket once it is idle and full again, so memory
/// follows the sources failing now.
/// </summary>
public sealed class BadKeyLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public BadKeyLimiter(IOptions<RateLimitOptions> options)
    {
        var limits = options.Value;
        // A fixed window, not a token bucket: the bucket refills by fractions between ticks, so asking it
        // whether a whole token is left (below) would say yes a moment after it ran dry.
        _limiter = PartitionedRateLimiter.Create<string, string>(source => RateLimitPartition.GetFixedWindowLimiter(
            source, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limits.BadKeysPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
    }

    /// <summary>Whether <paramref name="source"/> may present a key now; if not, how long until it may.</summary>
    public bool MayTry(string source, out TimeSpan retryAfter)
    {
        // Asking for no token tells whether one is left without taking it.
        using var lease = _limiter.AttemptAcquire(source, 0);
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        return lease.IsAcquired;
    }

    public void RecordFailure(string source) => _limiter.AttemptAcquire(source).Dispose();

    public void Dispose() => _limiter.Dispose();
}
