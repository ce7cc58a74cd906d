using System.Globalization;
using BpClub.Domain.Units;

namespace BpClub.Domain.Ledger;

public sealed partial class CardAccount
{
    /// <summary>
    /// Takes back the points of a partner transaction returned for <paramref name="amount"/> of its money, or for all
    /// that is left of it when null: what the money refunded so far earned, rounded down, less what the earlier
    /// refunds took, so that refunding all of it, in any number of steps, takes back exactly what it earned.
    /// </summary>
    /// <remarks>
    /// As for a station's refund (<see cref="Refund"/>): points still on hold come from the transaction's lot; points
    /// annulled already (as a late transaction, or by an annual expiry that has passed since they came off hold) are
    /// not taken again; only the rest comes from the available balance, which may then go below zero.
    /// </remarks>
    public Decision RefundPartner(string refundId, string partnerId, PointsEarned transaction,
        IReadOnlyCollection<PartnerTransactionRefunded> earlierRefunds, Money? amount, DateTimeOffset now,
        LateReceiptAnnulled? lateAnnulled = null) =>
        WhenActive() ?? Decide(now, account =>
        {
            if (transaction.Source != EarningSource.Partner || transaction.SourceId != partnerId)
                return Decision.Reject(RejectionKind.ReceiptNotFound,
                    "This partner has no such transaction on this card.");
            var earlier = earlierRefunds.Where(r => r.Refunds(transaction)).ToList();
            var refundedBefore = earlier.Aggregate(Money.Zero, (sum, r) => sum + r.Amount);
            var left = new Money(transaction.Amount.Uah - refundedBefore.Uah);
            if (left <= Money.Zero)
                return Decision.Reject(RejectionKind.RuleViolated, "This transaction has been refunded in full.");
            var refunding = amount ?? left;
            if (refunding > left)
                return Decision.Reject(RejectionKind.RuleViolated,
                    "Only " + left.Uah.ToString("0.00", CultureInfo.InvariantCulture)
                    + " UAH of this transaction is left to refund.");

            var refundedAfter = refundedBefore + refunding;
            var earnedAfter = refundedAfter >= transaction.Amount ? transaction.Points
                : new Points((long)Math.Floor(transaction.Points.Value * refundedAfter.Uah / transaction.Amount.Uah));
            var takenBefore = earlier.Aggregate(Points.Zero, (sum, r) => sum + r.Total);
            var reversed = Points.Max(earnedAfter - takenBefore, Points.Zero);

            var matchedLate = earlier.Where(r => r.AnnulledLate)
                .Aggregate(Points.Zero, (sum, r) => sum + r.FromAnnulled);
            var share = ShareRefund(account, reversed, transaction.AvailableAt, lateAnnulled, matchedLate, now);
            return Record(new PartnerTransactionRefunded(now, refundId, transaction.OperationId, partnerId, refunding,
                share.FromHold, transaction.AvailableAt, share.FromAvailable, share.FromAnnulled, share.AnnulledOn,
                share.AnnulledLate));
        });
}
