using System.Security.Claims;
using BpClub.Abstractions;
using BpClub.Api.Http;
using BpClub.Api.Security;
using BpClub.Domain.Validation;

namespace BpClub.Api.Apis;

/// <summary>Stations' tills: issue a card, record purchases, pay with points, refunds, balance.</summary>
public static class PosApi
{
    public static IEndpointRouteBuilder MapPosApi(this IEndpointRouteBuilder app)
    {
        var pos = app.MapGroup("/api/pos/v1").WithTags("POS (stations)")
            .RequireAuthorization(Callers.Station).RequireRateLimiting(RateLimits.PerCaller)
            .Problems(401, 403, 429, 503);

        pos.MapPut("/cards/{cardNumber}", IssueCard).Returns<CardSummary>(201, 400, 409)
            .WithSummary("Issue a pre-printed card at the till with the member's short questionnaire.");
        pos.MapPost("/purchases", RecordPurchase).Returns<PurchaseResult>(201, 400, 404, 409, 422)
            .WithSummary("Record a purchase; replaying a receiptId returns the first result.");
        pos.MapPost("/purchases/quote", QuotePurchase).Returns<PurchaseQuoteResult>(200, 400, 404, 422)
            .WithSummary("What a purchase would earn, with the breakdown, before payment; records nothing.");
        pos.MapPost("/redemptions", Redeem).Returns<RedemptionResult>(201, 400, 404, 409, 422)
            .WithSummary("Pay with points (1 point = 1 UAH).");
        pos.MapPost("/redemption-reversals", ReverseRedemption).Returns<RedemptionReversalResult>(201, 400, 404, 409, 422)
            .WithSummary("Undo a payment with points made at this station, once: the points come back available.");
        pos.MapPost("/refunds", Refund).Returns<RefundResult>(201, 400, 404, 409, 422)
            .WithSummary("Take back the points of a returned purchase, whole or some of its lines (1-based).");
        pos.MapGet("/cards/{cardNumber}/balance", GetBalance).Returns<BalanceModel>(200, 400, 404);
        return app;
    }

    private static async Task<IResult> IssueCard(string cardNumber, IssueCardRequest request, ClaimsPrincipal station, IClusterClient cluster,
        CancellationToken aborted)
    {
        var errors = new ValidationErrors();
        var card = Edge.Card(cardNumber, errors);
        var phone = Edge.Phone(request.Phone, errors, required: false);
        if (request.Consent is null) errors.Add("consent", "Required: the member must consent to the programme rules.");
        if (!errors.IsEmpty) return OutcomeResults.Invalid(errors);

        var issued = await cluster.GetGrain<ICardGrain>(card!.Value).Issue(
            new IssueCard(request.FirstName ?? "", request.LastName ?? "", phone, request.BirthDate, request.Consent!.Value, station.CallerId()), aborted);
        return OutcomeResults.Created(issued);
    }

    private static async Task<IResult> RecordPurchase(PurchaseRequest request, ClaimsPrincipal station, IClusterClient cluster,
        CancellationToken aborted)
    {
        var errors = new ValidationErrors();
        var card = Edge.Card(request.CardNumber, errors);
        var purchase = Edge.Purchase(request, station.CallerId(), errors);
        if (!errors.IsEmpty) return OutcomeResults.Invalid(errors);
        return OutcomeResults.Created(await cluster.GetGrain<ICardGrain>(card!.Value).Accrue(purchase!, aborted));
    }

    /// <summary>The same body and checks as a purchase, so a till sends what it will record after payment.</summary>
    private static async Task<IResult> QuotePurchase(PurchaseRequest request, ClaimsPrincipal station,
        IClusterClient cluster)
    {
        var errors = new ValidationErrors();
        var card = Edge.Card(request.CardNumber, errors);
        var purchase = Edge.Purchase(request, station.CallerId(), errors);
        if (!errors.IsEmpty) return OutcomeResults.Invalid(errors);
        return OutcomeResults.Ok(await cluster.GetGrain<ICardGrain>(card!.Value).Quote(purchase!));
    }

    private static async Task<IResult> Redeem(RedemptionRequest request, ClaimsPrincipal station, IClusterClient cluster,
        CancellationToken aborted)
    {
        var errors = new ValidationErrors();
        var card = Edge.Card(request.CardNumber, errors);
        if (request.Points is null) errors.Add("points", "Required.");
        if (!errors.IsEmpty) return OutcomeResults.Invalid(errors);
        var redeemed = await cluster.GetGrain<ICardGrain>(card!.Value)
            .Redeem(new RedeemPoints(request.RedemptionId ?? "", station.CallerId(), new(request.Points!.Value)), aborted);
        return OutcomeResults.Created(redeemed);
    }

    private static async Task<IResult> ReverseRedemption(RedemptionReversalRequest request, ClaimsPrincipal station,
        IClusterClient cluster, CancellationToken aborted)
    {
        var errors = new ValidationErrors();
        var card = Edge.Card(request.CardNumber, errors);
        if (!errors.IsEmpty) return OutcomeResults.Invalid(errors);
        var reversed = await cluster.GetGrain<ICardGrain>(card!.Value).ReverseRedemption(
            new ReverseRedemption(request.ReversalId ?? "", request.RedemptionId ?? "", station.CallerId()), aborted);
        return OutcomeResults.Created(reversed);
    }

    private static async Task<IResult> Refund(RefundRequest request, ClaimsPrincipal station, IClusterClient cluster,
        CancellationToken aborted)
    {
        var errors = new ValidationErrors();
        var card = Edge.Card(request.CardNumber, errors);
        if (!errors.IsEmpty) return OutcomeResults.Invalid(errors);
        var refunded = await cluster.GetGrain<ICardGrain>(card!.Value)
            .Refund(new RefundPurchase(request.RefundId ?? "", request.ReceiptId ?? "", station.CallerId(), request.Lines ?? []), aborted);
        return OutcomeResults.Created(refunded);
    }

    private static async Task<IResult> GetBalance(string cardNumber, IClusterClient cluster)
    {
        var errors = new ValidationErrors();
        var card = Edge.Card(cardNumber, errors);
        if (!errors.IsEmpty) return OutcomeResults.Invalid(errors);
        return OutcomeResults.Ok(await cluster.GetGrain<ICardGrain>(card!.Value).GetBalance());
    }
}
