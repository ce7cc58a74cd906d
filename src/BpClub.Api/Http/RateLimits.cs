using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace BpClub.Api.Http;

public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Writes per second for one station, partner, operator or member (a station's tills share it).</summary>
    public int PerCallerPerSecond { get; set; } = 200;

    public int PerCallerBurst { get; set; } = 400;

    /// <summary>Sign-in, registration and password-reset requests per minute from one IP address.</summary>
    public int AnonymousPerMinute { get; set; } = 30;

    public int AnonymousBurst { get; set; } = 30;

    /// <summary>Wrong API keys per minute from one IP address; past them, any key from it is refused.</summary>
    public int BadKeysPerMinute { get; set; } = 10;
}

/// <summary>
/// Rate limits on every write, the framework's limiter: per key (or member) for authenticated
/// callers, per IP address for the anonymous cabinet endpoints. Reads are not limited here.
/// A refusal is a 429 problem with Retry-After.
/// </summary>
public static class RateLimits
{
    public const string PerCaller = "per-caller";
    public const string Anonymous = "anonymous";

    public static IServiceCollection AddBpClubRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.SectionName))
            .Validate(o => o.PerCallerPerSecond > 0 && o.PerCallerBurst > 0 && o.AnonymousPerMinute > 0
                    && o.AnonymousBurst > 0 && o.BadKeysPerMinute > 0,
                "RateLimits: every limit must be positive.")
            .ValidateOnStart();
        services.AddSingleton<BadKeyLimiter>();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) => Refuse(context.HttpContext,
                context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1));

            limiter.AddPolicy(PerCaller, http =>
            {
                if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
                    return RateLimitPartition.GetNoLimiter("reads");
                var options = http.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue;
                var caller = http.User.Identity?.IsAuthenticated == true ? http.User.Identity.Name + ":"
                    + http.User.CallerId() : "ip:" + ClientAddress(http);
                return RateLimitPartition.GetTokenBucketLimiter(caller, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.PerCallerBurst,
                    TokensPerPeriod = options.PerCallerPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                });
            });

            limiter.AddPolicy(Anonymous, http =>
            {
                var options = http.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue;
                return RateLimitPartition.GetTokenBucketLimiter("ip:" + ClientAddress(http),
                    _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.AnonymousBurst,
                    TokensPerPeriod = Math.Max(1, options.AnonymousPerMinute / 6),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(10),
                    QueueLimit = 0,
                });
            });
        });
        return services;
    }

    /// <summary>
    /// A source that presented too many wrong API keys is refused before authentication looks at its key
    /// (<see cref="BadKeyLimiter"/>); the endpoints' limiter runs after authorization and would never see them.
    /// </summary>
    public static IApplicationBuilder UseBadKeyLimit(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Request.Headers.ContainsKey(Callers.ApiKeyHeader)
            && !http.RequestServices.GetRequiredService<BadKeyLimiter>().MayTry(ClientAddress(http), out var wait))
        {
            await Refuse(http, wait);
            return;
        }
        await next(http);
    });

    /// <summary>The client's address: the connection's, or the one forwarded by a trusted proxy.</summary>
    public static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>A 429 problem with Retry-After.</summary>
    private static async ValueTask Refuse(HttpContext http, TimeSpan retryAfter) =>
        await Problems.Write(http, StatusCodes.Status429TooManyRequests,
            "Slow down and retry after the time in Retry-After.", retryAfter: retryAfter);
}
