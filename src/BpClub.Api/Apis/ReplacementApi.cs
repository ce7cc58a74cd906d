using BpClub.Domain.Cards;
using BpClub.Domain.Units;

namespace BpClub.Api.Apis;

/// <summary>A lost or damaged card replaced by a new one issued at a till: by its member, or by an operator.</summary>
public static class ReplacementApi
{
    public static IEndpointRouteBuilder MapReplacementApi(this IEndpointRouteBuilder app)
    {
        var cabinet = app.MapMemberGroup();
        cabinet.MapPost("/card-replacements", ReplaceByMember).ProducesProblems(404, 409, 422)
            .Audited(AuditKinds.CardReplaced).WithSummary(
            "Move everything to a new card issued at a till (a lost or damaged card): points on hold with their "
            + "release dates, level, history, the registration. cardCode is the new card's printed code; when the "
            + "till recorded the member's phone with it, the answer is 202 and a code goes to that phone instead. "
            + "The 201 answer signs the member in on the new card.");
        cabinet.MapPost("/card-replacements/{replacementId:guid}/confirm", ConfirmByMember)
            .ProducesProblems(404, 409, 422).Audited(AuditKinds.CardReplaced).WithSummary(
                "Confirm a card replacement with the code sent to the member's phone: everything moves (as the 201 "
                + "of POST /card-replacements), and the answer signs the member in on the new card.");
        app.MapOperatorGroup()
            .MapPost("/cards/{cardNumber}/replacement", ReplaceByOperator).ProducesProblems(404, 409, 422)
            .Audited(AuditKinds.CardReplaced)
            .WithSummary("Replace a lost or damaged card by a new one issued at a till: everything moves, exactly "
                + "once; the old card is closed (tills get 422 \"Card replaced\"). A retry answers the first result.");
        return app;
    }

    private static async Task<Results<Created<CardReplacementResponse>, Ok<CardReplacementResponse>,
        Accepted<CardReplacementStarted>, ValidationProblem, ProblemHttpResult, TooManyRequests>> ReplaceByMember(
        CardReplacementRequest request, ClaimsPrincipal member, HttpContext http, IClusterClient cluster,
        MemberTokens tokens)
    {
        var card = member.CallerId();
        if (!request.TryParse(card, out var replacement, out var problem)) return problem;
        var (next, cardCode) = replacement;

        var profile = await cluster.GetGrain<IMemberGrain>(card).GetProfile();
        if (!profile.Succeeded) return Widen(Failure(profile));
        // The new card must be in the member's hands, proven as at registration: the phone the till recorded with
        // it must be the member's, or else its printed code (wrong codes count towards the same lock-out).
        var target = await cluster.GetGrain<ICardGrain>(next.Value).GetSummary();
        if (target.Status == OutcomeStatus.NotFound)
            return Problems.Result(StatusCodes.Status404NotFound,
                "The new card has not been issued: it is issued at a till first (newCardNumber).");
        if (!target.Succeeded) return Widen(Failure(target));
        var phone = profile.Value!.Phone;
        var proof = await cluster.GetGrain<IMemberGrain>(next.Value).ProveHolder(phone, cardCode);
        if (!proof.Succeeded) return Widen(Failure(proof));
        if (proof.Value == PossessionProof.RecordedPhone)
        {
            // A till's note of the member's phone proves little on its own (anyone may give a number at a till):
            // the code sent to that phone does.
            var started = await cluster.GetGrain<IVerificationGrain>(Guid.NewGuid())
                .StartCardReplacement(CardNumber.Parse(card), next, phone, CabinetApi.Source(http));
            if (!started.Succeeded) return Widen(Failure(started));
            return TypedResults.Accepted((string?)null,
                new CardReplacementStarted(started.Value!.Id, started.Value.CodeExpiresAt));
        }
        return Widen(await Complete(card, next, member, http, cluster, tokens));
    }

