using BpClub.Abstractions;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

[Collection(RealClockCluster.Name)]
public sealed class ReadTests(ClusterFixture fixture)
{
    private readonly TestStation _till = new();
    private readonly IGrainFactory _grains = fixture.Cluster.Grains;

    [Fact]
    public async Task Balance_is_answered_while_a_purchase_waits_for_the_database()
    {
        var card = await _grains.Issued();
        await card.Accrue(_till.Fuel("r-1", 40m)).Ok();

        // Hold the ledger table so the next purchase's commit has to wait.
        await using var connection = await fixture.Cluster.Database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockTable =
            new Npgsql.NpgsqlCommand("lock table card_ledger in exclusive mode", connection, transaction))
            await lockTable.ExecuteNonQueryAsync();
        var purchase = card.Accrue(_till.Fuel("r-2", 10m));
        await Poll.Until(() => fixture.Cluster.Database.Scalar<long>(
                "select count(*) from pg_locks where relation = 'card_ledger'::regclass and not granted", ""),
            waiting => waiting > 0, TimeSpan.FromSeconds(10), "the purchase to wait for the ledger lock");

        var balance = await card.GetBalance().WaitAsync(TimeSpan.FromSeconds(5));
        var summary = await card.GetSummary().WaitAsync(TimeSpan.FromSeconds(5));
        var history = await card.GetHistory(10, null).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(purchase.IsCompleted);
        Assert.Equal(40, balance.Value!.Total.Value); // only committed state is visible
        Assert.Equal(40, summary.Value!.Balance.Total.Value);
        Assert.Single(history.Value!.Items, i => i.Kind == "purchase");
        await transaction.RollbackAsync();
        Assert.Equal(OutcomeStatus.Done, (await purchase).Status);
        Assert.Equal(50, (await card.GetBalance().Ok()).Total.Value);
    }

    [Fact]
    public async Task History_pages_run_newest_first_without_gaps_or_overlaps()
    {
        var card = await _grains.Issued();
        for (var i = 1; i <= 12; i++) await card.Accrue(_till.Fuel($"r-{i}", i)).Ok();

        var pages = new List<HistoryPage>();
        string? cursor = null;
        do
        {
            var page = await card.GetHistory(5, cursor).Ok();
            pages.Add(page);
            cursor = page.NextCursor;
        } while (cursor is not null);

        var items = pages.SelectMany(p => p.Items).ToList();
        Assert.Equal([5, 5, 3], pages.Select(p => p.Items.Count));
        Assert.Equal(13, items.Select(i => i.Id).Distinct().Count());
        Assert.Equal("issued", items[^1].Kind);
        Assert.Equal(Enumerable.Range(1, 12).Reverse().Select(i => (decimal?)i),
            items.Where(i => i.Kind == "purchase").Select(i => i.Litres?.Value));
        Assert.All(items.Where(i => i.Kind == "purchase"), i => Assert.NotNull(i.AvailableAt));
    }

    [Fact]
    public async Task Unknown_card_has_no_balance_tier_summary_or_history()
    {
        var card = _grains.GetGrain<ICardGrain>(Testing.Cards.NewNumber());

        Assert.Equal(OutcomeStatus.NotFound, (await card.GetBalance()).Status);
        Assert.Equal(OutcomeStatus.NotFound, (await card.GetTier()).Status);
        Assert.Equal(OutcomeStatus.NotFound, (await card.GetSummary()).Status);
        Assert.Equal(OutcomeStatus.NotFound, (await card.GetHistory(10, null)).Status);
        Assert.Equal(OutcomeStatus.NotFound, (await card.SwitchSpending(true)).Status);
    }
}
