using BpClub.Domain.Earning;
using BpClub.Domain.Ledger;

namespace BpClub.Domain.Tests.Ledger;

public sealed class RefundTests
{
    private static readonly PurchaseLine Fuel = PurchaseLine.Fuel("A95", 30m, 1650m);
    private static readonly PurchaseLine Coffee = PurchaseLine.Shop("coffee", 100m);

    [Fact]
    public void Refund_of_a_whole_receipt_still_on_hold_takes_the_points_from_the_hold()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        var purchase = card.Buy(Fuel, Coffee);

        var refund = (PurchaseRefunded)CardUnderTest.Must(card.Refund(purchase)).Events.Single();

        Assert.Equal((35L, 0L), (refund.FromHold.Value, refund.FromAvailable.Value));
        Assert.Equal((0L, 0L), (card.Balance.Total.Value, card.Balance.OnHold.Value));
        Assert.Null(card.Account.NextDueAt());
    }

    [Fact]
    public void Refund_of_a_receipt_already_available_takes_the_points_from_available()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        var purchase = card.Buy(Fuel, Coffee);
        card.Advance(TimeSpan.FromDays(15));
        card.BuyFuel(10m);

        var refund = (PurchaseRefunded)CardUnderTest.Must(card.Refund(purchase)).Events.OfType<PurchaseRefunded>().Single();

        Assert.Equal((0L, 35L), (refund.FromHold.Value, refund.FromAvailable.Value));
        Assert.Equal((0L, 10L), (card.Balance.Available.Value, card.Balance.OnHold.Value));
    }

    [Fact]
    public void Refund_of_points_already_spent_leaves_a_negative_available_balance()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        var purchase = card.BuyFuel(40m);
        card.Advance(TimeSpan.FromDays(15));
        card.SwitchSpendingOn();
        CardUnderTest.Must(card.Redeem(30));

        CardUnderTest.Must(card.Refund(purchase));

        Assert.Equal(-30, card.Balance.Available.Value);
        Assert.True(card.Redeem(1).IsRejected);
    }

    [Fact]
    public void Refund_of_some_lines_takes_back_only_their_points_and_litres()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        var purchase = card.Buy(Fuel, Coffee, PurchaseLine.Fuel("DP", 20m, 1100m));

        var refund = (PurchaseRefunded)CardUnderTest.Must(card.Refund(purchase, 2)).Events.Single();

        Assert.Equal((20L, 20m), (refund.Total.Value, refund.Litres.Value));
        Assert.Equal([2], refund.Lines);
        Assert.Equal(35, card.Balance.Total.Value);
        Assert.Equal(30m, card.Tier.QualifyingLitres.Value);
    }

    [Fact]
    public void Whole_receipt_refund_after_a_partial_one_takes_back_the_rest()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        var purchase = card.Buy(Fuel, Coffee);
        CardUnderTest.Must(card.Refund(purchase, 1));

        var rest = (PurchaseRefunded)CardUnderTest.Must(card.Refund(purchase)).Events.Single();

        Assert.Equal([0], rest.Lines);
        Assert.Equal(0, card.Balance.Total.Value);
        Assert.Equal(0m, card.Tier.QualifyingLitres.Value);
    }

    [Fact]
    public void Refund_of_lines_already_refunded_is_refused()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        var purchase = card.Buy(Fuel, Coffee);
        CardUnderTest.Must(card.Refund(purchase, 0));

        Assert.Equal(RejectionKind.RuleViolated, card.Refund(purchase, 0).Rejection!.Kind);
        CardUnderTest.Must(card.Refund(purchase));
        Assert.Equal(RejectionKind.RuleViolated, card.Refund(purchase).Rejection!.Kind);
    }

    [Fact]
    public void Refund_of_a_line_the_receipt_does_not_have_is_refused()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        var purchase = card.Buy(Fuel, Coffee);

        var refused = card.Refund(purchase, 2);

        Assert.Equal(RejectionKind.RuleViolated, refused.Rejection!.Kind);
        Assert.Equal(35, card.Balance.Total.Value);
    }

    [Fact]
    public void Refund_of_a_purchase_sharing_its_release_instant_with_another_takes_only_its_own_points()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        var first = card.BuyFuel(40m);
        card.BuyFuel(25m); // same instant, same lot

        CardUnderTest.Must(card.Refund(first));

        Assert.Equal((0L, 25L), (card.Balance.Available.Value, card.Balance.OnHold.Value));
        card.Advance(TimeSpan.FromDays(14));
        Assert.Equal(25, card.Balance.Available.Value);
    }

    [Fact]
    public void Refunds_of_the_same_receipt_number_from_two_stations_are_kept_apart()
    {
        // Tills number their receipts themselves, so two stations can both print receipt 1001.
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        PointsEarned BuyAt(string station) => CardUnderTest.Must(card.Run(a =>
                a.Accrue(new Purchase("1001", station, card.Now, PaymentMethod.Cash, [Fuel]), [], card.Now)))
            .Events.OfType<PointsEarned>().Single();
        var first = BuyAt("st-1");
        var second = BuyAt("st-2");
        CardUnderTest.Must(card.Refund(first));

        var refund = CardUnderTest.Must(card.Refund(second)).Events.OfType<PurchaseRefunded>().Single();

        Assert.Equal(("1001", "st-2", 30L), (refund.ReceiptId, refund.PurchaseStationId, refund.Total.Value));
        Assert.Equal(0, card.Balance.Total.Value);
    }
}
