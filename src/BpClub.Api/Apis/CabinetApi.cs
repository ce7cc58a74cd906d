using System.Net;
using System.Net.Sockets;
using System.Net.ServerSentEvents;
using Microsoft.AspNetCore.Antiforgery;

namespace BpClub.Api.Apis;

/// <summary>Members, from the mobile app (bearer token) and the web cabinet (session cookie).</summary>
public static class CabinetApi
{
    public static IEndpointRouteBuilder MapCabinetApi(this IEndpointRouteBuilder app)
    {
        var anonymous = app.MapGroup("/api/cabinet/v1").WithTags("Cabinet: signing in")
            .AllowAnonymous().RequireRateLimiting(RateLimits.Anonymous).ProducesProblems(503);
        anonymous.MapPost("/registrations", StartRegistration).ProducesProblems(404, 409, 422)
            .WithSummary(
                "Register an issued card with a phone and a password; a one-time code goes to the phone by SMS. "
                + "The phone must be the one recorded at the till; without one, cardCode (printed on the card) "
                + "is needed.");
        anonymous.MapPost("/registrations/{registrationId:guid}/confirm", ConfirmRegistration)
            .ProducesProblems(404, 409)
            .WithSummary("Confirm a registration with the SMS code; signs the member in.");
        anonymous.MapPost("/sessions", SignIn).ProducesProblems(401).Audited(AuditKinds.SignIn).WithSummary(
            "Sign in with phone and password. Five wrong passwords lock sign-in for the phone for 15 minutes (429).");
        anonymous.MapPost("/password-resets", StartPasswordReset).WithSummary(
            "Send a code to reset the password; the answer is the same whether or not the phone is registered.");
        anonymous.MapPost("/password-resets/{resetId:guid}/confirm", ConfirmPasswordReset).ProducesProblems(404)
            .WithSummary("Set a new password with the SMS code; ends every session.");

        var member = app.MapMemberGroup();
        member.MapDelete("/sessions/current", SignOut).WithSummary("Sign out of this session.");
        member.MapPut("/password", ChangePassword).WithSummary("Change the password; every other session ends.");
        member.MapPut("/spending", SwitchSpending).ProducesProblems(422)
            .WithSummary("Switch paying with points at the till on (with the password; an SMS tells the member) "
                + "or off (at once; off protects a lost card).");
        member.MapGet("/me", Me).ProducesProblems(404);
        member.MapGet("/balance", Balance).ProducesProblems(404);
        member.MapGet("/balance/events", BalanceEvents).Produces<BalanceModel>(200, "text/event-stream")
            .WithSummary("Server-sent events: a 'balance' event with the balance now, then on every change.");
        member.MapGet("/history", History).ProducesProblems(404).WithSummary(
            "The card's history, newest first; optionally only some kinds (kind=a,b) and days (from, to: YYYY-MM-DD).");
        member.MapGet("/history.csv", HistoryAsCsv).Produces<string>(200, "text/csv").ProducesProblems(404)
            .WithSummary("The card's history from one day to another (at most 366 days; default the last 365) as CSV.");
        member.MapGet("/tier", Tier).ProducesProblems(404);
        member.MapGet("/antiforgery", Antiforgery).WithSummary(
            "For the web cabinet: the token to send as X-CSRF-TOKEN with every change made with the session cookie.");
        return app;
    }

    private static async Task<Results<Accepted<RegistrationStarted>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> StartRegistration(
        RegistrationRequest request, HttpContext http, IClusterClient cluster)
    {
        if (!request.TryParse(out var registration, out var problem)) return problem;
        var (card, phone, password, cardCode) = registration;
        var started = await cluster.GetGrain<IVerificationGrain>(Guid.NewGuid())
            .StartRegistration(card, phone, password, Source(http), cardCode);
        return OutcomeResults.Map(started,
            code => TypedResults.Accepted((string?)null, new RegistrationStarted(code.Id, code.CodeExpiresAt)));
    }

    private static async Task<Results<Created<SessionResponse>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> ConfirmRegistration(
        Guid registrationId, CodeConfirmation request, HttpContext http, IClusterClient cluster, MemberTokens tokens)
    {
        if (!request.TryParse(null, out var code, out var problem)) return problem;
        var registered = await cluster.GetGrain<IVerificationGrain>(registrationId).ConfirmRegistration(code);
        return await OutcomeResults.MapAsync(registered,
            async grant => TypedResults.Created((string?)null, await StartSession(http, tokens, grant)));
    }

