namespace BpClub.Api.Apis;

/// <summary>
/// Each caller's route group, set up once: its path, OpenAPI tag, who may call it (docs/api.md, "Callers"), its
/// rate limit and the problems of the pipeline around its endpoints (401, 403, 429, 503).
/// </summary>
public static class CallerGroups
{
    public const string MemberCard = "Cabinet: the member's card";

    public static RouteGroupBuilder MapStationGroup(this IEndpointRouteBuilder app) =>
        app.MapGroup("/api/pos/v1").WithTags("POS (stations)").ForCaller(Callers.Station, 401, 403, 503);

    public static RouteGroupBuilder MapPartnerGroup(this IEndpointRouteBuilder app) =>
        app.MapGroup("/api/partners/v1").WithTags("Partners").ForCaller(Callers.Partner, 401, 403, 503);

    public static RouteGroupBuilder MapOperatorGroup(this IEndpointRouteBuilder app) =>
        app.MapGroup("/api/admin/v1").WithTags("Operators").ForCaller(Callers.Operator, 401, 403, 429, 503);

    /// <summary>A signed-in member's endpoints: the cookie's requests carry the anti-forgery token.</summary>
    public static RouteGroupBuilder MapMemberGroup(this IEndpointRouteBuilder app, string tag = MemberCard) =>
        app.MapGroup("/api/cabinet/v1").WithTags(tag).ForCaller(Callers.Member, 401, 403, 429, 503)
            .AddEndpointFilter<CookieAntiforgeryFilter>();

    private static RouteGroupBuilder ForCaller(this RouteGroupBuilder group, string policy, params int[] problems) =>
        group.RequireAuthorization(policy).RequireRateLimiting(RateLimits.PerCaller).ProducesProblems(problems);
}
