namespace BpClub.Api.Apis;

/// <summary>Operators: stations and partners with their keys, promotions, card support, termination, the
/// cluster.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapOperatorGroup();

        admin.MapPut("/stations/{stationId}", SaveStation).Audited(AuditKinds.StationSaved)
            .WithSummary("Create a station (its key is in the answer, once) or update its name and address.");
        admin.MapPost("/stations/{stationId}/key", RotateStationKey).ProducesProblems(404)
            .Audited(AuditKinds.StationKeyRotated)
            .WithSummary("Replace the station's key; the old one stops working within seconds.");
        admin.MapPut("/partners/{partnerId}", SavePartner).Audited(AuditKinds.PartnerSaved);
        admin.MapPost("/partners/{partnerId}/key", RotatePartnerKey).ProducesProblems(404)
            .Audited(AuditKinds.PartnerKeyRotated);
        admin.MapPut("/promotions/{promotionId}", SavePromotion).Audited(AuditKinds.PromotionSaved)
            .WithSummary("Create or replace a promotion; tills see it within seconds.");
        admin.MapGet("/promotions", ListPromotions);
        admin.MapDelete("/promotions/{promotionId}", EndPromotion).ProducesProblems(404)
            .Audited(AuditKinds.PromotionEnded)
            .WithSummary("End a promotion now.");
        admin.MapGet("/cards/{cardNumber}", CardLookup).ProducesProblems(404).Audited(AuditKinds.CardLookedUp)
            .WithSummary(
            "For support: the card's status, balance and level, its registration (phone masked), its last operations.");
        admin.MapPost("/cards/{cardNumber}/adjustments", Adjust).ProducesProblems(404, 409, 422)
            .Audited(AuditKinds.CardAdjusted).WithSummary(
            "A manual correction with a reason, positive or negative (never below zero available); idempotent.");
        admin.MapPost("/cards/{cardNumber}/holds/release", ReleaseHolds).ProducesProblems(404, 409, 422)
            .Audited(AuditKinds.CardHoldsReleased)
            .WithSummary("Release held points early: some, or all of them when points is left out; idempotent.");
        admin.MapPost("/cards/{cardNumber}/termination", Terminate).ProducesProblems(404, 422)
            .Audited(AuditKinds.CardTerminated).WithSummary(
            "End participation on a written application: points forfeited, access closed, personal data destroyed.");
        admin.MapGet("/cluster", Cluster);
        return app;
    }

    private static async Task<Results<Created<StationKeyResponse>, Ok<StationKeyResponse>, ValidationProblem,
        ProblemHttpResult, TooManyRequests>> SaveStation(
        string stationId, StationRequest request, IClusterClient cluster)
    {
        if (!request.TryParse(stationId, out var station, out var problem)) return problem;
        var saved = await cluster.GetGrain<IStationGrain>(stationId).Save(station.Name, station.Address);
        // A key in the answer means the station is new: 201.
        return OutcomeResults.Created(saved, StationKey, s => s.ApiKey is not null);
    }

    private static async Task<Results<Ok<StationKeyResponse>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> RotateStationKey(string stationId, IClusterClient cluster)
    {
        if (!ApiKeys.IsValidId(stationId))
            return Problems.Result(StatusCodes.Status404NotFound, $"Unknown station {stationId}.");
        return OutcomeResults.Ok(await cluster.GetGrain<IStationGrain>(stationId).RotateKey(), StationKey);
    }

    private static async Task<Results<Created<PartnerKeyResponse>, Ok<PartnerKeyResponse>, ValidationProblem,
        ProblemHttpResult, TooManyRequests>> SavePartner(
        string partnerId, PartnerRequest request, IClusterClient cluster)
    {
        if (!request.TryParse(partnerId, out var partner, out var problem)) return problem;
        var saved = await cluster.GetGrain<IPartnerGrain>(partnerId).Save(partner.Name, partner.Rate);
        return OutcomeResults.Created(saved, PartnerKey, p => p.ApiKey is not null);
    }

    private static async Task<Results<Ok<PartnerKeyResponse>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> RotatePartnerKey(string partnerId, IClusterClient cluster)
    {
        if (!ApiKeys.IsValidId(partnerId))
            return Problems.Result(StatusCodes.Status404NotFound, $"Unknown partner {partnerId}.");
        return OutcomeResults.Ok(await cluster.GetGrain<IPartnerGrain>(partnerId).RotateKey(), PartnerKey);
    }

    private static StationKeyResponse StationKey(StationModel s) => new(s.StationId, s.Name, s.Address, s.ApiKey);

    private static PartnerKeyResponse PartnerKey(PartnerModel p) => new(p.PartnerId, p.Name, p.PointsPerUah, p.ApiKey);

    private static async Task<Results<Created<PromotionModel>, Ok<PromotionModel>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> SavePromotion(
        string promotionId, PromotionRequest request, IClusterClient cluster)
    {
        if (!request.TryParse(promotionId, out var promotion, out var problem)) return problem;
        return OutcomeResults.Created(await cluster.GetGrain<IPromotionCatalogGrain>(0).Save(promotion));
    }

    private static async Task<Ok<IReadOnlyList<PromotionModel>>> ListPromotions(IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<IPromotionCatalogGrain>(0).List());

    private static async Task<Results<Ok<PromotionModel>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> EndPromotion(string promotionId, IClusterClient cluster) =>
        OutcomeResults.Ok(await cluster.GetGrain<IPromotionCatalogGrain>(0).End(promotionId));

    private static async Task<Results<Ok<CardLookupResponse>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> CardLookup(string cardNumber, IClusterClient cluster, int? operations)
    {
        if (!AdminRequests.TryParseLookup(cardNumber, operations, out var lookup, out var problem)) return problem;
        var (card, count) = lookup;
        var grain = cluster.GetGrain<ICardGrain>(card.Value);
        var summary = await grain.GetSummary();
        if (!summary.Succeeded) return OutcomeResults.Failure<CardSummary, Ok<CardLookupResponse>>(summary);
        var recent = await grain.GetRecentOperations(count);
        if (!recent.Succeeded)
            return OutcomeResults.Failure<IReadOnlyList<SupportHistoryItem>, Ok<CardLookupResponse>>(recent);
        var registration = await cluster.GetGrain<IMemberGrain>(card.Value).GetRegistration();
        return TypedResults.Ok(CardLookupResponse.From(summary.Value!, registration, recent.Value!));
    }

    private static async Task<Results<Created<AdjustmentResult>, Ok<AdjustmentResult>, ValidationProblem,
        ProblemHttpResult, TooManyRequests>> Adjust(
        string cardNumber, AdjustmentRequest request, ClaimsPrincipal operatorUser, IClusterClient cluster)
    {
        if (!request.TryParse(cardNumber, operatorUser.CallerId(), out var adjustment, out var problem))
            return problem;
        return OutcomeResults.Created(
            await cluster.GetGrain<ICardGrain>(adjustment.Card.Value).Adjust(adjustment.Command));
    }

    private static async Task<Results<Created<HoldReleaseResult>, Ok<HoldReleaseResult>, ValidationProblem,
        ProblemHttpResult, TooManyRequests>> ReleaseHolds(
        string cardNumber, HoldReleaseRequest request, ClaimsPrincipal operatorUser, IClusterClient cluster)
    {
        if (!request.TryParse(cardNumber, operatorUser.CallerId(), out var release, out var problem)) return problem;
        return OutcomeResults.Created(
            await cluster.GetGrain<ICardGrain>(release.Card.Value).ReleaseHeldPoints(release.Command));
    }

    private static async Task<Results<Ok<TerminationResult>, ValidationProblem, ProblemHttpResult,
        TooManyRequests>> Terminate(
        string cardNumber, TerminationRequest request, IClusterClient cluster)
    {
        if (!request.TryParse(cardNumber, out var termination, out var problem)) return problem;
        var card = termination.Card.Value;
        var terminated = await cluster.GetGrain<ICardGrain>(card).Terminate(termination.Command);
        // Closing the account runs on a replay too, so a termination cut short half-way is completed by retrying it.
        if (terminated.Succeeded) await cluster.GetGrain<IMemberGrain>(card).Close();
        return OutcomeResults.Ok(terminated);
    }

    private static async Task<Ok<ClusterResponse>> Cluster(IClusterClient cluster, TimeProvider time)
    {
        var management = cluster.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false);
        var active = hosts.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloAddress).ToArray();
        var statistics = active.Length == 0 ? [] : await management.GetRuntimeStatistics(active);
        var activations = active.Zip(statistics).ToDictionary(p => p.First, p => p.Second.ActivationCount);
        var silos = hosts
            .Where(h => h.Status != SiloStatus.Dead || h.IAmAliveTime > time.GetUtcNow().UtcDateTime.AddHours(-1))
            .OrderBy(h => h.Status).ThenBy(h => h.SiloName)
            .Select(h => new SiloResponse(h.SiloAddress.ToParsableString(), h.SiloName, h.HostName,
                h.Status.ToString().ToLowerInvariant(),
                new DateTimeOffset(DateTime.SpecifyKind(h.StartTime, DateTimeKind.Utc)),
                activations.TryGetValue(h.SiloAddress, out var count) ? count : null))
            .ToList();
        return TypedResults.Ok(new ClusterResponse(active.Length, activations.Values.Sum(c => (long)c), silos));
    }
}
