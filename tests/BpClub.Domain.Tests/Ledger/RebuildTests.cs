using BpClub.Domain.Earning;
using BpClub.Domain.Ledger;

namespace BpClub.Domain.Tests.Ledger;

/// <summary>The grain keeps a snapshot and rebuilds from it plus the ledger entries after it.</summary>
public sealed class RebuildTests
{
    private static CardUnderTest BusyCard()
    {
        var card = new CardUnderTest(Kyiv.At(2026, 1, 20));
        for (var day = 0; day < 150; day++)
        {
            var purchase = card.Buy(PurchaseLine.Fuel("A95", 7.5m + day % 5, 500m), PurchaseLine.Shop("coffee", 45m));
            if (day % 7 == 3) card.Refund(purchase, 1);
            if (day == 20) card.SwitchSpendingOn();
            if (day > 20 && day % 4 == 0 && card.Balance.Available.Value > 10) card.Redeem(10);
            card.Advance(TimeSpan.FromHours(23));
        }
        return card;
    }

    [Fact]
    public void Replaying_the_ledger_from_scratch_rebuilds_the_same_state()
    {
        var card = BusyCard();

        var rebuilt = new CardAccount(card.Rules);
        foreach (var e in card.Ledger) rebuilt.Apply(e);

        Assert.Equivalent(card.Account.ToState(), rebuilt.ToState(), strict: true);
        Assert.Equal(card.Balance, rebuilt.BalanceAt(card.Now));
        Assert.Equal(card.Tier, rebuilt.TierAt(card.Now));
    }

    [Fact]
    public void Snapshot_plus_later_entries_rebuilds_the_same_state()
    {
        var card = BusyCard();
        var half = card.Ledger.Count / 2;
        var early = new CardAccount(card.Rules);
        foreach (var e in card.Ledger.Take(half)) early.Apply(e);

        var rebuilt = new CardAccount(card.Rules, early.ToState());
        foreach (var e in card.Ledger.Skip(half)) rebuilt.Apply(e);

        Assert.Equivalent(card.Account.ToState(), rebuilt.ToState(), strict: true);
    }

    [Fact]
    public void Snapshot_stays_small_however_long_the_history()
    {
        var card = BusyCard();

        var state = card.Account.ToState();

        Assert.True(card.Ledger.Count > 300);
        Assert.True(state.Lots.Count <= 15, $"{state.Lots.Count} open lots"); // one per purchase still on hold
        Assert.True(state.MonthLitres.Count <= 3, $"{state.MonthLitres.Count} months of litres");
    }
}
