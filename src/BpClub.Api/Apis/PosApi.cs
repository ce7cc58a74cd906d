namespace BpClub.Api.Apis;

/// <summary>Stations' tills: issue a card, record purchases, pay with points, refunds, balance.</summary>
public static class PosApi
{
    public static IEndpointRouteBuilder MapPosApi(this IEndpointRouteBuilder app)
    {
        var pos = app.MapStationGroup();

        pos.MapPut("/cards/{cardNumber}", IssueCard).ProducesProblems(409)
            .WithSummary("Issue a pre-printed card at the till with the member's short questionnaire.");
        pos.MapPost("/purchases", RecordPurchase).ProducesProblems(404, 409, 422)
            .WithSummary("Record a purchase; replaying a receiptId returns the first result.");
        pos.MapPost("/purchases/quote", QuotePurchase).ProducesProblems(404, 422)
            .WithSummary("What a purchase would earn, with the breakdown, before payment; records nothing.");
        pos.MapPost("/redemptions", Redeem).ProducesProblems(404, 409, 422)
            .WithSummary("Pay with points (1 point = 1 UAH).");
        pos.MapPost("/redemption-reversals", ReverseRedemption).ProducesProblems(404, 409, 422)
            .WithSummary("Undo a payment with points made at this station, once: the points come back available.");
        pos.MapPost("/refunds", Refund).ProducesProblems(404, 409, 422)
            .WithSummary("Take back the points of a returned purchase, whole or some of its lines (1-based).");
        pos.MapGet("/cards/{cardNumber}/balance", GetBalance).ProducesProblems(404);
        return app;
    }

    private static async Task<Results<Created<CardSummary>, Ok<CardSummary>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> IssueCard(
        string cardNumber, IssueCardRequest request, ClaimsPrincipal station, IClusterClient cluster,
            CancellationToken aborted)
    {
        if (!request.TryParse(cardNumber, station.CallerId(), out var issue, out var problem)) return problem;
        return OutcomeResults.Created(
            await cluster.GetGrain<ICardGrain>(issue.Card.Value).Issue(issue.Command, aborted));
    }

    private static async Task<Results<Created<PurchaseResult>, Ok<PurchaseResult>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> RecordPurchase(
        PurchaseRequest request, ClaimsPrincipal station, IClusterClient cluster, CancellationToken aborted)
    {
        if (!request.TryParse(station.CallerId(), out var purchase, out var problem)) return problem;
        return OutcomeResults.Created(
            await cluster.GetGrain<ICardGrain>(purchase.Card.Value).Accrue(purchase.Command, aborted));
    }

    /// <summary>The same body and checks as a purchase, so a till sends what it will record after payment.</summary>
    private static async Task<Results<Ok<PurchaseQuoteResult>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> QuotePurchase(
        PurchaseRequest request, ClaimsPrincipal station, IClusterClient cluster)
    {
        if (!request.TryParse(station.CallerId(), out var purchase, out var problem)) return problem;
        return OutcomeResults.Ok(await cluster.GetGrain<ICardGrain>(purchase.Card.Value).Quote(purchase.Command));
    }

    private static async Task<Results<Created<RedemptionResult>, Ok<RedemptionResult>, ValidationProblem,
        ProblemHttpResult, TooManyRequests>> Redeem(
        RedemptionRequest request, ClaimsPrincipal station, IClusterClient cluster, CancellationToken aborted)
    {
        if (!request.TryParse(station.CallerId(), out var redemption, out var problem)) return problem;
        return OutcomeResults.Created(
            await cluster.GetGrain<ICardGrain>(redemption.Card.Value).Redeem(redemption.Command, aborted));
    }

    private static async Task<Results<Created<RedemptionReversalResult>, Ok<RedemptionReversalResult>,
        ValidationProblem, ProblemHttpResult, TooManyRequests>> ReverseRedemption(
        RedemptionReversalRequest request, ClaimsPrincipal station, IClusterClient cluster, CancellationToken aborted)
    {
        if (!request.TryParse(station.CallerId(), out var reversal, out var problem)) return problem;
        return OutcomeResults.Created(
            await cluster.GetGrain<ICardGrain>(reversal.Card.Value).ReverseRedemption(reversal.Command, aborted));
    }

    private static async Task<Results<Created<RefundResult>, Ok<RefundResult>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> Refund(
        RefundRequest request, ClaimsPrincipal station, IClusterClient cluster, CancellationToken aborted)
    {
        if (!request.TryParse(station.CallerId(), out var refund, out var problem)) return problem;
        return OutcomeResults.Created(
            await cluster.GetGrain<ICardGrain>(refund.Card.Value).Refund(refund.Command, aborted));
    }

    private static async Task<Results<Ok<BalanceModel>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> GetBalance(string cardNumber, IClusterClient cluster)
    {
        if (!Parsing.TryParseCard(cardNumber, out var card, out var problem)) return problem;
        return OutcomeResults.Ok(await cluster.GetGrain<ICardGrain>(card.Value).GetBalance());
    }
}
