namespace BpClub.Api.Apis;

/// <summary>
/// A partner's purchase returned. The refund names the partner's own transaction, not the card: the card is the one
/// the calling partner recorded it on, so another partner's transaction is never found, whatever its id.
/// </summary>
public static class PartnerRefundsApi
{
    public static IEndpointRouteBuilder MapPartnerRefundsApi(this IEndpointRouteBuilder app)
    {
        app.MapPartnerGroup()
            .MapPost("/refunds", Refund).ProducesProblems(404, 409, 422)
            .WithSummary("Take back the points of a partner transaction returned, whole or for part of its amount; "
                + "replaying a partnerRefundId returns the first result.");
        return app;
    }

    private static async Task<Results<Created<PartnerRefundResult>, Ok<PartnerRefundResult>, ValidationProblem,
        ProblemHttpResult, TooManyRequests>> Refund(
        PartnerRefundRequest request, ClaimsPrincipal partner, IClusterClient cluster, CancellationToken aborted)
    {
        var errors = new ValidationErrors();
        errors.RequireId("partnerRefundId", request.PartnerRefundId);
        errors.RequireId("partnerTransactionId", request.PartnerTransactionId);
        // Checked here too, not only by the card: input this bad is a 400 whether or not the transaction exists.
        if (request.Amount is <= 0m) errors.Add("amount", "Must be greater than zero, or left out for all of it.");
        else if (request.Amount is { } some && decimal.Round(some, 2) != some)
            errors.Add("amount", "At most two decimals.");
        if (!errors.IsEmpty) return Problems.Invalid(errors);

        var partnerId = partner.CallerId();
        var card = await cluster.GetGrain<IPartnerTransactionsGrain>(partnerId)
            .FindCard(request.PartnerTransactionId!, request.PartnerRefundId!);
        if (card is null)
            return Problems.Result(404, $"This partner has no transaction {request.PartnerTransactionId}.");
        var refunded = await cluster.GetGrain<ICardGrain>(card).RefundPartner(new RefundPartnerTransaction(
            request.PartnerRefundId!, request.PartnerTransactionId!, partnerId,
            request.Amount is { } amount ? new(Edge.Normalized(amount)) : null), aborted);
        return OutcomeResults.Created(refunded);
    }
}

/// <summary><see cref="Amount"/>: the money returned (UAH); absent for all that is left of the transaction.</summary>
public sealed record PartnerRefundRequest(string? PartnerRefundId, string? PartnerTransactionId, decimal? Amount);
