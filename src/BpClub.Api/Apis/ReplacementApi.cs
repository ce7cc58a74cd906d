using System.Security.Claims;
using BpClub.Abstractions;
using BpClub.Api.Http;
using BpClub.Api.Security;
using BpClub.Domain.Units;
using BpClub.Domain.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BpClub.Api.Apis;

/// <summary>A lost or damaged card replaced by a new one issued at a till: by its member, or by an operator.</summary>
public static class ReplacementApi
{
    public static IEndpointRouteBuilder MapReplacementApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/cabinet/v1").WithTags("Cabinet: the member's card")
            .RequireAuthorization(Callers.Member).RequireRateLimiting(RateLimits.PerCaller)
            .AddEndpointFilter<CookieAntiforgeryFilter>().ProducesProblems(401, 403, 429, 503)
            .MapPost("/card-replacements", ReplaceByMember).ProducesProblems(404, 409, 422).WithSummary(
                "Move everything to a new card issued at a till (a lost or damaged card): points on hold with their "
                + "release dates, level, history, the registration. cardCode is the new card's printed code, unless "
                + "the till recorded the member's phone with it. The answer signs the member in on the new card.");
        app.MapGroup("/api/admin/v1").WithTags("Operators")
            .RequireAuthorization(Callers.Operator).RequireRateLimiting(RateLimits.PerCaller)
            .ProducesProblems(401, 403, 429, 503)
            .MapPost("/cards/{cardNumber}/replacement", ReplaceByOperator).ProducesProblems(404, 409, 422)
            .WithSummary("Replace a lost or damaged card by a new one issued at a till: everything moves, exactly "
                + "once; the old card is closed (tills get 422 \"Card replaced\"). A retry answers the first result.");
        return app;
    }

    private static async Task<Results<Created<CardReplacementResponse>, Ok<CardReplacementResponse>, ValidationProblem,
        ProblemHttpResult, TooManyRequests>> ReplaceByMember(
        CardReplacementRequest request, ClaimsPrincipal member, HttpContext http, IClusterClient cluster,
        MemberTokens tokens)
    {
        var card = member.CallerId();
        var errors = new ValidationErrors();
        var next = Edge.Card(request.NewCardNumber, errors, "newCardNumber");
        if (next is not null && next.Value == card) errors.Add("newCardNumber", "The new card must be another card.");
        if (request.CardCode is { Length: > 64 }) errors.Add("cardCode", "At most 64 characters.");
        if (!errors.IsEmpty) return Problems.Invalid(errors);

        var profile = await cluster.GetGrain<IMemberGrain>(card).GetProfile();
        if (!profile.Succeeded) return Failure(profile);
        // The new card must be in the member's hands, proven as at registration: the phone the till recorded with
        // it must be the member's, or else its printed code (wrong codes count towards the same lock-out).
        var target = await cluster.GetGrain<ICardGrain>(next!.Value).GetSummary();
        if (target.Status == OutcomeStatus.NotFound)
            return Problems.Result(StatusCodes.Status404NotFound,
                "The new card has not been issued: it is issued at a till first (newCardNumber).");
        if (!target.Succeeded) return Failure(target);
        var replacing = cluster.GetGrain<ICardGrain>(card);
        var proof = await cluster.GetGrain<IMemberGrain>(next.Value)
            .ProveHolder(profile.Value!.Phone, request.CardCode);
        if (!proof.Succeeded) return Failure(proof);

        var replaced = await replacing.Replace(new ReplaceCard(next.Value));
        if (!replaced.Succeeded) return Failure(replaced);
        // The member's session moved with the account: the answer carries a token (and cookie) naming the new card.
        var grant = await cluster.GetGrain<IMemberGrain>(next.Value).AdoptSession(member.SessionId());
        var session = grant is null ? null : await CabinetApi.StartSession(http, tokens, grant);
        return OutcomeResults.Created(replaced, r => Response(r, session));
    }

    private static async Task<Results<Created<CardReplacementResponse>, Ok<CardReplacementResponse>, ValidationProblem,
        ProblemHttpResult, TooManyRequests>> ReplaceByOperator(
        string cardNumber, OperatorReplacementRequest request, ClaimsPrincipal operatorUser, IClusterClient cluster)
    {
        var errors = new ValidationErrors();
        var card = Edge.Card(cardNumber, errors);
        var next = Edge.Card(request.NewCardNumber, errors, "newCardNumber");
        if (card is not null && next is not null && card.Value == next.Value)
            errors.Add("newCardNumber", "The new card must be another card.");
        if (!errors.IsEmpty) return Problems.Invalid(errors);
        var replaced = await cluster.GetGrain<ICardGrain>(card!.Value)
            .Replace(new ReplaceCard(next!.Value, operatorUser.CallerId()));
        return OutcomeResults.Created(replaced, r => Response(r, null));
    }

    private static CardReplacementResponse Response(ReplacementResult r, SessionResponse? session) =>
        new(r.CardNumber, r.NewCardNumber, r.TransferId, r.Available, r.OnHold, r.ReplacedAt, session);

    private static Results<Created<CardReplacementResponse>, Ok<CardReplacementResponse>, ValidationProblem,
        ProblemHttpResult, TooManyRequests> Failure<T>(Outcome<T> failed) =>
        OutcomeResults.Created(failed.As<CardReplacementResponse>());
}

public sealed record CardReplacementRequest(string? NewCardNumber, string? CardCode);

public sealed record OperatorReplacementRequest(string? NewCardNumber);

/// <summary>What moved to the new card; for the member, the session on the new card.</summary>
public sealed record CardReplacementResponse(string CardNumber, string NewCardNumber, string TransferId,
    Points Available, Points OnHold, DateTimeOffset ReplacedAt, SessionResponse? Session);
