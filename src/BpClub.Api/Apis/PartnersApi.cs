using System.Globalization;

namespace BpClub.Api.Apis;

/// <summary>Partners accrue points at their own rate.</summary>
public static class PartnersApi
{
    public static IEndpointRouteBuilder MapPartnersApi(this IEndpointRouteBuilder app)
    {
        var partners = app.MapPartnerGroup();

        partners.MapPost("/accruals", Accrue).ProducesProblems(404, 409, 422)
            .WithSummary("Credit points for a purchase at the partner; "
                + "replaying a partnerTransactionId returns the first result.");
        return app;
    }

    private static async Task<Results<Created<PartnerAccrualResult>, Ok<PartnerAccrualResult>, ValidationProblem,
        ProblemHttpResult, TooManyRequests>> Accrue(
        PartnerAccrualRequest request, ClaimsPrincipal partner, IClusterClient cluster, CancellationToken aborted)
    {
        var errors = new ValidationErrors();
        var card = Edge.Card(request.CardNumber, errors);
        if (request.Amount is null) errors.Add("amount", "Required.");
        if (!errors.IsEmpty) return Problems.Invalid(errors);

        var rate = decimal.Parse(partner.FindFirstValue(Callers.PointsPerUahClaim) ?? "0",
            CultureInfo.InvariantCulture);
        var accrued = await cluster.GetGrain<ICardGrain>(card!.Value).AccruePartner(new RecordPartnerPurchase(
            request.PartnerTransactionId ?? "", partner.CallerId(), rate, new(Edge.Normalized(request.Amount!.Value)),
                Edge.Utc(request.OccurredAt)),
            aborted);
        return OutcomeResults.Created(accrued);
    }
}
