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
        if (!request.TryParse(partner.CallerId(), out var refund, out var problem)) return problem;
        var card = await cluster.GetGrain<IPartnerTransactionsGrain>(refund.PartnerId)
            .FindCard(refund.PartnerTransactionId, refund.PartnerRefundId);
        if (card is null)
            return Problems.Result(404, $"This partner has no transaction {refund.PartnerTransactionId}.");
        return OutcomeResults.Created(await cluster.GetGrain<ICardGrain>(card).RefundPartner(refund, aborted));
    }
}

/// <summary><see cref="Amount"/>: the money returned (UAH); absent for all that is left of the transaction.</summary>
public sealed record PartnerRefundRequest(string? PartnerRefundId, string? PartnerTransactionId, decimal? Amount);
