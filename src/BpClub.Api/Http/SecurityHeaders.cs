namespace BpClub.Api.Http;

/// <summary>Headers every response carries: no sniffing, no framing, no referrer, scripts only from this
/// origin.</summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
        => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            return Task.CompletedTask;
        });
        await next(context);
    });

    /// <summary>
    /// Answers under <paramref name="prefix"/> are one member's data (balance, history, tokens): no browser,
    /// proxy or shared cache may keep a copy, of errors neither. Set as the response starts, so that it holds
    /// for the framework's own answers too (401, 429, problems) and overrides what a result set itself.
    /// </summary>
    public static IApplicationBuilder UseNoStore(this IApplicationBuilder app, PathString prefix)
    {
        return app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            {
                http.Response.OnStarting(() =>
                {
                    http.Response.Headers.CacheControl = "no-store";
                    return Task.CompletedTask;
                });
            }
            await next(http);
        });
    }
}
