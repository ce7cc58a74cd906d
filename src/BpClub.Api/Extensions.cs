using System.Security.Cryptography;
using System.Text.Json.Serialization;
using BpClub.Api.Apis;
using BpClub.Api.Health;
using BpClub.Hosting;
using Microsoft.AspNetCore.Authentication;
using Orleans.Configuration;

namespace BpClub.Api;

public static class Extensions
{
    /// <summary>The front end's wiring: an Orleans client on the PostgreSQL cluster table, security, errors,
    /// documents.</summary>
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();

        builder.UseOrleansClient(client =>
        {
            client.AddBpClubCluster(configuration);
            // A grain call stuck behind storage that does not answer (a PostgreSQL restarting, a connection
            // attempt timing out) ends as a 503 a till can retry within the time it waits, not after Orleans'
            // default 30 s. Api:GrainCallTimeout overrides it.
            client.Services.AddOptions<ClientMessagingOptions>().Configure<IOptions<ApiOptions>>(
                (o, options) => o.ResponseTimeout = options.Value.GrainCallTimeout);
            // The front end may start before any silo: keep trying rather than crash.
            client.UseConnectionRetryFilter(async (_, cancellationToken) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                return !cancellationToken.IsCancellationRequested;
            });
        });
        builder.AddBpClubPostgres();
        // /metrics for Prometheus, on the management port only (Management): request latency histograms
        // (ASP.NET Core's own meters), the Orleans client's meters and the runtime's.
        builder.AddBpClubTelemetry("bpclub-api", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel",
            "Microsoft.AspNetCore.RateLimiting", "Microsoft.AspNetCore.Authentication");

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.ConfigureHttpJsonOptions(o
            => o.SerializerOptions.Converters.Add(
                new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
        services.AddBpClubProblemDetails();
        // A body or parameter the framework cannot bind becomes an exception, so that the one problem mapping
        // (UnavailableExceptionHandler) says what was wrong, instead of an empty 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<UnavailableExceptionHandler>();
        services.AddBpClubOpenApi();
        services.AddSingleton<BalanceStreams>();
        services.AddTransportSecurity(configuration, builder.Environment);
        services.AddBpClubRateLimits(configuration);
        services.AddBpClubSecurity(configuration);
        services.AddBpClubDataProtection(configuration, builder.Environment);
        services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [BpClubPostgres.ReadyTag]);
        builder.AddManagementListener();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize =
            k.ApplicationServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxRequestBodyBytes);
    }

    private static void AddBpClubSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TokenKeyOptions>().Bind(configuration.GetSection(TokenKeyOptions.SectionName))
            .ValidateDataAnnotations().Validate(o => o.Problem() is null, "Cabinet:TokenSigningKey and "
                + "Cabinet:PreviousTokenSigningKey, when set, are base64 of at least 32 bytes (the previous one only "
                + "with a current one).").ValidateOnStart();
        services.AddSingleton<TokenSigningKeys>();
        services.AddSingleton<MemberTokens>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<KnownKeyCache>();
        services.AddOptions<OperatorOptions>().Bind(configuration.GetSection(OperatorOptions.SectionName))
            .Validate(o => o.Problem() is null, "Operators:Named holds an unusable entry: each is an operator id "
                + "(letters, digits, '-' and '_', at most 32, not 'key-…') = the SHA-256 of its key, 64 hex digits.")
            .ValidateOnStart();
        if (configuration["BPCLUB_OPERATOR_KEY"] is { Length: > 0 } bootstrap)
            services.PostConfigure<OperatorOptions>(o => o.Keys.Add(bootstrap));
        else if (configuration.GetSection(OperatorOptions.SectionName).Get<OperatorOptions>()
            is not ({ Keys.Count: > 0 } or { Named.Count: > 0 }))
        {
            // Development convenience: no operator key configured, so make one and show it
            // on the console, once. It is never written to the log.
            var generated = "op." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-')
                .Replace('/', '_');
            Console.WriteLine($"BPCLUB_OPERATOR_KEY is not set; this front end accepts the operator key {generated}");
            services.PostConfigure<OperatorOptions>(o => o.Keys.Add(generated));
        }

        services.AddAuthentication("Caller")
            // One default scheme for the pipeline: X-Api-Key means a machine, anything else a member.
            .AddPolicyScheme("Caller", "Machine key or member token", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.ContainsKey(Callers.ApiKeyHeader) ? Callers.ApiKeyScheme : Callers.MemberScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(Callers.ApiKeyScheme, null)
            .AddScheme<AuthenticationSchemeOptions, MemberAuthenticationHandler>(Callers.MemberScheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Callers.Station,
                p => p.AddAuthenticationSchemes(Callers.ApiKeyScheme).RequireRole(Callers.Station))
            .AddPolicy(Callers.Partner,
                p => p.AddAuthenticationSchemes(Callers.ApiKeyScheme).RequireRole(Callers.Partner))
            .AddPolicy(Callers.Operator,
                p => p.AddAuthenticationSchemes(Callers.ApiKeyScheme).RequireRole(Callers.Operator))
            .AddPolicy(Callers.Member,
                p => p.AddAuthenticationSchemes(Callers.MemberScheme).RequireRole(Callers.Member));
        services.AddAntiforgery(o =>
        {
            o.HeaderName = Callers.AntiforgeryHeader;
            o.Cookie.Name = "bpclub_antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
    }

    public static WebApplication UseApplicationPipeline(this WebApplication app)
    {
        // First: everything after it (HSTS, cookies, rate limits) sees the client's address and scheme.
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseManagementEndpoints();
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseCookiePolicy();
        app.UseSecurityHeaders();
        app.UseNoStore("/api/cabinet/v1");
        app.UseNoStore("/api/admin/v1");
        app.UseRequestSizeLimit(app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.MaxRequestBodyBytes);
        app.UseWebCabinet();
        app.UseBadKeyLimit();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.MapBpClubHealth();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapPosApi();
        app.MapPartnersApi();
        app.MapPartnerRefundsApi();
        app.MapCabinetApi();
        app.MapCabinetSelfServiceApi();
        app.MapCabinetPhoneApi();
        app.MapCabinetCatalogueApi();
        app.MapAdminApi();
        app.MapAuditApi();
        app.MapTokenKeysApi();
        app.MapReplacementApi();
        return app;
    }
}
