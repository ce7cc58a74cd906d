using System.Net;
using Microsoft.AspNetCore.Hosting;

namespace BpClub.Api.Http;

public sealed class ManagementOptions
{
    public const string SectionName = "Management";

    /// <summary>The port /metrics is served on; unset, the front end serves no metrics at all.</summary>
    public int? Port { get; set; }

    /// <summary>The address the management port listens on (0.0.0.0 in Kubernetes, for Prometheus).</summary>
    public string Address { get; set; } = "127.0.0.1";
}

/// <summary>
/// /metrics on a listener of its own, which neither the public Service nor the ingress routes to: the
/// figures say how busy each endpoint is and are nobody's business outside the cluster. The check is on
/// the port the connection arrived at, not on the Host header, which any client can write.
/// </summary>
public static class Management
{
    /// <summary>Adds the management port to the addresses Kestrel listens on, beside the public ones.</summary>
    public static void AddManagementListener(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(ManagementOptions.SectionName);
        builder.Services.AddOptions<ManagementOptions>().Bind(section);
        var options = section.Get<ManagementOptions>() ?? new ManagementOptions();
        if (options.Port is not { } port) return;
        if (port is < 1 or > 65535) throw new OptionsValidationException(ManagementOptions.SectionName,
            typeof(ManagementOptions), ["Management:Port must be between 1 and 65535."]);
        if (!IPAddress.TryParse(options.Address, out var address)) throw new OptionsValidationException(
            ManagementOptions.SectionName, typeof(ManagementOptions), ["Management:Address must be an IP address."]);

        var publicUrls = PublicUrls(builder.Configuration);
        if (publicUrls.Any(url => BindingAddress.Parse(url).Port == port))
            throw new OptionsValidationException(ManagementOptions.SectionName, typeof(ManagementOptions),
                [$"Management:Port ({port}) must differ from the public port ({string.Join(", ", publicUrls)})."]);
        builder.WebHost.UseUrls([.. publicUrls, $"http://{new IPEndPoint(address, port)}"]);
    }

    public static IApplicationBuilder UseManagementEndpoints(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<ManagementOptions>>().Value;
        if (options.Port is not { } port) return app;
        return app.UseOpenTelemetryPrometheusScrapingEndpoint(http =>
            http.Connection.LocalPort == port && http.Request.Path == "/metrics");
    }

    /// <summary>
    /// What Kestrel would listen on without us (ASPNETCORE_URLS, else ASPNETCORE_HTTP_PORTS/HTTPS_PORTS,
    /// else its own default): adding an address replaces them, so they are kept explicitly.
    /// </summary>
    private static string[] PublicUrls(IConfiguration configuration)
    {
        static IEnumerable<string> Ports(string? ports, string scheme) =>
            (ports ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => $"{scheme}://*:{p}");

        var urls = (configuration[WebHostDefaults.ServerUrlsKey] ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0)
        {
            urls = [.. Ports(configuration[WebHostDefaults.HttpPortsKey], "http"),
                .. Ports(configuration[WebHostDefaults.HttpsPortsKey], "https")];
        }
        return urls.Length > 0 ? urls : ["http://localhost:5000"];
    }
}
