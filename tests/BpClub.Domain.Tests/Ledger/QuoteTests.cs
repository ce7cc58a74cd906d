using BpClub.Domain.Earning;
using BpClub.Domain.Ledger;

namespace BpClub.Domain.Tests.Ledger;

public sealed class QuoteTests
{
    private static readonly PurchaseLine[] MixedReceipt =
        [PurchaseLine.Fuel("A95", 30.5m, 1800m), PurchaseLine.Shop("coffee", 130m)];

    private static Purchase Receipt(CardUnderTest card, DateTimeOffset? occurredAt = null) =>
        new("quoted", "st-1", occurredAt ?? card.Now, PaymentMethod.BpClubCard, MixedReceipt);

    private static PurchaseEarning Quoted(CardUnderTest card, Purchase purchase)
    {
        var quote = card.Account.Quote(purchase, card.Promotions);
        Assert.Null(quote.Rejection);
        return quote.Earning!;
    }

    [Fact]
    public void Quote_is_what_the_purchase_then_earns_with_the_same_breakdown()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        card.BuyFuel(120m); // Gold: 2 points a litre
        card.Promotions.Add(new Promotion("coffee-x2", "Coffee", Kyiv.At(2026, 3, 1), Kyiv.At(2026, 4, 1),
            Categories: new HashSet<string> { "coffee" }, Multiplier: 2m));

        var quote = Quoted(card, Receipt(card));
        var earned = card.Buy(PaymentMethod.BpClubCard, card.Now, MixedReceipt);

        // 30.5 L × 2 + 30.5 × 1 (paying with the card) + 130 / 20 + 6.5 (coffee doubled) = 104.5 → 104.
        Assert.Equal(104, quote.Total.Value);
        Assert.Equal(earned.Points, quote.Total);
        Assert.Equal(earned.Breakdown, quote.Breakdown);
    }

    [Fact]
    public void Quote_records_nothing_and_changes_nothing()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        card.BuyFuel(40m);
        var (ledger, balance, tier) = (card.Ledger.Count, card.Balance, card.Tier);

        Quoted(card, Receipt(card));

        Assert.Equal(ledger, card.Ledger.Count);
        Assert.Equal(balance, card.Balance);
        Assert.Equal(tier, card.Tier);
        Assert.Equal(40m, card.Account.TierAt(card.Now).QualifyingLitres.Value);
    }

    [Fact]
    public void Quote_rates_a_late_receipt_at_the_level_of_its_own_month()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 20));
        card.BuyFuel(110m); // Gold for the rest of March and all of April
        card.AdvanceTo(Kyiv.At(2026, 5, 3));

        var fromApril = Quoted(card, new Purchase("late", "st-1", Kyiv.At(2026, 4, 29), PaymentMethod.Cash,
            [PurchaseLine.Fuel("A95", 10m, 600m)]));
        var now = Quoted(card, new Purchase("now", "st-1", card.Now, PaymentMethod.Cash,
            [PurchaseLine.Fuel("A95", 10m, 600m)]));

        Assert.Equal((20L, 10L), (fromApril.Total.Value, now.Total.Value));
    }

    [Fact]
    public void Quote_on_a_terminated_card_is_refused_and_on_a_card_never_issued_not_found()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 10));
        CardUnderTest.Must(card.Run(a => a.Terminate(card.Now)));
        var never = new CardAccount(CardUnderTest.DefaultRules());

        Assert.Equal(RejectionKind.RuleViolated, card.Account.Quote(Receipt(card), []).Rejection?.Kind);
        Assert.Equal(RejectionKind.NotIssued, never.Quote(Receipt(card), []).Rejection?.Kind);
        Assert.Null(never.Quote(Receipt(card), []).Earning);
    }
}
