using BpClub.Api.Apis;

namespace BpClub.Api.Audit;

/// <summary>The audit line an endpoint writes (<see cref="AuditEndpoints.Audited{TBuilder}"/>).</summary>
public sealed record Audited(string Kind);

public static class AuditEndpoints
{
    /// <summary>Writes an audit line of <paramref name="kind"/> for every call of the endpoint that reaches it (after
    /// authentication and the rate limits), before the answer leaves.</summary>
    public static TBuilder Audited<TBuilder>(this TBuilder builder, string kind)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Audited(kind)).AddEndpointFilter<TBuilder, AuditFilter>();
}

/// <summary>
/// Runs the endpoint, then appends its audit line (who, what, to what, from where, the answer's status, the few
/// details that are neither secret nor personal) and only then lets the answer go: no data leaves a card lookup,
/// no key leaves a rotation, without its line. The line is written inline; if it cannot be, the request fails
/// (503) and the caller's retry writes it.
/// </summary>
public sealed class AuditFilter(AuditLog audit, MemberTokens tokens) : IEndpointFilter
{
    private static readonly string[] SubjectRoutes = ["cardNumber", "stationId", "partnerId", "promotionId"];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var kind = http.GetEndpoint()?.Metadata.GetMetadata<Audited>()?.Kind
            ?? throw new InvalidOperationException("An audited endpoint without its kind.");
        object? result;
        try
        {
            result = await next(context);
        }
        catch (Exception failure) when (kind != AuditKinds.SignIn)
        {
            // Tried and failed (the cluster or PostgreSQL away): recorded if the log can be written, never instead of
            // the failure's own answer.
            var status = UnavailableExceptionHandler.IsUnavailable(failure) ? 503 : 500;
            try { await audit.Append(kind, Actor(http), Subject(http), Source(http), status, Details(context)); }
            catch (Exception) { /* the request fails anyway; its retry is recorded */ }
            throw;
        }
        var answered = StatusOf(result) ?? StatusCodes.Status200OK;
        if (kind == AuditKinds.SignIn) await SignIn(context, result, answered);
        else await audit.Append(kind, Actor(http), Subject(http), Source(http), answered, Details(context));
        return result;
    }

    /// <summary>Sign-ins: the member on success; a refusal (wrong phone or password, or a lock-out) by the phone's
    /// hash. A request refused for its fields tried no password and is not a security event.</summary>
    private async Task SignIn(EndpointFilterInvocationContext context, object? result, int status)
    {
        var http = context.HttpContext;
        var request = context.Arguments.OfType<SignInRequest>().FirstOrDefault();
        var phone = Edge.Phone(request?.Phone, new ValidationErrors());
        if (phone is null) return;
        switch (status)
        {
            case StatusCodes.Status200OK when Session(result) is { } session
                && await tokens.Validate(session.AccessToken) is { } member:
                await audit.Append(AuditKinds.SignIn, "member:" + member.Card, member.Card, Source(http), status);
                break;
            case StatusCodes.Status401Unauthorized:
                await audit.Append(AuditKinds.SignInFailed, AuditLog.PhoneActor(phone.Value), null, Source(http),
                    status);
                break;
            case StatusCodes.Status429TooManyRequests:
                await audit.Append(AuditKinds.SignInLocked, AuditLog.PhoneActor(phone.Value), null, Source(http),
                    status);
                break;
        }
    }

    private static SessionResponse? Session(object? result) => result switch
    {
        INestedHttpResult nested => Session(nested.Result),
        IValueHttpResult { Value: SessionResponse session } => session,
        _ => null,
    };

    private static int? StatusOf(object? result) => result switch
    {
        INestedHttpResult nested => StatusOf(nested.Result),
        IStatusCodeHttpResult { StatusCode: { } status } => status,
        _ => null,
    };

    /// <summary>A member (their token carries a session) by their card; anyone else here is an operator.</summary>
    private static string Actor(HttpContext http) =>
        (IsMember(http) ? "member:" : "operator:") + http.User.CallerId();

    private static bool IsMember(HttpContext http) => http.User.FindFirst(Callers.SessionClaim) is not null;

    private static string Source(HttpContext http) => RateLimits.ClientAddress(http);

    /// <summary>The card, station, partner or promotion the call names: a card number as the ledger writes
    /// it.</summary>
    private static string? Subject(HttpContext http)
    {
        foreach (var name in SubjectRoutes)
        {
            if (http.GetRouteValue(name) is not string value) continue;
            if (name == "cardNumber" && Edge.Card(value, new ValidationErrors()) is { } card) return card.ToString();
            return Bounded(value);
        }
        // A member's own calls name no card in the route: they act on their own.
        return IsMember(http) ? http.User.CallerId() : null;
    }

    /// <summary>The operation ids and figures of a call; never a reason or a reference (free text that may name a
    /// person), never a key.</summary>
    private static Dictionary<string, object?> Details(EndpointFilterInvocationContext context)
    {
        var details = new Dictionary<string, object?>();
        foreach (var argument in context.Arguments)
        {
            switch (argument)
            {
                case AdjustmentRequest adjustment:
                    details["adjustmentId"] = Bounded(adjustment.AdjustmentId);
                    details["points"] = adjustment.Points;
                    break;
                case HoldReleaseRequest release:
                    details["releaseId"] = Bounded(release.ReleaseId);
                    details["points"] = release.Points;
                    break;
                case OperatorReplacementRequest replacement:
                    details["newCardNumber"] = Bounded(replacement.NewCardNumber);
                    break;
                case CardReplacementRequest replacement:
                    details["newCardNumber"] = Bounded(replacement.NewCardNumber);
                    break;
                case TerminationRequest termination:
                    details["applicationReceivedAt"] = termination.ApplicationReceivedAt;
                    break;
            }
        }
        if (context.HttpContext.Request.Query.TryGetValue("operations", out var operations))
            details["operations"] = Bounded(operations.ToString());
        return details;
    }

    /// <summary>At most 64 characters, control characters (which PostgreSQL may refuse: NUL) as U+FFFD: a bad id is
    /// recorded as well as it can be, never failing its line.</summary>
    private static string? Bounded(string? text) => text is null ? null
        : string.Create(Math.Min(text.Length, 64), text, (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
                span[i] = char.IsControl(source[i]) || char.IsSurrogate(source[i]) ? '\uFFFD' : source[i];
        });
}
