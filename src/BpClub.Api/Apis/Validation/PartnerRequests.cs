using System.Diagnostics.CodeAnalysis;

namespace BpClub.Api.Apis;

/// <summary>The partners' request bodies (docs/api.md, "Partners"), each parsed once into a command.</summary>
public static class PartnerRequests
{
    /// <param name="rate">The partner's points per UAH, from its key: the server's, never the caller's.</param>
    public static bool TryParse(this PartnerAccrualRequest request, string partnerId, decimal rate,
        out ForCard<RecordPartnerPurchase> accrual, [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors =>
        {
            var card = Edge.Card(request.CardNumber, errors);
            if (request.Amount is null) errors.Add("amount", "Required.");
            return new ForCard<RecordPartnerPurchase>(card!, new RecordPartnerPurchase(
                request.PartnerTransactionId ?? "", partnerId, rate, new(Edge.Normalized(request.Amount ?? 0m)),
                Edge.Utc(request.OccurredAt)));
        }, out accrual, out problem);

    /// <summary>No card: the card is the one the partner recorded the transaction on.</summary>
    public static bool TryParse(this PartnerRefundRequest request, string partnerId,
        out RefundPartnerTransaction refund, [NotNullWhen(false)] out ValidationProblem? problem) =>
        Parsing.TryParse(errors =>
        {
            errors.RequireId("partnerRefundId", request.PartnerRefundId);
            errors.RequireId("partnerTransactionId", request.PartnerTransactionId);
            // Checked here too, not only by the card: input this bad is a 400 whether or not the transaction exists.
            if (request.Amount is <= 0m) errors.Add("amount", "Must be greater than zero, or left out for all of it.");
            else if (request.Amount is { } some && decimal.Round(some, 2) != some)
                errors.Add("amount", "At most two decimals.");
            return new RefundPartnerTransaction(request.PartnerRefundId ?? "", request.PartnerTransactionId ?? "",
                partnerId, request.Amount is { } amount ? new(Edge.Normalized(amount)) : null);
        }, out refund, out problem);
}
