using BpClub.Domain.Ledger;
using BpClub.Domain.Units;

namespace BpClub.Domain.Tests.Ledger;

public sealed class PartnerRefundTests
{
    /// <summary>A refund as the grain runs it: with the partner's earlier refunds and the transaction's
    /// annulment read from the ledger.</summary>
    private static Decision Refund(CardUnderTest card, PointsEarned transaction, decimal? amount = null,
        string partner = "cafe") =>
        card.Run(a => a.RefundPartner($"pr-{card.Ledger.Count}", partner, transaction,
            card.Ledger.OfType<PartnerTransactionRefunded>().ToList(), amount is { } uah ? new Money(uah) : null,
            card.Now, card.Ledger.OfType<LateReceiptAnnulled>()
                .FirstOrDefault(l => l.OperationId == transaction.OperationId)));

    private static PartnerTransactionRefunded Refunded(Decision decision) =>
        CardUnderTest.Must(decision).Events.OfType<PartnerTransactionRefunded>().Single();

    [Fact]
    public void Refund_of_a_whole_transaction_on_hold_takes_its_points_off_the_hold()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        var transaction = card.BuyAtPartner(1000m);

        var refund = Refunded(Refund(card, transaction));

        Assert.Equal((100L, 0L, 1000m), (refund.FromHold.Value, refund.FromAvailable.Value, refund.Amount.Uah));
        Assert.Equal((0L, 0L), (card.Balance.Total.Value, card.Balance.OnHold.Value));
        Assert.Null(card.Account.NextDueAt());
    }

    [Fact]
    public void Partial_refunds_take_back_in_proportion_and_all_of_them_exactly_what_was_earned()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        var transaction = card.BuyAtPartner(999.90m); // 99 points

        var first = Refunded(Refund(card, transaction, 333.30m));
        var second = Refunded(Refund(card, transaction, 333.30m));
        var rest = Refunded(Refund(card, transaction));

        Assert.Equal((33L, 33L, 33L), (first.Total.Value, second.Total.Value, rest.Total.Value));
        Assert.Equal(333.30m, rest.Amount.Uah);
        Assert.Equal(0, card.Balance.Total.Value);
    }

    [Fact]
    public void Rounding_never_takes_more_than_the_transaction_earned()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        var transaction = card.BuyAtPartner(25m); // 2.5 points earn 2
        var other = card.BuyAtPartner(100m);

        var taken = Enumerable.Range(0, 5).Sum(_ => Refunded(Refund(card, transaction, 5m)).Total.Value);

        Assert.Equal(2, taken);
        Assert.Equal(other.Points.Value, card.Balance.Total.Value);
    }

    [Fact]
    public void A_refund_larger_than_what_is_left_is_refused_and_changes_nothing()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        var transaction = card.BuyAtPartner(1000m);
        Refunded(Refund(card, transaction, 600m));

        var refused = Refund(card, transaction, 400.01m);

        Assert.Equal(RejectionKind.RuleViolated, refused.Rejection!.Kind);
        Assert.Contains("400.00 UAH", refused.Rejection.Detail);
        Assert.Equal(40, card.Balance.Total.Value);
    }

    [Fact]
    public void A_transaction_refunded_in_full_cannot_be_refunded_again()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        var transaction = card.BuyAtPartner(1000m);
        card.BuyAtPartner(500m);
        Refunded(Refund(card, transaction));

        Assert.Equal(RejectionKind.RuleViolated, Refund(card, transaction).Rejection!.Kind);
        Assert.Equal(RejectionKind.RuleViolated, Refund(card, transaction, 1m).Rejection!.Kind);
        Assert.Equal(50, card.Balance.Total.Value);
    }

    [Fact]
    public void Another_partner_cannot_refund_the_transaction()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        var transaction = card.BuyAtPartner(1000m);

        var refused = Refund(card, transaction, partner: "bakery");

        Assert.Equal(RejectionKind.ReceiptNotFound, refused.Rejection!.Kind);
        Assert.Equal(100, card.Balance.Total.Value);
    }

    [Fact]
    public void Refund_of_points_already_spent_leaves_a_negative_available_balance_as_a_stations_does()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        var transaction = card.BuyAtPartner(1000m);
        card.Advance(TimeSpan.FromDays(15));
        card.SwitchSpendingOn();
        CardUnderTest.Must(card.Redeem(80));

        var refund = Refunded(Refund(card, transaction));

        Assert.Equal((0L, 100L), (refund.FromHold.Value, refund.FromAvailable.Value));
        Assert.Equal(-80, card.Balance.Available.Value);
        Assert.True(card.Redeem(1).IsRejected);
    }

    [Fact]
    public void Points_the_annual_expiry_annulled_are_not_taken_again()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 5, 10));
        var transaction = card.BuyAtPartner(1000m); // available from 24 May, annulled on 1 June
        card.AdvanceTo(Kyiv.At(2026, 6, 5));
        card.BuyAtPartner(200m);

        var refund = Refunded(Refund(card, transaction));

        Assert.Equal((0L, 0L, 100L), (refund.FromHold.Value, refund.FromAvailable.Value, refund.FromAnnulled.Value));
        Assert.Equal((0L, 20L), (card.Balance.Available.Value, card.Balance.OnHold.Value));
    }

    [Fact]
    public void A_late_transaction_annulled_as_recorded_is_refunded_without_taking_anything()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 6, 5));
        var transaction = card.BuyAtPartner(1000m, Kyiv.At(2026, 5, 10));
        Assert.Equal(0, card.Balance.Total.Value);

        var refund = Refunded(Refund(card, transaction));

        Assert.Equal((0L, 0L, 100L), (refund.FromHold.Value, refund.FromAvailable.Value, refund.FromAnnulled.Value));
        Assert.True(refund.AnnulledLate);
        Assert.Equal(0, card.Balance.Available.Value);
    }

    [Fact]
    public void A_rebuilt_account_agrees_with_the_one_that_refunded()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        var transaction = card.BuyAtPartner(1000m);
        Refunded(Refund(card, transaction, 250m));

        var rebuilt = new CardAccount(card.Rules);
        foreach (var e in card.Ledger) rebuilt.Apply(e);

        Assert.Equal(card.Balance, rebuilt.BalanceAt(card.Now));
        Assert.Equal(75, rebuilt.BalanceAt(card.Now).OnHold.Value);
    }
}