    private static async Task<Results<Ok<SessionResponse>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> SignIn(
        SignInRequest request, HttpContext http, IClusterClient cluster, MemberTokens tokens)
    {
        if (!request.TryParse(out var signIn, out var problem)) return problem;
        var signedIn = await cluster.GetGrain<IPhoneGrain>(signIn.Phone.Value).SignIn(signIn.Password, Source(http));
        return await OutcomeResults.MapAsync(signedIn,
            async grant => TypedResults.Ok(await StartSession(http, tokens, grant)));
    }

    private static async Task<Results<Accepted<PasswordResetStarted>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> StartPasswordReset(
        PasswordResetRequest request, HttpContext http, IClusterClient cluster)
    {
        if (!request.TryParse(out var phone, out var problem)) return problem;
        var started = await cluster.GetGrain<IVerificationGrain>(Guid.NewGuid())
            .StartPasswordReset(phone, Source(http));
        return OutcomeResults.Map(started,
            code => TypedResults.Accepted((string?)null, new PasswordResetStarted(code.Id, code.CodeExpiresAt)));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> ConfirmPasswordReset(
        Guid resetId, PasswordResetConfirmation request, IClusterClient cluster)
    {
        if (!request.TryParse(out var reset, out var problem)) return problem;
        return OutcomeResults.NoContent(await cluster.GetGrain<IVerificationGrain>(resetId)
            .ConfirmPasswordReset(reset.Code, reset.NewPassword));
    }

    private static async Task<NoContent> SignOut(ClaimsPrincipal member, HttpContext http, IClusterClient cluster)
    {
        await cluster.GetGrain<IMemberGrain>(member.CallerId()).EndSession(member.SessionId());
        http.Response.Cookies.Delete(Callers.SessionCookie, SessionCookie(DateTimeOffset.UnixEpoch));
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult, TooManyRequests>> ChangePassword(
        PasswordChange request, ClaimsPrincipal member, IClusterClient cluster)
    {
        if (!request.TryParse(out var change, out var problem)) return problem;
        return OutcomeResults.NoContent(await cluster.GetGrain<IMemberGrain>(member.CallerId())
            .ChangePassword(member.SessionId(), change.Current, change.New));
    }

    private static async Task<Results<Ok<SpendingModel>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> SwitchSpending(
        SpendingRequest request, ClaimsPrincipal member, IClusterClient cluster)
    {
        if (!request.TryParse(out var spending, out var problem)) return problem;
        // Off at once, with no password (a lost card); on only with the password, and the member is told by SMS.
        if (!spending.Enabled)
            return OutcomeResults.Ok(await cluster.GetGrain<ICardGrain>(member.CallerId()).SwitchSpending(false));
        return OutcomeResults.Ok(await cluster.GetGrain<IMemberGrain>(member.CallerId())
            .SwitchSpendingOn(member.SessionId(), spending.Password));
    }

    private static async Task<Results<Ok<MeResponse>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> Me(ClaimsPrincipal member, IClusterClient cluster) =>
        await OutcomeResults.MapAsync(await cluster.GetGrain<IMemberGrain>(member.CallerId()).GetProfile(), async p =>
        {
            // The cabinet's settings page shows whether spending is on, so the profile carries it.
            var card = await cluster.GetGrain<ICardGrain>(member.CallerId()).GetSummary();
            return TypedResults.Ok(new MeResponse(p.CardNumber, p.Phone.Value, p.FirstName, p.LastName, p.Status,
                card.Value?.SpendingEnabled ?? false, p.BirthDate));
        });

    private static async Task<Results<Ok<BalanceModel>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> Balance(ClaimsPrincipal member, IClusterClient cluster) =>
        OutcomeResults.Ok(await cluster.GetGrain<ICardGrain>(member.CallerId()).GetBalance());

    private static async Task<Results<Ok<TierModel>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> Tier(ClaimsPrincipal member, IClusterClient cluster) =>
        OutcomeResults.Ok(await cluster.GetGrain<ICardGrain>(member.CallerId()).GetTier());

    private static async Task<Results<Ok<HistoryPage>, ValidationProblem, ProblemHttpResult, TooManyRequests>> History(
        ClaimsPrincipal member, IClusterClient cluster, int? limit, string? cursor, string? kind, string? from,
        string? to)
    {
        var errors = new ValidationErrors();
        var query = HistoryFilter(kind, from, to, errors, limit ?? 20, cursor);
        if (!errors.IsEmpty) return Problems.Invalid(errors);
        return OutcomeResults.Ok(await cluster.GetGrain<ICardGrain>(member.CallerId()).QueryHistory(query));
    }

    /// <summary>The longest period one CSV download covers.</summary>
    private const int MaxCsvDays = 366;

    private static async Task<Results<PushStreamHttpResult, ValidationProblem, ProblemHttpResult, TooManyRequests>>
        HistoryAsCsv(ClaimsPrincipal member, IClusterClient cluster, TimeProvider time, string? kind, string? from,
            string? to, CancellationToken aborted)
    {
        var errors = new ValidationErrors();
        var query = HistoryFilter(kind, from, to, errors, 100, null);
        if (!errors.IsEmpty) return Problems.Invalid(errors);
        var until = query.To ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var since = query.From ?? until.AddDays(-(MaxCsvDays - 1));
        if (since > until) errors.Add("to", "Must not be before from.");
        else if (until.DayNumber - since.DayNumber >= MaxCsvDays)
            errors.Add("from", $"At most {MaxCsvDays} days before to.");
        if (!errors.IsEmpty) return Problems.Invalid(errors);
        query = query with { From = since, To = until };

        var card = cluster.GetGrain<ICardGrain>(member.CallerId());
        var first = await card.QueryHistory(query);
        if (!first.Succeeded) return OutcomeResults.Failure<HistoryPage, PushStreamHttpResult>(first);
        var name = $"bpclub-history-{since:yyyy-MM-dd}-{until:yyyy-MM-dd}.csv";
        return TypedResults.Stream(async body =>
        {
            await HistoryCsv.Write(body, first.Value!, async cursor =>
            {
                var page = await card.QueryHistory(query with { Cursor = cursor });
                // Headers are gone: a failure half-way can only cut the file short.
                return page.Succeeded ? page.Value
                    : throw new InvalidOperationException("A history page failed: " + page.Detail);
            }, aborted);
        }, "text/csv; charset=utf-8", name);
    }

    /// <summary>kind: one or more history kinds, comma-separated; from and to: days (YYYY-MM-DD) on the programme's
    /// calendar.</summary>
    private static HistoryQuery HistoryFilter(string? kind, string? from, string? to, ValidationErrors errors,
        int limit, string? cursor)
    {
        var kinds = string.IsNullOrWhiteSpace(kind)
            ? null
            : kind.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        if (kind is { Length: > 300 }) errors.Add("kind", "At most 300 characters.");
        return new HistoryQuery(limit, cursor, kinds, Day(from, "from", errors), Day(to, "to", errors));
    }

    private static DateOnly? Day(string? text, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var day) && day.Year is >= 2000 and <= 2999)
            return day;
        errors.Add(field, "A day, YYYY-MM-DD.");
        return null;
    }

