using BpClub.Abstractions;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

/// <summary>
/// Cards activated at the same moment have their ledgers read together, in one statement: each must still come back
/// with its own entries, none of another card's, however many arrive at once.
/// </summary>
[Collection(RealClockCluster.Name)]
public sealed class ColdActivationTests(ClusterFixture fixture)
{
    private readonly TestStation _till = new();
    private readonly IGrainFactory _grains = fixture.Cluster.Grains;

    private static CardSummary WithoutClock(CardSummary s) => s with { Balance = s.Balance with { AsOf = default } };

    [Fact]
    public async Task Cards_read_back_together_each_get_their_own_ledger()
    {
        // Card i holds i + 1 purchases of i + 1 litres: no two ledgers alike in length or in points.
        var cards = new List<ICardGrain>();
        for (var i = 0; i < 40; i++) cards.Add(await _grains.Issued());
        await Task.WhenAll(cards.Select(async (card, i) =>
        {
            for (var p = 0; p <= i; p++) await card.Accrue(_till.Fuel($"cold-{i}-{p}", i + 1m)).Ok();
        }));
        var before = await Task.WhenAll(cards.Select(async c => WithoutClock(await c.GetSummary().Ok())));

        await fixture.Cluster.DeactivateAll();
        // Without their snapshots the activations must read every entry from the ledger.
        foreach (var card in cards)
            await fixture.Cluster.Database.Execute(
                $"delete from orleansstorage where {LedgerQueries.IsCardState}", card.GetPrimaryKeyString());
        var after = await Task.WhenAll(cards.Select(async c => WithoutClock(await c.GetSummary().Ok())));

        // No two totals alike, so a card answered with another's entries could not go unnoticed.
        Assert.Equal(cards.Count, before.Select(s => s.Balance.Total).Distinct().Count());
        Assert.Equal(before, after);
    }
}
