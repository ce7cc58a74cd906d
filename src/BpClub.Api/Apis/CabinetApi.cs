using System.Net.ServerSentEvents;
using System.Security.Claims;
using BpClub.Abstractions;
using BpClub.Api.Http;
using BpClub.Api.Security;
using BpClub.Domain.Validation;
using Microsoft.AspNetCore.Antiforgery;

namespace BpClub.Api.Apis;

/// <summary>Members, from the mobile app (bearer token) and the web cabinet (session cookie).</summary>
public static class CabinetApi
{
    public static IEndpointRouteBuilder MapCabinetApi(this IEndpointRouteBuilder app)
    {
        var anonymous = app.MapGroup("/api/cabinet/v1").WithTags("Cabinet: signing in")
            .AllowAnonymous().RequireRateLimiting(RateLimits.Anonymous).Problems(429, 503);
        anonymous.MapPost("/registrations", StartRegistration).Returns<RegistrationStarted>(202, 400, 404, 409, 422)
            .WithSummary("Register an issued card with a phone and a password; a one-time code goes to the phone by SMS.");
        anonymous.MapPost("/registrations/{registrationId:guid}/confirm", ConfirmRegistration).Returns<SessionResponse>(201, 400, 404, 409)
            .WithSummary("Confirm a registration with the SMS code; signs the member in.");
        anonymous.MapPost("/sessions", SignIn).Returns<SessionResponse>(200, 400, 401)
            .WithSummary("Sign in with phone and password. Five wrong passwords lock sign-in for the phone for 15 minutes (429).");
        anonymous.MapPost("/password-resets", StartPasswordReset).Returns<PasswordResetStarted>(202, 400)
            .WithSummary("Send a code to reset the password; the answer is the same whether or not the phone is registered.");
        anonymous.MapPost("/password-resets/{resetId:guid}/confirm", ConfirmPasswordReset).Problems(400, 404)
            .Produces(StatusCodes.Status204NoContent).WithSummary("Set a new password with the SMS code; ends every session.");

        var member = app.MapGroup("/api/cabinet/v1").WithTags("Cabinet: the member's card")
            .RequireAuthorization(Callers.Member).RequireRateLimiting(RateLimits.PerCaller)
            .AddEndpointFilter<CookieAntiforgeryFilter>().Problems(401, 403, 429, 503);
        member.MapDelete("/sessions/current", SignOut).Produces(StatusCodes.Status204NoContent).WithSummary("Sign out of this session.");
        member.MapPut("/password", ChangePassword).Problems(400).Produces(StatusCodes.Status204NoContent)
            .WithSummary("Change the password; every other session ends.");
        member.MapPut("/spending", SwitchSpending).Returns<SpendingModel>(200, 400, 422)
            .WithSummary("Switch paying with points at the till on or off (off protects a lost card).");
        member.MapGet("/me", Me).Returns<MeResponse>(200, 404);
        member.MapGet("/balance", Balance).Returns<BalanceModel>(200, 404);
        member.MapGet("/balance/events", BalanceEvents).Produces<BalanceModel>(200, "text/event-stream")
            .WithSummary("Server-sent events: a 'balance' event with the balance now, then on every change.");
        member.MapGet("/history", History).Returns<HistoryPage>(200, 400, 404).WithSummary("The card's history, newest first.");
        member.MapGet("/tier", Tier).Returns<TierModel>(200, 404);
        member.MapGet("/antiforgery", Antiforgery).Returns<AntiforgeryToken>(200)
            .WithSummary("For the web cabinet: the token to send as X-CSRF-TOKEN with every change made with the session cookie.");
        return app;
    }

    private static async Task<IResult> StartRegistration(RegistrationRequest request, HttpContext http, IClusterClient cluster)
    {
        var errors = new ValidationErrors();
        var card = Edge.Card(request.CardNumber, errors);
        var phone = Edge.Phone(request.Phone, errors);
        if (string.IsNullOrEmpty(request.Password)) errors.Add("password", "Required.");
        if (!errors.IsEmpty) return OutcomeResults.Invalid(errors);

        var started = await cluster.GetGrain<IVerificationGrain>(Guid.NewGuid()).StartRegistration(card!, phone!, request.Password!,
            Source(http));
        return started.Succeeded
            ? TypedResults.Accepted((string?)null, new RegistrationStarted(started.Value!.Id, started.Value.CodeExpiresAt))
            : OutcomeResults.Problem(started);
    }

