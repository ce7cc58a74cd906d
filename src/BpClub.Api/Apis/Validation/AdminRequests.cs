using System.Diagnostics.CodeAnalysis;
using BpClub.Domain.Units;

namespace BpClub.Api.Apis;

/// <summary>The operators' request bodies (docs/api.md, "Operators"), each parsed once into a command.</summary>
public static class AdminRequests
{
    /// <summary>Name and address are the station grain's to check; the id is the path's.</summary>
    public static bool TryParse(this StationRequest request, string stationId,
        out (string Name, string Address) station, [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors =>
        {
            if (!ApiKeys.IsValidId(stationId)) errors.Add("stationId", ApiKeys.InvalidId);
            return (request.Name ?? "", request.Address ?? "");
        }, out station, out problem);

    public static bool TryParse(this PartnerRequest request, string partnerId, out (string Name, decimal Rate) partner,
        [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors =>
        {
            if (!ApiKeys.IsValidId(partnerId)) errors.Add("partnerId", ApiKeys.InvalidId);
            if (request.PointsPerUah is null) errors.Add("pointsPerUah", "Required.");
            return (request.Name ?? "", request.PointsPerUah ?? 0m);
        }, out partner, out problem);

    public static bool TryParse(this PromotionRequest request, string promotionId, out PromotionModel promotion,
        [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors =>
        {
            if (request.StartsAt is null) errors.Add("startsAt", "Required.");
            if (request.EndsAt is null) errors.Add("endsAt", "Required.");
            return new PromotionModel(promotionId, request.Name ?? "", request.StartsAt ?? default,
                request.EndsAt ?? default, request.StationIds, request.ProductCodes, request.Categories,
                request.Multiplier, request.BonusPoints, request.Levels);
        }, out promotion, out problem);

    /// <summary>Support's look-up: the card and how many of its last operations (20 when left out).</summary>
    public static bool TryParseLookup(string? cardNumber, int? operations, out ForCard<int> lookup,
        [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors =>
        {
            var card = Edge.Card(cardNumber, errors);
            if (operations is < 1 or > 100) errors.Add("operations", "Must be between 1 and 100.");
            return new ForCard<int>(card!, operations ?? 20);
        }, out lookup, out problem);

    public static bool TryParse(this AdjustmentRequest request, string? cardNumber, string operatorId,
        out ForCard<AdjustPoints> adjustment, [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors =>
        {
            var card = Edge.Card(cardNumber, errors);
            if (request.Points is null) errors.Add("points", "Required: positive adds points, negative takes them.");
            return new ForCard<AdjustPoints>(card!, new AdjustPoints(request.AdjustmentId ?? "",
                new Points(request.Points ?? 0), request.Reason ?? "", operatorId));
        }, out adjustment, out problem);

    public static bool TryParse(this HoldReleaseRequest request, string? cardNumber, string operatorId,
        out ForCard<ReleaseHeldPoints> release, [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors => new ForCard<ReleaseHeldPoints>(Edge.Card(cardNumber, errors)!,
            new ReleaseHeldPoints(request.ReleaseId ?? "", request.Points is { } some ? new Points(some) : null,
                operatorId)), out release, out problem);

    public static bool TryParse(this TerminationRequest request, string? cardNumber,
        out ForCard<TerminateParticipation> termination, [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors =>
        {
            var card = Edge.Card(cardNumber, errors);
            if (request.ApplicationReceivedAt is null) errors.Add("applicationReceivedAt", "Required.");
            return new ForCard<TerminateParticipation>(card!,
                new TerminateParticipation(request.ApplicationReceivedAt ?? default, request.Reference ?? ""));
        }, out termination, out problem);

    public static bool TryParse(this OperatorReplacementRequest request, string? cardNumber, string operatorId,
        out ForCard<ReplaceCard> replacement, [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors =>
        {
            var card = Edge.Card(cardNumber, errors);
            var next = Edge.Card(request.NewCardNumber, errors, "newCardNumber");
            if (card is not null && next is not null && card.Value == next.Value)
                errors.Add("newCardNumber", ReplaceCard.AnotherCard);
            return new ForCard<ReplaceCard>(card!, new ReplaceCard(next?.Value ?? "", operatorId));
        }, out replacement, out problem);
}