    private static Ok<AntiforgeryToken> Antiforgery(HttpContext http, IAntiforgery antiforgery) =>
        TypedResults.Ok(new AntiforgeryToken(antiforgery.GetAndStoreTokens(http).RequestToken!,
            Callers.AntiforgeryHeader));

    private static async Task<Results<ServerSentEventsResult<BalanceModel>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> BalanceEvents(
        ClaimsPrincipal member, IClusterClient cluster, BalanceStreams streams, IConfiguration configuration,
        CancellationToken aborted)
    {
        var card = cluster.GetGrain<ICardGrain>(member.CallerId());
        // The stream ends with its session (signed out, password changed, expired, idle): checked at every
        // renewal, without counting as the member's activity.
        var account = cluster.GetGrain<IMemberGrain>(member.CallerId());
        var (session, idle) = (member.SessionId(),
            SessionIdle.For(configuration, member.FindFirstValue(Callers.ViaClaim) ?? "bearer"));
        return OutcomeResults.Map(await card.GetBalance(),
            _ => TypedResults.ServerSentEvents(
                streams.Watch(card, () => account.IsSessionActive(session, idle, touch: false), aborted),
                eventType: "balance"));
    }

    /// <summary>The caller's address (the client's, behind a configured proxy: ForwardedHeaders) for per-source
    /// caps and lock-outs: an IPv6 client counts by its /64, which one subscriber usually holds whole (so that
    /// walking through its addresses is no way around a cap).</summary>
    internal static string Source(HttpContext http) => SourceOf(http.Connection.RemoteIpAddress);

    internal static string SourceOf(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4().ToString();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    internal static async Task<SessionResponse> StartSession(HttpContext http, MemberTokens tokens, SessionGrant grant)
    {
        var token = await tokens.Issue(grant);
        http.Response.Cookies.Append(Callers.SessionCookie, token, SessionCookie(grant.ExpiresAt));
        return new SessionResponse(token, grant.ExpiresAt);
    }

    // Secure is the cookie policy's (TransportSecurity): always in Production, else when the request was HTTPS.
    internal static CookieOptions SessionCookie(DateTimeOffset expires) => new()
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
            return Problems.Result(StatusCodes.Status400BadRequest,
                $"Send the token from GET /api/cabinet/v1/antiforgery in the {Callers.AntiforgeryHeader} header.",
                "Anti-forgery token missing or invalid");
        }
        return await next(context);
    }
}
