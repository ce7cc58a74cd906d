using BpClub.Domain.Ledger;

namespace BpClub.Domain.Tests.Ledger;

public sealed class RedemptionTests
{
    private static CardUnderTest CardWithAvailable(decimal litres)
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 1));
        card.BuyFuel(litres);
        card.Advance(TimeSpan.FromDays(15));
        return card;
    }

    [Fact]
    public void Redemption_is_refused_until_spending_is_switched_on()
    {
        var card = CardWithAvailable(50m);

        var refused = card.Redeem(10);

        Assert.Equal(RejectionKind.RuleViolated, refused.Rejection!.Kind);
        Assert.Contains("switched off", refused.Rejection.Detail);
        card.SwitchSpendingOn();
        Assert.False(card.Redeem(10).IsRejected);
        Assert.Equal(40, card.Balance.Available.Value);
    }

    [Fact]
    public void Redemption_is_refused_beyond_the_available_balance()
    {
        var card = CardWithAvailable(50m);
        card.BuyFuel(30m); // on hold: not spendable
        card.SwitchSpendingOn();

        var refused = card.Redeem(51);

        Assert.Equal(RejectionKind.RuleViolated, refused.Rejection!.Kind);
        Assert.Equal((50L, 30L), (card.Balance.Available.Value, card.Balance.OnHold.Value));
        Assert.False(card.Redeem(50).IsRejected);
        Assert.Equal((0L, 30L), (card.Balance.Available.Value, card.Balance.OnHold.Value));
    }

    [Fact]
    public void A_rejected_command_leaves_the_account_untouched()
    {
        var card = CardWithAvailable(50m);
        var before = card.Account.ToState();
        var ledger = card.Ledger.Count;

        card.Redeem(10);

        Assert.Equivalent(before, card.Account.ToState(), strict: true);
        Assert.Equal(ledger, card.Ledger.Count);
    }

    [Fact]
    public void Switching_spending_to_what_it_is_already_records_nothing()
    {
        var card = CardWithAvailable(50m);
        card.SwitchSpendingOn();
        var ledger = card.Ledger.Count;

        card.SwitchSpendingOn();

        Assert.Equal(ledger, card.Ledger.Count);
        card.Run(a => a.SwitchSpending(false, card.Now));
        Assert.False(card.Account.SpendingEnabled);
        Assert.True(card.Redeem(1).IsRejected);
    }
}
