using BpClub.Abstractions;
using BpClub.Domain.Units;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

[Collection(FakeClockCluster.Name)]
public sealed class TerminationTests(FakeClockFixture fixture)
{
    private readonly TestStation _till = new();
    private readonly IGrainFactory _grains = fixture.Cluster.Grains;

    private async Task<ICardGrain> TerminatedCard(long expectedForfeit = 65)
    {
        var card = await _grains.Issued();
        await card.Accrue(_till.Fuel("r-old", 40m)).Ok();
        fixture.MovePastHold();
        await card.Accrue(_till.Fuel("r-new", 25m)).Ok();
        var application = new TerminateParticipation(fixture.Now.AddDays(-1), "application 17");
        var terminated = await card.Terminate(application).Ok();
        Assert.Equal(expectedForfeit, terminated.ForfeitedPoints.Value);
        return card;
    }

    [Fact]
    public async Task Terminate_forfeits_the_rest_with_a_ledger_entry_and_erases_personal_data()
    {
        var card = await TerminatedCard();
        var number = card.GetPrimaryKeyString();

        var summary = await card.GetSummary().Ok();
        var latest = (await card.GetHistory(1, null).Ok()).Items.Single();

        Assert.Equal(("terminated", 0L, 0L),
            (summary.Status, summary.Balance.Available.Value, summary.Balance.Total.Value));
        Assert.NotNull(summary.TerminatedAt);
        Assert.Equal(("terminated", -65L), (latest.Kind, latest.Points.Value));
        Assert.Equal(0, await fixture.Cluster.Database.Scalar<long>(
            "select count(*) from card_holders where card_number = @card", number));
        // Not even the hash of the questionnaire is kept.
        Assert.Equal(0, await fixture.Cluster.Database.Scalar<long>(
            "select count(*) from card_operations where card_number = @card and operation_key = 'issue'", number));
        Assert.Equal(0, await fixture.Cluster.Database.LedgerTotal(number));
        Assert.Equal(0, await fixture.Cluster.Database.ReminderCount(number));
    }

    [Fact]
    public async Task Every_operation_after_termination_is_refused_and_changes_nothing()
    {
        var card = await TerminatedCard();
        var entries = await fixture.Cluster.Database.LedgerCount(card.GetPrimaryKeyString());

        Assert.Equal(OutcomeStatus.Rejected, (await card.Accrue(_till.Fuel("r-after", 10m))).Status);
        Assert.Equal(OutcomeStatus.Rejected,
            (await card.AccruePartner(new RecordPartnerPurchase("t-1", "cafe", 0.1m, new Money(100m), null))).Status);
        Assert.Equal(OutcomeStatus.Rejected,
            (await card.Redeem(new RedeemPoints("x-1", _till.Station, new Points(1)))).Status);
        Assert.Equal(OutcomeStatus.Rejected,
            (await card.Refund(new RefundPurchase("f-1", "r-new", _till.Station, []))).Status);
        Assert.Equal(OutcomeStatus.Rejected, (await card.SwitchSpending(true)).Status);
        Assert.Equal(OutcomeStatus.Conflict,
            (await card.Issue(Testing.Cards.Questionnaire() with { FirstName = "Taras" })).Status);
        var another = new TerminateParticipation(fixture.Now, "another");
        Assert.Equal(OutcomeStatus.Conflict, (await card.Terminate(another)).Status);

        Assert.Equal(entries, await fixture.Cluster.Database.LedgerCount(card.GetPrimaryKeyString()));
        Assert.Equal(0, (await card.GetBalance().Ok()).Total.Value);
    }

    [Fact]
    public async Task Termination_survives_reactivation()
    {
        var card = await TerminatedCard();
        await fixture.Cluster.DeactivateAll();

        Assert.Equal("terminated", (await card.GetSummary().Ok()).Status);
        Assert.Equal(OutcomeStatus.Rejected, (await card.Accrue(_till.Fuel("r-after", 10m))).Status);
    }
}
