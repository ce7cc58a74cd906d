namespace BpClub.Api.Http;

/// <summary>
/// The web cabinet: plain HTML, JavaScript and CSS from wwwroot, served by the front end itself
/// (no CDN: the network may be closed). A single page with hash routes, so "/" is all it needs.
/// </summary>
public static class WebCabinet
{
    public static IApplicationBuilder UseWebCabinet(this IApplicationBuilder app)
    {
        app.UseDefaultFiles();
        return app.UseStaticFiles(new StaticFileOptions
        {
            // Revalidate every time: a new release must reach the browser at once, and the files are small.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
    }
}
