using BpClub.Abstractions;
using BpClub.Api.Http;
using BpClub.Api.Security;
using System.Security.Claims;
using BpClub.Domain.Units;
using BpClub.Domain.Validation;

namespace BpClub.Api.Apis;

/// <summary>Operators: stations and partners with their keys, promotions, card support, termination, the cluster.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin/v1").WithTags("Operators")
            .RequireAuthorization(Callers.Operator).RequireRateLimiting(RateLimits.PerCaller)
            .Problems(401, 403, 429, 503);

        admin.MapPut("/stations/{stationId}", SaveStation).Returns<StationKeyResponse>(201, 400)
            .WithSummary("Create a station (its key is in the answer, once) or update its name and address.");
        admin.MapPost("/stations/{stationId}/key", RotateStationKey).Returns<StationKeyResponse>(200, 404)
            .WithSummary("Replace the station's key; the old one stops working within seconds.");
        admin.MapPut("/partners/{partnerId}", SavePartner).Returns<PartnerKeyResponse>(201, 400);
        admin.MapPost("/partners/{partnerId}/key", RotatePartnerKey).Returns<PartnerKeyResponse>(200, 404);
        admin.MapPut("/promotions/{promotionId}", SavePromotion).Returns<PromotionModel>(201, 400)
            .WithSummary("Create or replace a promotion; tills see it within seconds.");
        admin.MapGet("/promotions", ListPromotions).Returns<IReadOnlyList<PromotionModel>>(200);
        admin.MapDelete("/promotions/{promotionId}", EndPromotion).Returns<PromotionModel>(200, 404)
            .WithSummary("End a promotion now.");
        admin.MapGet("/cards/{cardNumber}", CardLookup).Returns<CardLookupResponse>(200, 400, 404)
            .WithSummary("For support: the card's status, balance and level, its registration (phone masked), its last operations.");
        admin.MapPost("/cards/{cardNumber}/adjustments", Adjust).Returns<AdjustmentResult>(201, 400, 404, 409, 422)
            .WithSummary("A manual correction with a reason, positive or negative (never below zero available); idempotent.");
        admin.MapPost("/cards/{cardNumber}/holds/release", ReleaseHolds).Returns<HoldReleaseResult>(201, 400, 404, 409, 422)
            .WithSummary("Release held points early: some, or all of them when points is left out; idempotent.");
        admin.MapPost("/cards/{cardNumber}/termination", Terminate).Returns<TerminationResult>(200, 400, 404, 422)
            .WithSummary("End participation on a written application: points forfeited, access closed, personal data destroyed.");
        admin.MapGet("/cluster", Cluster).Returns<ClusterResponse>(200);
        return app;
    }

    private static async Task<IResult> SaveStation(string stationId, StationRequest request, IClusterClient cluster)
    {
        if (!ApiKeys.IsValidId(stationId)) return OutcomeResults.Invalid("stationId", "Letters, digits, '-' and '_', at most 32.");
        var saved = await cluster.GetGrain<IStationGrain>(stationId).Save(request.Name ?? "", request.Address ?? "");
        return Saved(saved, s => new StationKeyResponse(s.StationId, s.Name, s.Address, s.ApiKey), s => s.ApiKey is not null);
    }

    private static async Task<IResult> RotateStationKey(string stationId, IClusterClient cluster)
    {
        if (!ApiKeys.IsValidId(stationId)) return OutcomeResults.Problem(404, "Not found", $"Unknown station {stationId}.");
        return OutcomeResults.Ok(await cluster.GetGrain<IStationGrain>(stationId).RotateKey(),
            s => new StationKeyResponse(s.StationId, s.Name, s.Address, s.ApiKey));
    }

    private static async Task<IResult> SavePartner(string partnerId, PartnerRequest request, IClusterClient cluster)
    {
        var errors = new ValidationErrors();
        if (!ApiKeys.IsValidId(partnerId)) errors.Add("partnerId", "Letters, digits, '-' and '_', at most 32.");
        if (request.PointsPerUah is null) errors.Add("pointsPerUah", "Required.");
        if (!errors.IsEmpty) return OutcomeResults.Invalid(errors);
        var saved = await cluster.GetGrain<IPartnerGrain>(partnerId).Save(request.Name ?? "", request.PointsPerUah!.Value);
        return Saved(saved, p => new PartnerKeyResponse(p.PartnerId, p.Name, p.PointsPerUah, p.ApiKey), p => p.ApiKey is not null);
    }

    private static async Task<IResult> RotatePartnerKey(string partnerId, IClusterClient cluster)
    {
        if (!ApiKeys.IsValidId(partnerId)) return OutcomeResults.Problem(404, "Not found", $"Unknown partner {partnerId}.");
        return OutcomeResults.Ok(await cluster.GetGrain<IPartnerGrain>(partnerId).RotateKey(),
            p => new PartnerKeyResponse(p.PartnerId, p.Name, p.PointsPerUah, p.ApiKey));
    }

    private static async Task<IResult> SavePromotion(string promotionId, PromotionRequest request, IClusterClient cluster)
    {
        var errors = new ValidationErrors();
        if (request.StartsAt is null) errors.Add("startsAt", "Required.");
        if (request.EndsAt is null) errors.Add("endsAt", "Required.");
        if (!errors.IsEmpty) return OutcomeResults.Invalid(errors);
        var saved = await cluster.GetGrain<IPromotionCatalogGrain>(0).Save(new PromotionModel(promotionId, request.Name ?? "",
            request.StartsAt!.Value, request.EndsAt!.Value, request.StationIds, request.ProductCodes, request.Categories,
            request.Multiplier, request.BonusPoints));
        return OutcomeResults.Created(saved);
    }

    private static async Task<IResult> ListPromotions(IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<IPromotionCatalogGrain>(0).List());

    private static async Task<IResult> EndPromotion(string promotionId, IClusterClient cluster) =>
        OutcomeResults.Ok(await cluster.GetGrain<IPromotionCatalogGrain>(0).End(promotionId));

    private static async Task<IResult> CardLookup(string cardNumber, IClusterClient cluster, int? operations)
    {
        var errors = new ValidationErrors();
        var card = Edge.Card(cardNumber, errors);
        if (operations is < 1 or > 100) errors.Add("operations", "Must be between 1 and 100.");
        if (!errors.IsEmpty) return OutcomeResults.Invalid(errors);

        var grain = cluster.GetGrain<ICardGrain>(card!.Value);
        var summary = await grain.GetSummary();
        if (!summary.Succeeded) return OutcomeResults.Problem(summary);
        var recent = await grain.GetRecentOperations(operations ?? 20);
        if (!recent.Succeeded) return OutcomeResults.Problem(recent);
        var registration = await cluster.GetGrain<IMemberGrain>(card.Value).GetRegistration();
        return TypedResults.Ok(CardLookupResponse.From(summary.Value!, registration, recent.Value!));
    }

    private static async Task<IResult> Adjust(string cardNumber, AdjustmentRequest request, ClaimsPrincipal operatorUser,
        IClusterClient cluster)
    {
        var errors = new ValidationErrors();
        var card = Edge.Card(cardNumber, errors);
        if (request.Points is null) errors.Add("points", "Required: positive adds points, negative takes them.");
        if (!errors.IsEmpty) return OutcomeResults.Invalid(errors);
        return OutcomeResults.Created(await cluster.GetGrain<ICardGrain>(card!.Value).Adjust(
            new AdjustPoints(request.AdjustmentId ?? "", new(request.Points!.Value), request.Reason ?? "", operatorUser.CallerId())));
    }

    private static async Task<IResult> ReleaseHolds(string cardNumber, HoldReleaseRequest request, ClaimsPrincipal operatorUser,
        IClusterClient cluster)
    {
        var errors = new ValidationErrors();
        var card = Edge.Card(cardNumber, errors);
        if (!errors.IsEmpty) return OutcomeResults.Invalid(errors);
        Points? points = request.Points is { } some ? new Points(some) : null;
        return OutcomeResults.Created(await cluster.GetGrain<ICardGrain>(card!.Value).ReleaseHeldPoints(
            new ReleaseHeldPoints(request.ReleaseId ?? "", points, operatorUser.CallerId())));
    }

    private static async Task<IResult> Terminate(string cardNumber, TerminationRequest request, IClusterClient cluster)
    {
        var errors = new ValidationErrors();
        var card = Edge.Card(cardNumber, errors);
        if (request.ApplicationReceivedAt is null) errors.Add("applicationReceivedAt", "Required.");
        if (!errors.IsEmpty) return OutcomeResults.Invalid(errors);

        var terminated = await cluster.GetGrain<ICardGrain>(card!.Value)
            .Terminate(new TerminateParticipation(request.ApplicationReceivedAt!.Value, request.Reference ?? ""));
        // Closing the account runs on a replay too, so a termination cut short half-way is completed by retrying it.
        if (terminated.Succeeded) await cluster.GetGrain<IMemberGrain>(card.Value).Close();
        return OutcomeResults.Ok(terminated);
    }

    private static async Task<IResult> Cluster(IClusterClient cluster, TimeProvider time)
    {
        var management = cluster.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false);
        var active = hosts.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloAddress).ToArray();
        var statistics = active.Length == 0 ? [] : await management.GetRuntimeStatistics(active);
        var activations = active.Zip(statistics).ToDictionary(p => p.First, p => p.Second.ActivationCount);
        var silos = hosts
            .Where(h => h.Status != SiloStatus.Dead || h.IAmAliveTime > time.GetUtcNow().UtcDateTime.AddHours(-1))
            .OrderBy(h => h.Status).ThenBy(h => h.SiloName)
            .Select(h => new SiloResponse(h.SiloAddress.ToParsableString(), h.SiloName, h.HostName, h.Status.ToString().ToLowerInvariant(),
                new DateTimeOffset(DateTime.SpecifyKind(h.StartTime, DateTimeKind.Utc)),
                activations.TryGetValue(h.SiloAddress, out var count) ? count : null))
            .ToList();
        return TypedResults.Ok(new ClusterResponse(active.Length, activations.Values.Sum(c => (long)c), silos));
    }

    private static IResult Saved<T, TBody>(Outcome<T> saved, Func<T, TBody> body, Func<T, bool> created) =>
        !saved.Succeeded ? OutcomeResults.Problem(saved)
        : created(saved.Value!) ? TypedResults.Json(body(saved.Value!), statusCode: StatusCodes.Status201Created)
        : TypedResults.Ok(body(saved.Value!));
}
