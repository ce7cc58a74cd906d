using System.Security.Claims;
using BpClub.Abstractions;
using BpClub.Api.Audit;
using BpClub.Api.Http;
using BpClub.Api.Security;
using BpClub.Domain.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BpClub.Api.Apis;

/// <summary>The member's self-service: editing the profile, downloading everything held about them, leaving the
/// programme.</summary>
public static class CabinetSelfServiceApi
{
    /// <summary>Longest name accepted, as at the till.</summary>
    private const int MaxNameLength = 100;

    public static IEndpointRouteBuilder MapCabinetSelfServiceApi(this IEndpointRouteBuilder app)
    {
        var member = app.MapGroup("/api/cabinet/v1").WithTags("Cabinet: the member's card")
            .RequireAuthorization(Callers.Member).RequireRateLimiting(RateLimits.PerCaller)
            .AddEndpointFilter<CookieAntiforgeryFilter>().ProducesProblems(401, 403, 429, 503);
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
        var errors = new ValidationErrors();
        if (request.FirstName is not null) errors.RequireId("firstName", request.FirstName, MaxNameLength);
        if (request.LastName is not null) errors.RequireId("lastName", request.LastName, MaxNameLength);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (request.BirthDate is { } born && (born > today || born < today.AddYears(-120)))
            errors.Add("birthDate", "Not a plausible birth date.");
        if (!errors.IsEmpty) return Problems.Invalid(errors);

        var change = new ProfileChange(request.FirstName?.Trim(), request.LastName?.Trim(), request.BirthDate);
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
        if (string.IsNullOrEmpty(request.Password))
            return Problems.Invalid("password", "Required: leaving the programme needs your password.");
        if (request.Password.Length > 256) return Problems.Invalid("password", "At most 256 characters.");
        var terminated = await cluster.GetGrain<IMemberGrain>(member.CallerId())
            .Terminate(member.SessionId(), request.Password, CabinetApi.Source(http));
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