    private static async Task<Results<Created<CardReplacementResponse>, Ok<CardReplacementResponse>, ValidationProblem,
        ProblemHttpResult, TooManyRequests>> ConfirmByMember(
        Guid replacementId, CodeConfirmation request, ClaimsPrincipal member, HttpContext http, IClusterClient cluster,
        MemberTokens tokens)
    {
        if (!request.TryParse(16, out var code, out var problem)) return problem;
        var card = member.CallerId();
        var confirmed = await cluster.GetGrain<IVerificationGrain>(replacementId)
            .ConfirmCardReplacement(CardNumber.Parse(card), code);
        if (!confirmed.Succeeded) return Failure(confirmed);
        return await Complete(card, confirmed.Value!, member, http, cluster, tokens);
    }

    /// <summary>Moves the card and the member's session with it: the answer carries a token (and cookie) naming the
    /// new card.</summary>
    private static async Task<Results<Created<CardReplacementResponse>, Ok<CardReplacementResponse>, ValidationProblem,
        ProblemHttpResult, TooManyRequests>> Complete(
        string card, CardNumber next, ClaimsPrincipal member, HttpContext http, IClusterClient cluster,
        MemberTokens tokens)
    {
        var replaced = await cluster.GetGrain<ICardGrain>(card).Replace(new ReplaceCard(next.Value));
        if (!replaced.Succeeded) return Failure(replaced);
        var grant = await cluster.GetGrain<IMemberGrain>(next.Value).AdoptSession(member.SessionId());
        var session = grant is null ? null : await CabinetApi.StartSession(http, tokens, grant);
        return OutcomeResults.Created(replaced, r => Response(r, session));
    }

    private static async Task<Results<Created<CardReplacementResponse>, Ok<CardReplacementResponse>, ValidationProblem,
        ProblemHttpResult, TooManyRequests>> ReplaceByOperator(
        string cardNumber, OperatorReplacementRequest request, ClaimsPrincipal operatorUser, IClusterClient cluster)
    {
        if (!request.TryParse(cardNumber, operatorUser.CallerId(), out var replacement, out var problem))
            return problem;
        var replaced = await cluster.GetGrain<ICardGrain>(replacement.Card.Value).Replace(replacement.Command);
        return OutcomeResults.Created(replaced, r => Response(r, null));
    }

    /// <summary>A replacement's answer among those of a request that may also be waiting for its SMS code.</summary>
    private static Results<Created<CardReplacementResponse>, Ok<CardReplacementResponse>,
        Accepted<CardReplacementStarted>, ValidationProblem, ProblemHttpResult, TooManyRequests> Widen(
        Results<Created<CardReplacementResponse>, Ok<CardReplacementResponse>, ValidationProblem, ProblemHttpResult,
            TooManyRequests> answer) => answer.Result switch
        {
            Created<CardReplacementResponse> created => created,
            Ok<CardReplacementResponse> ok => ok,
            ValidationProblem invalid => invalid,
            ProblemHttpResult problem => problem,
            TooManyRequests throttled => throttled,
            _ => throw new InvalidOperationException("A replacement answers 201, 200 or a problem."),
        };

    private static CardReplacementResponse Response(ReplacementResult r, SessionResponse? session) =>
        new(r.CardNumber, r.NewCardNumber, r.TransferId, r.Available, r.OnHold, r.ReplacedAt, session);

    private static Results<Created<CardReplacementResponse>, Ok<CardReplacementResponse>, ValidationProblem,
        ProblemHttpResult, TooManyRequests> Failure<T>(Outcome<T> failed) =>
        OutcomeResults.Created(failed.As<CardReplacementResponse>());
}

public sealed record CardReplacementRequest(string? NewCardNumber, string? CardCode);

public sealed record OperatorReplacementRequest(string? NewCardNumber);

/// <summary>A code went to the member's phone; the replacement waits for it at
/// <c>/card-replacements/{replacementId}/confirm</c>.</summary>
public sealed record CardReplacementStarted(Guid ReplacementId, DateTimeOffset CodeExpiresAt);

/// <summary>What moved to the new card; for the member, the session on the new card.</summary>
public sealed record CardReplacementResponse(string CardNumber, string NewCardNumber, string TransferId,
    Points Available, Points OnHold, DateTimeOffset ReplacedAt, SessionResponse? Session);
