using BpClub.Abstractions;
using BpClub.Domain.Earning;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

[Collection(RealClockCluster.Name)]
public sealed class PurchaseTests(ClusterFixture fixture)
{
    private readonly TestStation _till = new();
    private readonly IGrainFactory _grains = fixture.Cluster.Grains;

    [Fact]
    public async Task Purchase_credits_total_at_once_but_not_available()
    {
        var card = await _grains.Issued();

        var result = await card.Accrue(_till.Fuel("r-1", 40m));

        Assert.Equal(OutcomeStatus.Done, result.Status);
        Assert.Equal(40, result.Value!.PointsEarned.Value);
        var balance = (await card.GetBalance()).Value!;
        Assert.Equal(40, balance.Total.Value);
        Assert.Equal(40, balance.OnHold.Value);
        Assert.Equal(0, balance.Available.Value);
        Assert.NotNull(balance.NextRelease);
        Assert.Equal(40, balance.NextRelease!.Points.Value);
    }

    [Fact]
    public async Task Replayed_receipt_returns_first_result_and_credits_nothing_more()
    {
        var card = await _grains.Issued();
        var first = await card.Accrue(_till.Fuel("r-7", 30m));

        var again = await card.Accrue(_till.Fuel("r-7", 30m));

        Assert.Equal(OutcomeStatus.Replayed, again.Status);
        Assert.Equal(first.Value!.PointsEarned, again.Value!.PointsEarned);
        Assert.Equal(first.Value.Balance.Total, again.Value.Balance.Total);
        Assert.Equal(30, (await card.GetBalance()).Value!.Total.Value);
    }

    [Fact]
    public async Task Same_receipt_id_with_another_payload_is_a_conflict()
    {
        var card = await _grains.Issued();
        await card.Accrue(_till.Fuel("r-8", 30m));

        var other = await card.Accrue(_till.Fuel("r-8", 31m));

        Assert.Equal(OutcomeStatus.Conflict, other.Status);
        Assert.Equal(30, (await card.GetBalance()).Value!.Total.Value);
    }

    [Fact]
    public async Task Replay_survives_reactivation_because_the_database_remembers()
    {
        var number = Testing.Cards.NewNumber();
        var card = await _grains.Issued(number);
        await card.Accrue(_till.Fuel("r-9", 12.5m));
        await fixture.Cluster.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var again = await _grains.GetGrain<ICardGrain>(number).Accrue(_till.Fuel("r-9", 12.5m));

        Assert.Equal(OutcomeStatus.Replayed, again.Status);
        Assert.Equal(12, (await card.GetBalance()).Value!.Total.Value);
    }

    [Fact]
    public async Task Fifty_concurrent_purchases_on_one_card_are_each_counted_once()
    {
        var card = await _grains.Issued();
        var number = card.GetPrimaryKeyString();
        // One instant for all fifty, so that a month boundary during the test cannot split their litres.
        var madeAt = DateTimeOffset.UtcNow;

        Task<Outcome<PurchaseResult>> Receipt(int i) => card.Accrue(_till.Fuel($"c-{i}", 10m, occurredAt: madeAt));

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(Receipt));
        var replays = await Task.WhenAll(Enumerable.Range(0, 50).Select(Receipt));

