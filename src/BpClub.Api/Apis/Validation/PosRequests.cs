using System.Diagnostics.CodeAnalysis;

namespace BpClub.Api.Apis;

/// <summary>The stations' request bodies (docs/api.md, "POS"), each parsed once into a command for a card.</summary>
public static class PosRequests
{
    public static bool TryParse(this IssueCardRequest request, string? cardNumber, string stationId,
        out ForCard<IssueCard> issue, [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors =>
        {
            var card = Edge.Card(cardNumber, errors);
            var phone = Edge.Phone(request.Phone, errors, required: false);
            if (request.Consent is null)
                errors.Add("consent", "Required: the member must consent to the programme rules.");
            return new ForCard<IssueCard>(card!, new IssueCard(request.FirstName ?? "", request.LastName ?? "",
                phone, request.BirthDate, request.Consent ?? false, stationId));
        }, out issue, out problem);

    /// <summary>A purchase to record, or to quote: the same body and checks.</summary>
    public static bool TryParse(this PurchaseRequest request, string stationId, out ForCard<RecordPurchase> purchase,
        [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors => new ForCard<RecordPurchase>(Edge.Card(request.CardNumber, errors)!,
            Edge.Purchase(request, stationId, errors)!), out purchase, out problem);

    public static bool TryParse(this RedemptionRequest request, string stationId,
        out ForCard<RedeemPoints> redemption, [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors =>
        {
            var card = Edge.Card(request.CardNumber, errors);
            if (request.Points is null) errors.Add("points", "Required.");
            return new ForCard<RedeemPoints>(card!,
                new RedeemPoints(request.RedemptionId ?? "", stationId, new(request.Points ?? 0)));
        }, out redemption, out problem);

    public static bool TryParse(this RedemptionReversalRequest request, string stationId,
        out ForCard<ReverseRedemption> reversal, [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors => new ForCard<ReverseRedemption>(Edge.Card(request.CardNumber, errors)!,
            new ReverseRedemption(request.ReversalId ?? "", request.RedemptionId ?? "", stationId)),
            out reversal, out problem);

    public static bool TryParse(this RefundRequest request, string stationId, out ForCard<RefundPurchase> refund,
        [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors => new ForCard<RefundPurchase>(Edge.Card(request.CardNumber, errors)!,
            new RefundPurchase(request.RefundId ?? "", request.ReceiptId ?? "", stationId, request.Lines ?? [])),
            out refund, out problem);
}