    private static async Task<IResult> ConfirmRegistration(Guid registrationId, CodeConfirmation request, HttpContext http,
        IClusterClient cluster, MemberTokens tokens)
    {
        if (string.IsNullOrWhiteSpace(request.Code)) return OutcomeResults.Invalid("code", "Required.");
        var registered = await cluster.GetGrain<IVerificationGrain>(registrationId).ConfirmRegistration(request.Code.Trim());
        if (!registered.Succeeded) return OutcomeResults.Problem(registered);
        return TypedResults.Json(await StartSession(http, tokens, registered.Value!), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> SignIn(SignInRequest request, HttpContext http, IClusterClient cluster, MemberTokens tokens)
    {
        var errors = new ValidationErrors();
        var phone = Edge.Phone(request.Phone, errors);
        if (string.IsNullOrEmpty(request.Password)) errors.Add("password", "Required.");
        else if (request.Password.Length > 256) errors.Add("password", "At most 256 characters.");
        if (!errors.IsEmpty) return OutcomeResults.Invalid(errors);

        var signedIn = await cluster.GetGrain<IPhoneGrain>(phone!.Value).SignIn(request.Password!);
        return signedIn.Succeeded ? TypedResults.Ok(await StartSession(http, tokens, signedIn.Value!)) : OutcomeResults.Problem(signedIn);
    }

    private static async Task<IResult> StartPasswordReset(PasswordResetRequest request, HttpContext http, IClusterClient cluster)
    {
        var errors = new ValidationErrors();
        var phone = Edge.Phone(request.Phone, errors);
        if (!errors.IsEmpty) return OutcomeResults.Invalid(errors);
        var started = await cluster.GetGrain<IVerificationGrain>(Guid.NewGuid()).StartPasswordReset(phone!, Source(http));
        return started.Succeeded
            ? TypedResults.Accepted((string?)null, new PasswordResetStarted(started.Value!.Id, started.Value.CodeExpiresAt))
            : OutcomeResults.Problem(started);
    }

    private static async Task<IResult> ConfirmPasswordReset(Guid resetId, PasswordResetConfirmation request, IClusterClient cluster)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(request.Code)) errors.Add("code", "Required.");
        if (string.IsNullOrEmpty(request.NewPassword)) errors.Add("newPassword", "Required.");
        if (!errors.IsEmpty) return OutcomeResults.Invalid(errors);
        return OutcomeResults.NoContent(await cluster.GetGrain<IVerificationGrain>(resetId).ConfirmPasswordReset(request.Code!.Trim(), request.NewPassword!));
    }

    private static async Task<IResult> SignOut(ClaimsPrincipal member, HttpContext http, IClusterClient cluster)
    {
        await cluster.GetGrain<IMemberGrain>(member.CallerId()).EndSession(member.SessionId());
        http.Response.Cookies.Delete(Callers.SessionCookie, SessionCookie(DateTimeOffset.UnixEpoch));
        return TypedResults.NoContent();
    }