        Assert.All(results, r => Assert.Equal(OutcomeStatus.Done, r.Status));
        Assert.All(replays, r => Assert.Equal(OutcomeStatus.Replayed, r.Status));
        Assert.Equal(results.Select(r => r.Value!.PointsEarned), replays.Select(r => r.Value!.PointsEarned));
        // Each receipt is rated at the level the litres before it reached, whichever order they came in:
        // 10 receipts × 10 L at Green (1/L), 10 at Gold from 100 L (2/L), 30 at Platinum from 200 L (3/L).
        var expected = Enumerable.Repeat(10L, 10).Concat(Enumerable.Repeat(20L, 10)).Concat(Enumerable.Repeat(30L, 30));
        Assert.Equal(expected, results.Select(r => r.Value!.PointsEarned.Value).Order());
        Assert.Equal(100 + 200 + 900, (await card.GetBalance()).Value!.Total.Value);
        Assert.Equal(1200, await fixture.Cluster.Database.LedgerTotal(number));
        Assert.Equal(50, await fixture.Cluster.Database.LedgerCount(number, "purchase"));
        Assert.Empty(await fixture.Cluster.Database.Duplicates(number));
        var history = await card.GetHistory(100, null);
        Assert.Equal(50, history.Value!.Items.Count(i => i.Kind == "purchase"));
    }

    // Commands waiting on one card are committed together: idempotency must hold inside a batch.
    [Fact]
    public async Task Retries_of_one_receipt_arriving_together_are_credited_once()
    {
        var card = await _grains.Issued();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => card.Accrue(_till.Fuel("same", 10m))));

        Assert.Single(results, r => r.Status == OutcomeStatus.Done);
        Assert.Equal(19, results.Count(r => r.Status == OutcomeStatus.Replayed));
        Assert.All(results, r => Assert.Equal(10, r.Value!.PointsEarned.Value));
        Assert.Equal(10, (await card.GetBalance()).Value!.Total.Value);
    }

    [Fact]
    public async Task One_receipt_id_with_two_payloads_arriving_together_is_credited_once_and_conflicts_once()
    {
        var card = await _grains.Issued();

        var results = await Task.WhenAll(card.Accrue(_till.Fuel("twice", 10m)), card.Accrue(_till.Fuel("twice", 20m)),
            card.Accrue(_till.Fuel("other", 5m)));

        // Whichever payload arrived first is the receipt; the other is a conflict.
        var winner = Assert.Single(results[..2], r => r.Status == OutcomeStatus.Done);
        Assert.Single(results[..2], r => r.Status == OutcomeStatus.Conflict);
        Assert.Equal(OutcomeStatus.Done, results[2].Status);
        Assert.Equal(winner.Value!.PointsEarned.Value + 5, (await card.GetBalance()).Value!.Total.Value);
    }

    [Fact]
    public async Task A_retry_of_a_committed_receipt_among_new_ones_replays_and_the_new_ones_are_credited()
    {
        var card = await _grains.Issued();
        await card.Accrue(_till.Fuel("before", 10m));

        var results = await Task.WhenAll(
            new[] { card.Accrue(_till.Fuel("new-1", 5m)), card.Accrue(_till.Fuel("before", 10m)),
                card.Accrue(_till.Fuel("new-2", 5m)) });

        Assert.Equal([OutcomeStatus.Done, OutcomeStatus.Replayed, OutcomeStatus.Done], results.Select(r => r.Status));
        Assert.Equal(20, (await card.GetBalance()).Value!.Total.Value);
        var history = await card.GetHistory(100, null);
        Assert.Equal(3, history.Value!.Items.Count(i => i.Kind == "purchase"));
    }

    [Fact]
    public async Task Shop_goods_payment_card_and_breakdown()
    {
        var card = await _grains.Issued();

        var result = await card.Accrue(new RecordPurchase("r-mix", _till.Station, null, PaymentMethod.BpClubCard,
            [Testing.Cards.FuelLine(20m), Testing.Cards.ShopLine(100m)]));

        // 20 L × 1 (Green) + 20 L × 1 (payment card) + 100 UAH / 20 = 45
        Assert.Equal(45, result.Value!.PointsEarned.Value);
        Assert.Equal(
            new[] { ("fuel", 20L), ("bpClubCard", 20L), ("shop", 5L) },
            result.Value.Breakdown.Select(b => (b.Reason, b.Points.Value)).ToArray());
    }

    [Fact]
    public async Task Purchase_on_a_card_never_issued_is_not_found_and_leaves_no_trace()
    {
        var number = Testing.Cards.NewNumber();
        var card = _grains.GetGrain<ICardGrain>(number);

        var result = await card.Accrue(_till.Fuel("r-1", 10m));

        Assert.Equal(OutcomeStatus.NotFound, result.Status);
        // Whatever the grain would write on its way out (its snapshot) is written now.
        await fixture.Cluster.DeactivateAll();
        var database = fixture.Cluster.Database;
        Assert.Equal(0, await database.LedgerCount(number));
        Assert.Equal(0, await database.OperationCount(number));
        Assert.Equal(0, await database.HolderCount(number));
        Assert.Equal(0, await database.StoredStateRows(number));
        Assert.Equal(0, await database.ReminderCount(number));
        Assert.Equal(OutcomeStatus.NotFound, (await card.GetBalance()).Status);
    }

    [Fact]
    public async Task Issuing_twice_with_another_questionnaire_is_a_conflict()
    {
        var number = Testing.Cards.NewNumber();
        var card = await _grains.Issued(number);

        var same = await card.Issue(Testing.Cards.Questionnaire());
        var other = await card.Issue(Testing.Cards.Questionnaire() with { FirstName = "Taras" });

        Assert.Equal(OutcomeStatus.Replayed, same.Status);
        Assert.Equal(OutcomeStatus.Conflict, other.Status);
    }

    [Fact]
    public async Task Purchase_dated_by_a_till_on_Kyiv_time_is_accepted_and_held_from_when_it_was_recorded()
    {
        var card = await _grains.Issued();
        var now = DateTimeOffset.UtcNow;
        var madeAt = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero)
            .AddMinutes(-10).ToOffset(TimeSpan.FromHours(2));

        var result = await card.Accrue(_till.Fuel("r-kyiv", 20m, occurredAt: madeAt));
        var after = DateTimeOffset.UtcNow;

        Assert.Equal(OutcomeStatus.Done, result.Status);
        var release = result.Value!.Balance.NextRelease!.At;
        Assert.InRange(release, now + TimeSpan.FromDays(14), after + TimeSpan.FromDays(14));
        // The ledger's timestamptz column keeps microseconds; the clock has ticks of 100 ns.
        var listed = (await card.GetHistory(1, null)).Value!.Items.Single().AvailableAt!.Value;
        Assert.InRange(release - listed, TimeSpan.Zero, TimeSpan.FromMicroseconds(1));
    }

    [Fact]
    public async Task Purchase_backdated_past_its_hold_is_held_for_the_whole_period_from_when_it_was_recorded()
    {
        var card = await _grains.Issued();
        var before = DateTimeOffset.UtcNow;
        var madeAt = before.AddDays(-20).ToOffset(TimeSpan.FromHours(3));

        var result = await card.Accrue(_till.Fuel("r-old", 20m, occurredAt: madeAt)).Ok();
        var after = DateTimeOffset.UtcNow;

        Assert.Equal((0L, 20L), (result.Balance.Available.Value, result.Balance.OnHold.Value));
        Assert.InRange(result.Balance.NextRelease!.At, before + TimeSpan.FromDays(14), after + TimeSpan.FromDays(14));
        var history = (await card.GetHistory(10, null)).Value!.Items;
        Assert.Equal(["purchase"], history.Where(i => i.Kind != "issued").Select(i => i.Kind));
    }
}
