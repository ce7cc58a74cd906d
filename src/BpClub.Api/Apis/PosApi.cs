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
        var errors = new ValidationErrors();
        var card = Edge.Card(cardNumber, errors);
        var phone = Edge.Phone(request.Phone, errors, required: false);
        if (request.Consent is null) errors.Add("consent", "Required: the member must consent to the programme rules.");
        if (!errors.IsEmpty) return Problems.Invalid(errors);

        var issued = await cluster.GetGrain<ICardGrain>(card!.Value).Issue(
            new IssueCard(request.FirstName ?? "", request.LastName ?? "", phone, request.BirthDate,
                request.Consent!.Value, station.CallerId()), aborted);
        return OutcomeResults.Created(issued);
    }

    private static async Task<Results<Created<PurchaseResult>, Ok<PurchaseResult>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> RecordPurchase(
        PurchaseRequest request, ClaimsPrincipal station, IClusterClient cluster, CancellationToken aborted)
    {
        var errors = new ValidationErrors();
        var card = Edge.Card(request.CardNumber, errors);
        var purchase = Edge.Purchase(request, station.CallerId(), errors);
        if (!errors.IsEmpty) return Problems.Invalid(errors);
        return OutcomeResults.Created(await cluster.GetGrain<ICardGrain>(card!.Value).Accrue(purchase!, aborted));
    }

    /// <summary>The same body and checks as a purchase, so a till sends what it will record after payment.</summary>
    private static async Task<Results<Ok<PurchaseQuoteResult>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> QuotePurchase(
        PurchaseRequest request, ClaimsPrincipal station, IClusterClient cluster)
    {
        var errors = new ValidationErrors();
        var card = Edge.Card(request.CardNumber, errors);
        var purchase = Edge.Purchase(request, station.CallerId(), errors);
        if (!errors.IsEmpty) return Problems.Invalid(errors);
        return OutcomeResults.Ok(await cluster.GetGrain<ICardGrain>(card!.Value).Quote(purchase!));
    }

    private static async Task<Results<Created<RedemptionResult>, Ok<RedemptionResult>, ValidationProblem,
        ProblemHttpResult, TooManyRequests>> Redeem(
        RedemptionRequest request, ClaimsPrincipal station, IClusterClient cluster, CancellationToken aborted)
    {
        var errors = new ValidationErrors();
        var card = Edge.Card(request.CardNumber, errors);
        if (request.Points is null) errors.Add("points", "Required.");
        if (!errors.IsEmpty) return Problems.Invalid(errors);
        var redeemed = await cluster.GetGrain<ICardGrain>(card!.Value)
            .Redeem(new RedeemPoints(request.RedemptionId ?? "", station.CallerId(), new(request.Points!.Value)),
                aborted);
        return OutcomeResults.Created(redeemed);
    }

    private static async Task<Results<Created<RedemptionReversalResult>, Ok<RedemptionReversalResult>,
        ValidationProblem, ProblemHttpResult, TooManyRequests>> ReverseRedemption(
        RedemptionReversalRequest request, ClaimsPrincipal station, IClusterClient cluster, CancellationToken aborted)
    {
        var errors = new ValidationErrors();
        var card = Edge.Card(request.CardNumber, errors);
        if (!errors.IsEmpty) return Problems.Invalid(errors);
        var reversed = await cluster.GetGrain<ICardGrain>(card!.Value).ReverseRedemption(
            new ReverseRedemption(request.ReversalId ?? "", request.RedemptionId ?? "", station.CallerId()), aborted);
        return OutcomeResults.Created(reversed);
    }

    private static async Task<Results<Created<RefundResult>, Ok<RefundResult>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> Refund(
        RefundRequest request, ClaimsPrincipal station, IClusterClient cluster, CancellationToken aborted)
    {
        var errors = new ValidationErrors();
        var card = Edge.Card(request.CardNumber, errors);
        if (!errors.IsEmpty) return Problems.Invalid(errors);
        var refunded = await cluster.GetGrain<ICardGrain>(card!.Value)
            .Refund(new RefundPurchase(request.RefundId ?? "", request.ReceiptId ?? "", station.CallerId(),
                request.Lines ?? []), aborted);
        return OutcomeResults.Created(refunded);
    }

    private static async Task<Results<Ok<BalanceModel>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> GetBalance(string cardNumber, IClusterClient cluster)
    {
        var errors = new ValidationErrors();
        var card = Edge.Card(cardNumber, errors);
        if (!errors.IsEmpty) return Problems.Invalid(errors);
        return OutcomeResults.Ok(await cluster.GetGrain<ICardGrain>(card!.Value).GetBalance());
    }
}
