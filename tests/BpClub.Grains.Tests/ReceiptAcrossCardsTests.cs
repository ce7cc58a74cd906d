using BpClub.Abstractions;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

/// <summary>A station's receipt earns on one card only: the same receiptId on another card is a 409.</summary>
[Collection(RealClockCluster.Name)]
public sealed class ReceiptAcrossCardsTests(ClusterFixture fixture)
{
    private readonly TestStation _till = new();
    private readonly IGrainFactory _grains = fixture.Cluster.Grains;

    [Fact]
    public async Task The_same_receipt_on_a_second_card_is_a_conflict_and_writes_nothing_there()
    {
        var database = fixture.Cluster.Database;
        var (a, b) = (await _grains.Issued(), await _grains.Issued());
        var receipt = "x-" + Guid.NewGuid().ToString("N")[..8];
        await a.Accrue(_till.Fuel(receipt, 40m)).Ok();

        var onB = await b.Accrue(_till.Fuel(receipt, 40m));
        Assert.Equal(OutcomeStatus.Conflict, onB.Status);
        Assert.Equal(0, (await b.GetBalance().Ok()).Total.Value);
        var bNumber = b.GetPrimaryKeyString();
        Assert.Equal(0, await database.ReceiptRows(bNumber, receipt));
        Assert.False(await database.HasOperation(bNumber, $"purchase:{_till.Station}:{receipt}"));
        // Also once B's activation is gone (the refusal comes from the database, not from memory).
        await fixture.Cluster.DeactivateAll();
        Assert.Equal(OutcomeStatus.Conflict, (await b.Accrue(_till.Fuel(receipt, 40m))).Status);

        // On the first card it is still a replay; another station's receipt of that number is another receipt.
        Assert.Equal(OutcomeStatus.Replayed, (await a.Accrue(_till.Fuel(receipt, 40m))).Status);
        Assert.Equal(OutcomeStatus.Done,
            (await b.Accrue(_till.Fuel(receipt, 40m, station: _till.OtherStation))).Status);
        Assert.Equal(40, (await a.GetBalance().Ok()).Total.Value);
        Assert.Equal(40, (await b.GetBalance().Ok()).Total.Value);
    }

    [Fact]
    public async Task Cards_claiming_one_receipt_at_the_same_moment_let_exactly_one_of_them_earn()
    {
        var cards = new List<ICardGrain>();
        for (var i = 0; i < 4; i++) cards.Add(await _grains.Issued());
        for (var round = 0; round < 10; round++)
        {
            var receipt = $"race-{round}-" + Guid.NewGuid().ToString("N")[..6];
            // Other receipts of the cards ride in the same batches and must not be refused with it.
            var outcomes = await Task.WhenAll(cards.Select((card, i) => card.Accrue(_till.Fuel(receipt, 5m)))
                .Concat(cards.Select((card, i) => card.Accrue(_till.Fuel($"{receipt}-own-{i}", 1m)))));
            var claims = outcomes.Take(cards.Count).ToList();
            Assert.Single(claims, o => o.Status == OutcomeStatus.Done);
            Assert.Equal(cards.Count - 1, claims.Count(o => o.Status == OutcomeStatus.Conflict));
            Assert.All(outcomes.Skip(cards.Count), o => Assert.Equal(OutcomeStatus.Done, o.Status));
        }
        var totals = await Task.WhenAll(cards.Select(async c => (await c.GetBalance().Ok()).Total.Value));
        Assert.Equal(10 * 5 + 10 * 4, totals.Sum());
    }
}
