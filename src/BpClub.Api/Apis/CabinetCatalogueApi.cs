namespace BpClub.Api.Apis;

/// <summary>What the programme offers a member: its partners with their rates, and the promotions.</summary>
public static class CabinetCatalogueApi
{
    /// <summary>How far ahead the offers look for promotions still to start.</summary>
    public static readonly TimeSpan OffersHorizon = TimeSpan.FromDays(30);

    public static IEndpointRouteBuilder MapCabinetCatalogueApi(this IEndpointRouteBuilder app)
    {
        var member = app.MapMemberGroup("Cabinet: the programme");
        member.MapGet("/partners", Partners)
            .WithSummary("The programme's partners by name, each with its rate (points per UAH spent there).");
        member.MapGet("/offers", Offers).ProducesProblems(404)
            .WithSummary("The promotions for the member's level running now and those starting within 30 days, " +
                "each with its rule.");
        return app;
    }

    private static async Task<Ok<PartnersResponse>> Partners(IClusterClient cluster) =>
        TypedResults.Ok(new PartnersResponse(await cluster.GetGrain<IProgrammeDirectoryGrain>(0).Partners()));

    /// <summary>Only the promotions the member's card may earn: those for every level or for the card's own.</summary>
    private static async Task<Results<Ok<OffersResponse>, ValidationProblem, ProblemHttpResult, TooManyRequests>>
        Offers(ClaimsPrincipal member, IClusterClient cluster, TimeProvider time)
    {
        var tier = await cluster.GetGrain<ICardGrain>(member.CallerId()).GetTier();
        IReadOnlyList<OfferModel> offers = tier.Succeeded
            ? await cluster.GetGrain<IProgrammeDirectoryGrain>(0).Offers(time.GetUtcNow(), OffersHorizon,
                tier.Value!.Level)
            : [];
        return OutcomeResults.Map(tier, _ => TypedResults.Ok(new OffersResponse(offers)));
    }
}

/// <summary>The partners as members see them.</summary>
public sealed record PartnersResponse(IReadOnlyList<PartnerListing> Partners);

/// <summary>The promotions as members see them.</summary>
public sealed record OffersResponse(IReadOnlyList<OfferModel> Offers);
