using BpClub.Domain.Earning;
using BpClub.Domain.Ledger;
using BpClub.Domain.Units;

namespace BpClub.Domain.Tests.Ledger;

public sealed class TerminationTests
{
    private static CardUnderTest TerminatedCard(out ParticipationTerminated terminated, out PointsEarned purchase)
    {
        var card = new CardUnderTest(Kyiv.At(2026, 3, 1));
        purchase = card.BuyFuel(40m);
        card.Advance(TimeSpan.FromDays(15));
        card.BuyFuel(25m);
        card.SwitchSpendingOn();
        terminated = (ParticipationTerminated)CardUnderTest.Must(card.Run(a => a.Terminate(card.Now)))
            .Events.Single();
        return card;
    }

    [Fact]
    public void Terminate_forfeits_available_and_held_points_with_a_ledger_entry()
    {
        var card = TerminatedCard(out var terminated, out _);

        Assert.Equal(65L, terminated.Forfeited.Value);
        Assert.Equal((0L, 0L), (card.Balance.Available.Value, card.Balance.OnHold.Value));
        Assert.Equal(CardStatus.Terminated, card.Account.Status);
        Assert.Equal(card.Now, card.Account.TerminatedAt);
        Assert.Null(card.Account.NextDueAt());
    }

    [Fact]
    public void Every_command_after_termination_is_refused()
    {
        var card = TerminatedCard(out _, out var purchase);
        var ledger = card.Ledger.Count;
        var now = card.Now;

        Decision[] attempts =
        [
            card.Account.Accrue(
                new Purchase("r-x", "st-1", now, PaymentMethod.Cash, [PurchaseLine.Fuel("A95", 10m, 550m)]), [], now),
            card.Account.Accrue(new PartnerPurchase("p-x", "cafe", now, new Money(100m), 0.1m), now),
            card.Account.Redeem("x", "st-1", new Points(1), now),
            card.Account.Refund("x", "st-1", purchase, [], new HashSet<int>(), now),
            card.Account.SwitchSpending(false, now),
            card.Account.Terminate(now),
        ];

        Assert.All(attempts, a => Assert.Equal(RejectionKind.RuleViolated, a.Rejection?.Kind));
        Assert.Equal(RejectionKind.AlreadyIssued, card.Account.Issue(now).Rejection?.Kind);
        Assert.Empty(CardUnderTest.Must(card.Account.ReleaseHeldPoints(now.AddYears(1))).Events);
        Assert.Equal(ledger, card.Ledger.Count);
    }

    [Fact]
    public void A_card_never_issued_refuses_every_command_as_not_issued()
    {
        var account = new CardAccount(CardUnderTest.DefaultRules());
        var now = Kyiv.At(2026, 3, 1);

        Assert.Equal(RejectionKind.NotIssued, account.Redeem("x", "st-1", new Points(1), now).Rejection?.Kind);
        Assert.Equal(RejectionKind.NotIssued, account.Terminate(now).Rejection?.Kind);
        Assert.Equal(RejectionKind.NotIssued, account.SwitchSpending(true, now).Rejection?.Kind);
    }
}
