using BpClub.Domain.Earning;
using BpClub.Domain.Ledger;
using BpClub.Domain.Programme;
using BpClub.Domain.Units;
using Microsoft.Extensions.Time.Testing;

namespace BpClub.Domain.Tests;

/// <summary>
/// A card account driven the way the grain drives it: a command decides, the events are
/// "committed" to <see cref="Ledger"/>, and only then the account adopts the state after them.
/// Time comes from a fake clock the test moves.
/// </summary>
public sealed class CardUnderTest
{
    private int _receipts;

    public CardUnderTest(DateTimeOffset start, ProgrammeRules? rules = null)
    {
        Rules = rules ?? DefaultRules();
        Clock = new FakeTimeProvider(start);
        Account = new CardAccount(Rules);
        Must(Run(a => a.Issue(Now)));
    }

    public ProgrammeRules Rules { get; }
    public FakeTimeProvider Clock { get; }
    public CardAccount Account { get; private set; }
    public List<CardEvent> Ledger { get; } = [];
    public List<Promotion> Promotions { get; } = [];
    public DateTimeOffset Now => Clock.GetUtcNow();
    public Balance Balance => Account.BalanceAt(Now);
    public TierStatus Tier => Account.TierAt(Now);

    public static ProgrammeRules DefaultRules()
    {
        var rules = new ProgrammeRules();
        rules.ApplyDefaults();
        return rules;
    }

    /// <summary>Runs a command; a decision that is not rejected is committed and adopted.</summary>
    public Decision Run(Func<CardAccount, Decision> command)
    {
        var decision = command(Account);
        if (decision is not Decision.Accepted accepted) return decision;
        Ledger.AddRange(accepted.Events);
        Account = accepted.After;
        return decision;
    }

    public PointsEarned Buy(params PurchaseLine[] lines) => Buy(PaymentMethod.Cash, Now, lines);

    public PointsEarned BuyFuel(decimal litres, DateTimeOffset? occurredAt = null) =>
        Buy(PaymentMethod.Cash, occurredAt ?? Now, PurchaseLine.Fuel("A95", litres, litres * 55m));

    public PointsEarned Buy(PaymentMethod payment, DateTimeOffset occurredAt, params PurchaseLine[] lines) =>
        Must(Run(a => a.Accrue(new Purchase($"r-{++_receipts}", "st-1", occurredAt, payment, lines), Promotions, Now)))
            .Events.OfType<PointsEarned>().Single();

    /// <summary>A partner purchase at 0.1 points per UAH.</summary>
    public PointsEarned BuyAtPartner(decimal amount, DateTimeOffset? occurredAt = null) =>
        Must(Run(a => a.Accrue(
                new PartnerPurchase($"p-{++_receipts}", "cafe", occurredAt ?? Now, new Money(amount), 0.1m), Now)))
            .Events.OfType<PointsEarned>().Single();

    public Decision Redeem(long points)
        => Run(a => a.Redeem($"redeem-{Ledger.Count}", "st-1", new Points(points), Now));

    public Decision Refund(PointsEarned purchase, params int[] zeroBasedLines) =>
        Run(a => a.Refund($"refund-{Ledger.Count}", "st-1", purchase,
            Ledger.OfType<PurchaseRefunded>().Where(r => r.ReceiptId == purchase.OperationId).ToList(),
            zeroBasedLines.ToHashSet(), Now));

    public Decision Adjust(long points, string reason = "Goodwill") =>
        Run(a => a.Adjust($"adjust-{Ledger.Count}", new Points(points), reason, "key-0123456789", Now));

    public Decision ReleaseEarly(long? points = null) =>
        Run(a => a.ReleaseEarly($"release-{Ledger.Count}", points is { } p ? new Points(p) : null, "key-0123456789",
            Now));

    public void SwitchSpendingOn() => Must(Run(a => a.SwitchSpending(true, Now)));

    public void Advance(TimeSpan by) => Clock.Advance(by);

    public void AdvanceTo(DateTimeOffset at) => Clock.SetUtcNow(at);

    public static Decision.Accepted Must(Decision decision)
    {
        Assert.False(decision.IsRejected, decision.Rejection?.Detail);
        return (Decision.Accepted)decision;
    }
}
