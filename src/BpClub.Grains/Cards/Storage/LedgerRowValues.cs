using System.Globalization;
using BpClub.Domain.Earning;
using BpClub.Domain.Ledger;

namespace BpClub.Grains.Cards.Storage;

/// <summary>The columns of a ledger row that the history page shows, derived from its event.</summary>
public sealed record LedgerRowValues(
    long Points, decimal? Litres, decimal? Amount, string? StationId, string? OperationId, string? ReceiptId,
    DateTimeOffset? AvailableAt, string Description)
{
    public static LedgerRowValues Of(CardEvent e) => e switch
    {
        CardIssued => new(0, null, null, null, null, null, null, "Card issued"),
        PointsEarned { Source: EarningSource.Station } p
            => new(p.Points.Value, p.Litres.Value == 0 ? null : p.Litres.Value, p.Amount.Uah,
            p.SourceId, p.OperationId, p.OperationId, p.AvailableAt, PurchaseDescription(p)),
        PointsEarned p => new(p.Points.Value, null, p.Amount.Uah, null, p.OperationId, null, p.AvailableAt,
            $"Purchase at partner {p.SourceId}"),
        PointsReleased r => new(r.Points.Value, null, null, null, null, null, r.At, "Points became available"),
        PointsExpired x => new(-x.Points.Value, null, null, null, null, null, null,
            "Unspent points annulled (annual expiry)"),
        LateReceiptAnnulled a => new(-a.Points.Value, null, null, null, a.OperationId, null, null,
            $"Late receipt {a.OperationId}: points annulled, on time they would have met the annual expiry"),
        PointsRedeemed r => new(-r.Points.Value, null, null, r.StationId, r.OperationId, null, null,
            "Paid with points"),
        // The redemption's id goes in receipt_id, where a second reversal of it is looked for.
        RedemptionReversed r => new(r.Points.Value, null, null, r.StationId, r.OperationId, r.RedemptionId, null,
            $"Payment with points {r.RedemptionId} reversed: points returned"),
        PurchaseRefunded r => new(-r.Taken.Value, r.Litres.Value == 0 ? null : -r.Litres.Value, null, r.StationId,
            r.OperationId, r.ReceiptId, null,
            RefundDescription(r)),
        // The transaction's id goes in receipt_id, where its later refunds are looked for.
        PartnerTransactionRefunded r => new(-r.Taken.Value, null, -r.Amount.Uah, null, r.OperationId, r.TransactionId,
            null, PartnerRefundDescription(r)),
        PointsAdjusted a => new(a.Points.Value, null, null, null, a.OperationId, null, null,
            a.Points.Value > 0 ? "Points added by support" : "Points taken by support"),
        // Like 'released', the points that became available: a move from hold, not a change of the total.
        HeldPointsReleasedEarly r => new(r.Points.Value, null, null, null, r.OperationId, null, r.At,
            "Held points released early by support"),
        SpendingSwitched s => new(0, null, null, null, null, null, null,
            s.Enabled ? "Spending switched on" : "Spending switched off"),
        ParticipationTerminated t
            => new(-t.Forfeited.Value, null, null, null, null, null, null,
                "Participation terminated; remaining points forfeited"),
        ReplacementStarted r => new(-r.Moved.Total(), null, null, null, r.TransferId, null, null,
            $"Card replaced: {r.Moved.Total()} points moving to the new card ending {r.NewCard[^4..]}"),
        TransferReceived r => new(r.Moved.Total(), null, null, null, r.TransferId, null, null,
            $"Points moved from the replaced card ending {r.OldCard[^4..]}"),
        ReplacementCompleted r => new(0, null, null, null, r.TransferId, null, null,
            $"Card closed: replaced by the card ending {r.NewCard[^4..]}"),
        ReplacementAborted r => new(r.Restored.Total(), null, null, null, r.TransferId, null, null,
            $"Replacement abandoned ({r.Reason}): points back on this card"),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Unknown card event."),
    };

    /// <summary>What the refund took and from where; points annulled before are named, and not taken again.</summary>
    private static string RefundDescription(PurchaseRefunded r)
    {
        var parts = new List<string>();
        if (r.FromHold.Value != 0) parts.Add($"{r.FromHold.Value} from points on hold");
        if (r.FromAvailable.Value != 0) parts.Add($"{r.FromAvailable.Value} from available points");
        if (r.FromAnnulled.Value != 0)
            parts.Add($"{r.FromAnnulled.Value} annulled already " +
                (r.AnnulledLate ? "as a late receipt" : "by the annual expiry") + ", not taken again");
        return parts.Count == 0 ? $"Refund of receipt {r.ReceiptId}"
            : $"Refund of receipt {r.ReceiptId}: {string.Join("; ", parts)}";
    }

    private static string PartnerRefundDescription(PartnerTransactionRefunded r)
    {
        var parts = new List<string>();
        if (r.FromHold.Value != 0) parts.Add($"{r.FromHold.Value} from points on hold");
        if (r.FromAvailable.Value != 0) parts.Add($"{r.FromAvailable.Value} from available points");
        if (r.FromAnnulled.Value != 0)
            parts.Add($"{r.FromAnnulled.Value} annulled already " +
                (r.AnnulledLate ? "as a late transaction" : "by the annual expiry") + ", not taken again");
        var head = $"Refund at partner {r.PartnerId} of transaction {r.TransactionId}";
        return parts.Count == 0 ? head : $"{head}: {string.Join("; ", parts)}";
    }

    private static string PurchaseDescription(PointsEarned p)
    {
        var parts = new List<string>();
        if (p.Litres.Value > 0)
            parts.Add(string.Join(", ", p.Lines.Where(l => l.Type == LineType.Fuel)
                .GroupBy(l => l.ProductCode)
                .Select(g =>
                    $"{g.Key} {g.Sum(l => l.Litres.Value).ToString("0.###", CultureInfo.InvariantCulture)} L")));
        var shop = p.Lines.Count(l => l.Type == LineType.Shop);
        if (shop > 0) parts.Add(shop == 1 ? "1 shop item" : $"{shop} shop items");
        return parts.Count == 0 ? "Purchase" : string.Join("; ", parts);
    }
}
