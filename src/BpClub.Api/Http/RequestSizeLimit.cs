using Microsoft.AspNetCore.Http.Features;

namespace BpClub.Api.Http;

/// <summary>
/// No API body needs more than a few kilobytes: a larger one is refused with 413 before it is
/// read (Kestrel enforces the same limit on bodies without a declared length).
/// </summary>
public static class RequestSizeLimit
{
    public const long DefaultBytes = 64 * 1024;

    public static IApplicationBuilder UseRequestSizeLimit(this IApplicationBuilder app, long maxBytes)
        => app.Use(async (context, next) =>
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>()
            is { IsReadOnly: false } feature) feature.MaxRequestBodySize = maxBytes;
        if (context.Request.ContentLength > maxBytes)
        {
            await Problems.Write(context, StatusCodes.Status413PayloadTooLarge,
                $"The request body may be at most {maxBytes} bytes.");
            return;
        }
        await next(context);
    });
}
