using BpClub.Domain.Units;

namespace BpClub.Domain.Ledger;

/// <summary>Where the points a refund takes back come from: its lot on hold, an annulment, the balance.</summary>
internal readonly record struct RefundShares(Points FromHold, Points FromAvailable, Points FromAnnulled,
    DateTimeOffset? AnnulledOn, bool AnnulledLate);

public sealed partial class CardAccount
{
    /// <summary>
    /// Splits the <paramref name="reversed"/> points of a refund, of a station's receipt or a partner's transaction
    /// whose lot came (or comes) off hold at <paramref name="availableAt"/>: points still on hold come from that lot;
    /// points annulled already, as a late receipt (<paramref name="lateAnnulled"/>, less what earlier refunds matched
    /// of it, <paramref name="matchedLate"/>) or by the annual expiry that met them, are not taken again; only the
    /// rest comes from the available balance.
    /// </summary>
    private RefundShares ShareRefund(CardAccount account, Points reversed, DateTimeOffset availableAt,
        LateReceiptAnnulled? lateAnnulled, Points matchedLate, DateTimeOffset now)
    {
        // A late receipt's annulled points left its lot as it was recorded: none of them is on hold.
        var stillHeld = availableAt > now && lateAnnulled is null
            ? new Points(account._lots.TryGetValue(availableAt, out var held) ? held : 0)
            : Points.Zero;
        var fromHold = Points.Min(reversed, stillHeld);
        var rest = reversed - fromHold;
        var fromAnnulled = Points.Zero;
        DateTimeOffset? annulledOn = null;
        if (lateAnnulled is not null)
        {
            fromAnnulled = Points.Min(rest, Points.Max(lateAnnulled.Points - matchedLate, Points.Zero));
            annulledOn = lateAnnulled.ExpiryAt;
        }
        else if (availableAt <= now
            && _calendar.NextExpiryAfter(availableAt - TimeSpan.FromTicks(1)) is { } expiry && expiry <= now
            && account._annulled.TryGetValue(expiry, out var pool))
        {
            // The expiry that met the points (one released at its very instant included).
            fromAnnulled = Points.Min(rest, new Points(pool));
            annulledOn = expiry;
        }
        return new RefundShares(fromHold, rest - fromAnnulled, fromAnnulled,
            fromAnnulled > Points.Zero ? annulledOn : null, fromAnnulled > Points.Zero && lateAnnulled is not null);
    }
}
