using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BpClub.Cluster.Tests;

/// <summary>
/// A reverse proxy as an ingress runs one in front of the front ends, in the test process: Kestrel on a loopback
/// port, every request sent on with HttpClient to the front end's public port from 127.0.0.1, its Host kept, the
/// connection's address appended to X-Forwarded-For (as nginx's $proxy_add_x_forwarded_for does) and
/// X-Forwarded-Proto saying https (it would have terminated TLS); status, headers and body copied back.
/// </summary>
public sealed class ReverseProxy : IAsyncDisposable
{
    /// <summary>The address the proxy's own connections to the front end leave from.</summary>
    public static readonly IPAddress Address = IPAddress.Loopback;

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE",
        "Trailer", "Transfer-Encoding", "Upgrade", "Host",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _upstream;

    private ReverseProxy(WebApplication app, HttpClient upstream)
    {
        _app = app;
        _upstream = upstream;
    }

    /// <summary>Where clients send their requests (plain HTTP: the test plays the TLS-terminating part).</summary>
    public Uri Url { get; private set; } = null!;

    public static async Task<ReverseProxy> Start(Uri frontEnd)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var upstream = new HttpClient(LoopbackClients.Handler(Address))
        {
            BaseAddress = frontEnd,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var proxy = new ReverseProxy(app, upstream);
        app.Run(proxy.Forward);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.Url = new Uri(address + "/");
        return proxy;
    }

    private async Task Forward(HttpContext http)
    {
        var incoming = http.Request;
        using var request = new HttpRequestMessage(new HttpMethod(incoming.Method),
            new Uri(_upstream.BaseAddress!, incoming.Path.ToUriComponent().TrimStart('/') + incoming.QueryString));
        if (incoming.ContentLength > 0 || incoming.Headers.TransferEncoding.Count > 0)
            request.Content = new StreamContent(incoming.Body);
        foreach (var (name, values) in incoming.Headers)
        {
            if (HopByHop.Contains(name)) continue;
            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        request.Headers.Host = incoming.Host.Value;
        var forwardedFor = incoming.Headers["X-Forwarded-For"].ToString();
        var client = http.Connection.RemoteIpAddress!.ToString();
        request.Headers.Remove("X-Forwarded-For");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For",
            forwardedFor.Length == 0 ? client : $"{forwardedFor}, {client}");
        request.Headers.Remove("X-Forwarded-Proto");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");

        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead,
            http.RequestAborted);
        http.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (HopByHop.Contains(name)) continue;
            http.Response.Headers[name] = values.ToArray();
        }
        await response.Content.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
