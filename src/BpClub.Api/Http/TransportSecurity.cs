using Microsoft.AspNetCore.HttpOverrides;
using IPAddress = System.Net.IPAddress;
using IPNetwork = System.Net.IPNetwork;

namespace BpClub.Api.Http;

/// <summary>The reverse proxies (the ingress) whose X-Forwarded-For and X-Forwarded-Proto are believed.</summary>
public sealed class TrustedProxyOptions
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Proxy addresses, e.g. 10.0.0.5.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks the proxies run in (CIDR), e.g. 10.244.0.0/16.</summary>
    public List<string> KnownNetworks { get; set; } = [];
}

/// <summary>
/// Behind the ingress every request arrives over plain HTTP from the ingress's address. The client's
/// address and scheme come from X-Forwarded-For and X-Forwarded-Proto, but only on a connection from a
/// configured proxy: anyone else could pick their own rate-limit partition by writing the header.
/// Nothing is trusted by default, not even loopback (the framework's default), so a front end exposed
/// without a proxy cannot be fooled. In Production every cookie is Secure, whatever the scheme looks like.
/// </summary>
public static class TransportSecurity
{
    public static IServiceCollection AddTransportSecurity(this IServiceCollection services,
        IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<TrustedProxyOptions>().Bind(configuration.GetSection(TrustedProxyOptions.SectionName))
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)),
                "ForwardedHeaders:KnownProxies: every entry must be an IP address.")
            .Validate(o => o.KnownNetworks.All(n => IPNetwork.TryParse(n, out _)),
                "ForwardedHeaders:KnownNetworks: every entry must be a network in CIDR notation, e.g. 10.244.0.0/16.")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxyOptions>>((o, trusted) =>
        {
            // With both lists empty the middleware believes every sender, so no proxy configured means no
            // forwarded header read at all.
            o.ForwardedHeaders = trusted.Value.KnownProxies.Count + trusted.Value.KnownNetworks.Count == 0
                ? ForwardedHeaders.None
                : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in trusted.Value.KnownProxies) o.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in trusted.Value.KnownNetworks) o.KnownIPNetworks.Add(IPNetwork.Parse(network));
        });
        // A year, so a browser that once came over HTTPS never tries plain HTTP again for this host.
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        services.Configure<CookiePolicyOptions>(o =>
            o.Secure = environment.IsProduction() ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);
        return services;
    }
}