    private static async Task<IResult> ChangePassword(PasswordChange request, ClaimsPrincipal member, IClusterClient cluster)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrEmpty(request.CurrentPassword)) errors.Add("currentPassword", "Required.");
        if (string.IsNullOrEmpty(request.NewPassword)) errors.Add("newPassword", "Required.");
        if (!errors.IsEmpty) return OutcomeResults.Invalid(errors);
        return OutcomeResults.NoContent(await cluster.GetGrain<IMemberGrain>(member.CallerId())
            .ChangePassword(member.SessionId(), request.CurrentPassword!, request.NewPassword!));
    }

    private static async Task<IResult> SwitchSpending(SpendingRequest request, ClaimsPrincipal member, IClusterClient cluster)
    {
        if (request.Enabled is null) return OutcomeResults.Invalid("enabled", "Required: true or false.");
        return OutcomeResults.Ok(await cluster.GetGrain<ICardGrain>(member.CallerId()).SwitchSpending(request.Enabled.Value));
    }

    private static async Task<IResult> Me(ClaimsPrincipal member, IClusterClient cluster)
    {
        var profile = await cluster.GetGrain<IMemberGrain>(member.CallerId()).GetProfile();
        if (!profile.Succeeded) return OutcomeResults.Problem(profile);
        // The cabinet's settings page shows whether spending is on, so the profile carries it.
        var card = await cluster.GetGrain<ICardGrain>(member.CallerId()).GetSummary();
        var p = profile.Value!;
        return TypedResults.Ok(new MeResponse(p.CardNumber, p.Phone.Value, p.FirstName, p.LastName, p.Status, card.Value?.SpendingEnabled ?? false));
    }

    private static async Task<IResult> Balance(ClaimsPrincipal member, IClusterClient cluster) =>
        OutcomeResults.Ok(await cluster.GetGrain<ICardGrain>(member.CallerId()).GetBalance());

    private static async Task<IResult> Tier(ClaimsPrincipal member, IClusterClient cluster) =>
        OutcomeResults.Ok(await cluster.GetGrain<ICardGrain>(member.CallerId()).GetTier());

    private static async Task<IResult> History(ClaimsPrincipal member, IClusterClient cluster, int? limit, string? cursor) =>
        OutcomeResults.Ok(await cluster.GetGrain<ICardGrain>(member.CallerId()).GetHistory(limit ?? 20, cursor));

    private static IResult Antiforgery(HttpContext http, IAntiforgery antiforgery) =>
        TypedResults.Ok(new AntiforgeryToken(antiforgery.GetAndStoreTokens(http).RequestToken!, Callers.AntiforgeryHeader));

    private static async Task<IResult> BalanceEvents(ClaimsPrincipal member, IClusterClient cluster, BalanceStreams streams,
        IConfiguration configuration, CancellationToken aborted)
    {
        var card = cluster.GetGrain<ICardGrain>(member.CallerId());
        var first = await card.GetBalance();
        if (!first.Succeeded) return OutcomeResults.Problem(first);
        // The stream ends with its session (signed out, password changed, expired, idle): checked at every renewal,
        // without counting as the member's activity.
        var account = cluster.GetGrain<IMemberGrain>(member.CallerId());
        var (session, idle) = (member.SessionId(), SessionIdle.For(configuration, member.FindFirstValue(Callers.ViaClaim) ?? "bearer"));
        return TypedResults.ServerSentEvents(streams.Watch(card, () => account.IsSessionActive(session, idle, touch: false), aborted),
            eventType: "balance");
    }

    /// <summary>The caller's address (the client's, behind a configured proxy: ForwardedHeaders) for per-source caps.</summary>
    private static string Source(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static async Task<SessionResponse> StartSession(HttpContext http, MemberTokens tokens, SessionGrant grant)
    {
        var token = await tokens.Issue(grant);
        http.Response.Cookies.Append(Callers.SessionCookie, token, SessionCookie(grant.ExpiresAt));
        return new SessionResponse(token, grant.ExpiresAt);
    }

    // Secure is the cookie policy's (TransportSecurity): always in Production, else when the request was HTTPS.
    private static CookieOptions SessionCookie(DateTimeOffset expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}

public sealed record AntiforgeryToken(string Token, string HeaderName);

/// <summary>
/// A change made with the web session cookie must carry the anti-forgery token, so that another
/// site cannot make the browser act for the member. Bearer tokens are not sent by browsers on
/// their own, so the mobile app needs none.
/// </summary>
public sealed class CookieAntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
            && http.User.FindFirst(Callers.ViaClaim)?.Value == "cookie"
            && !await antiforgery.IsRequestValidAsync(http))
        {
            return OutcomeResults.Problem(StatusCodes.Status400BadRequest, "Anti-forgery token missing or invalid",
                $"Send the token from GET /api/cabinet/v1/antiforgery in the {Callers.AntiforgeryHeader} header.");
        }
        return await next(context);
    }
}
