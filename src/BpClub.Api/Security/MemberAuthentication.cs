using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;

namespace BpClub.Api.Security;

/// <summary>
/// A member: the mobile app's "Authorization: Bearer" token or the web cabinet's session cookie
/// (the same token, HttpOnly). A token is good while it is genuine, unexpired and its session is
/// still open in the member's grain — so signing out or changing the password ends it at once.
/// </summary>
public sealed class MemberAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IClusterClient cluster,
    IConfiguration configuration,
    MemberTokens tokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token = null;
        var via = "bearer";
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) token =
            authorization["Bearer ".Length..].Trim();
        else if (Request.Cookies.TryGetValue(Callers.SessionCookie, out var cookie)) (token, via) = (cookie, "cookie");
        if (string.IsNullOrEmpty(token)) return AuthenticateResult.NoResult();

        if (await tokens.Validate(token)
            is not { } session) return AuthenticateResult.Fail("Invalid or expired token.");
        if (!await cluster.GetGrain<IMemberGrain>(session.Card)
            .IsSessionActive(session.Session, SessionIdle.For(configuration, via)))
            return AuthenticateResult.Fail("The session has ended.");

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Role, Callers.Member),
                new Claim(Callers.IdClaim, session.Card),
                new Claim(Callers.SessionClaim, session.Session),
                new Claim(Callers.ViaClaim, via),
                new Claim(ClaimTypes.Name, "member"),
            ],
            Scheme.Name, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }
}

/// <summary>
/// How long a session may go unused: Cabinet:WebIdleTimeout (30 min) with the web cabinet's cookie,
/// Cabinet:AppIdleTimeout (30 days, the session's whole life by default) with the mobile app's bearer token.
/// </summary>
public static class SessionIdle
{
    public static TimeSpan For(IConfiguration configuration, string via) => via == "cookie"
        ? configuration.GetValue("Cabinet:WebIdleTimeout", TimeSpan.FromMinutes(30))
        : configuration.GetValue("Cabinet:AppIdleTimeout", TimeSpan.FromDays(30));
}

public static class ClaimsPrincipalExtensions
{
    /// <summary>The station, partner or operator id, or the member's card number.</summary>
    public static string CallerId(this ClaimsPrincipal user) =>
        user.FindFirstValue(Callers.IdClaim)
            ?? throw new InvalidOperationException("An authenticated caller has an id.");

    public static string SessionId(this ClaimsPrincipal user) =>
        user.FindFirstValue(Callers.SessionClaim) ?? throw new InvalidOperationException("A member has a session.");
}
