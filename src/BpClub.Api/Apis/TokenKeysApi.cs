namespace BpClub.Api.Apis;

/// <summary>The keys that sign members' tokens, as an operator sees them: their ids and ages, never the keys.</summary>
public sealed record TokenKeysResponse(string CurrentKeyId, DateTimeOffset CurrentSince, string? PreviousKeyId,
    DateTimeOffset? PreviousAcceptedUntil, DateTimeOffset EveryReplicaBy);

/// <summary>Operators: rotating the members' token-signing key (<see cref="TokenSigningKeys"/>).</summary>
public static class TokenKeysApi
{
    public static IEndpointRouteBuilder MapTokenKeysApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapOperatorGroup().ProducesProblems(409);
        admin.MapPost("/token-keys/rotation", Rotate).Audited(AuditKinds.TokenKeysRotated).WithSummary(
            "A new key signs members' tokens; the current one stays accepted for the overlap, the previous one no "
            + "longer is. Every front end signs with the new key within Cabinet:TokenKeyRefresh.");
        return app;
    }

    private static async Task<Results<Ok<TokenKeysResponse>, ProblemHttpResult, TooManyRequests>> Rotate(
        HttpContext http, TokenSigningKeys keys)
    {
        switch (await keys.Rotate("operator:" + http.User.CallerId()))
        {
            case RotationResult.Rotated(var set, var everywhereBy):
                return TypedResults.Ok(new TokenKeysResponse(set.Current.Kid, set.CurrentSince, set.Previous?.Kid,
                    set.PreviousAcceptedUntil, everywhereBy));
            case RotationResult.TooSoon(var wait):
                return Problems.TooMany("The current key is too new to retire its predecessor: a front end may still "
                    + "sign with it. Retry after the time in Retry-After.", wait);
            default:
                return Problems.Result(StatusCodes.Status409Conflict, "The token-signing keys come from configuration "
                    + "(Cabinet:TokenSigningKey): rotate them there.");
        }
    }
}
