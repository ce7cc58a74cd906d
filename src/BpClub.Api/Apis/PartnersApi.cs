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
        var rate = decimal.Parse(partner.FindFirstValue(Callers.PointsPerUahClaim) ?? "0",
            CultureInfo.InvariantCulture);
        if (!request.TryParse(partner.CallerId(), rate, out var accrual, out var problem)) return problem;
        return OutcomeResults.Created(
            await cluster.GetGrain<ICardGrain>(accrual.Card.Value).AccruePartner(accrual.Command, aborted));
    }
}
