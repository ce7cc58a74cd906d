namespace BpClub.Api.Apis;

/// <summary>The member's self-service: editing the profile, downloading everything held about them, leaving the
/// programme.</summary>
public static class CabinetSelfServiceApi
{
    public static IEndpointRouteBuilder MapCabinetSelfServiceApi(this IEndpointRouteBuilder app)
    {
        var member = app.MapMemberGroup();
        member.MapPatch("/me", UpdateProfile).ProducesProblems(404).WithSummary(
            "Edit the name or the birth date recorded at the till; a field left out stays as it is.");
        member.MapGet("/export", Export).ProducesProblems(404).WithSummary(
            "Everything held about the member (profile, card, balance, level, settings, the whole history) as a "
            + "JSON download.");
        member.MapPost("/termination", Terminate).ProducesProblems(422).Audited(AuditKinds.MemberTerminated)
            .WithSummary(
            "Leave the programme, with the password again: the points left are forfeited, every session ends and "
            + "the personal data is erased, as with an operator's termination.");
        return app;
    }

    private static async Task<Results<Ok<MeResponse>, ValidationProblem, ProblemHttpResult, TooManyRequests>>
        UpdateProfile(ProfileRequest request, ClaimsPrincipal member, IClusterClient cluster, TimeProvider time)
    {
        if (!request.TryParse(time.GetUtcNow(), out var change, out var problem)) return problem;
        var updated = await cluster.GetGrain<IMemberGrain>(member.CallerId())
            .UpdateProfile(member.SessionId(), change);
        return await OutcomeResults.MapAsync(updated, async p => TypedResults.Ok(await Me(p, cluster)));
    }

    private static async Task<Results<Ok<MemberExport>, ValidationProblem, ProblemHttpResult, TooManyRequests>>
        Export(ClaimsPrincipal member, HttpContext http, IClusterClient cluster, TimeProvider time)
    {
        var profile = await cluster.GetGrain<IMemberGrain>(member.CallerId()).GetProfile();
        if (!profile.Succeeded) return OutcomeResults.Failure<MemberProfile, Ok<MemberExport>>(profile);
        var card = cluster.GetGrain<ICardGrain>(member.CallerId());
        var summary = await card.GetSummary();
        if (!summary.Succeeded) return OutcomeResults.Failure<CardSummary, Ok<MemberExport>>(summary);

        var history = new List<HistoryItem>();
        string? cursor = null;
        do
        {
            var page = await card.QueryHistory(new HistoryQuery(100, cursor));
            if (!page.Succeeded) return OutcomeResults.Failure<HistoryPage, Ok<MemberExport>>(page);
            history.AddRange(page.Value!.Items);
            cursor = page.Value.NextCursor;
        } while (cursor is not null);

        var p = profile.Value!;
        var s = summary.Value!;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"bpclub-export-{p.CardNumber}.json\"";
        return TypedResults.Ok(new MemberExport(time.GetUtcNow(),
            new ExportedProfile(p.CardNumber, p.Phone.Value, p.FirstName, p.LastName, p.BirthDate, p.RegisteredAt,
                p.ConsentAt),
            s with { CardCode = null },
            new ExportedSettings(s.SpendingEnabled, p.ConsentAt is not null),
            history));
    }

    private static async Task<Results<Ok<TerminationResult>, ValidationProblem, ProblemHttpResult, TooManyRequests>>
        Terminate(CabinetTerminationRequest request, ClaimsPrincipal member, HttpContext http,
            IClusterClient cluster)
    {
        if (!request.TryParse(out var password, out var problem)) return problem;
        var terminated = await cluster.GetGrain<IMemberGrain>(member.CallerId())
            .Terminate(member.SessionId(), password, CabinetApi.Source(http));
        if (terminated.Succeeded)
            http.Response.Cookies.Delete(Callers.SessionCookie, CabinetApi.SessionCookie(DateTimeOffset.UnixEpoch));
        return OutcomeResults.Ok(terminated);
    }

    internal static async Task<MeResponse> Me(MemberProfile p, IClusterClient cluster)
    {
        var card = await cluster.GetGrain<ICardGrain>(p.CardNumber).GetSummary();
        return new MeResponse(p.CardNumber, p.Phone.Value, p.FirstName, p.LastName, p.Status,
            card.Value?.SpendingEnabled ?? false, p.BirthDate);
    }
}

/// <summary>PATCH /me: a field left out (or null) stays as it is.</summary>
public sealed record ProfileRequest(string? FirstName, string? LastName, DateOnly? BirthDate);

public sealed record CabinetTerminationRequest(string? Password);

/// <summary>GET /export: everything held about the member.</summary>
public sealed record MemberExport(DateTimeOffset ExportedAt, ExportedProfile Profile, CardSummary Card,
    ExportedSettings Settings, IReadOnlyList<HistoryItem> History);

public sealed record ExportedProfile(string CardNumber, string Phone, string? FirstName, string? LastName,
    DateOnly? BirthDate, DateTimeOffset? RegisteredAt, DateTimeOffset? ConsentAt);

/// <summary>The member's choices: paying with points on or off, and the consent given at the till.</summary>
public sealed record ExportedSettings(bool SpendingEnabled, bool ProgrammeConsent);
