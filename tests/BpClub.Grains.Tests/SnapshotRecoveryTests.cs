using BpClub.Abstractions;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

/// <summary>
/// The ledger is the truth: a snapshot that claims more than the ledger holds, or that cannot be read, is
/// discarded on activation and the card rebuilt from its ledger, with a warning.
/// </summary>
[Collection(RealClockCluster.Name)]
public sealed class SnapshotRecoveryTests(ClusterFixture fixture)
{
    private readonly TestStation _till = new();
    private readonly IGrainFactory _grains = fixture.Cluster.Grains;

    private async Task<(ICardGrain Card, string Number)> CardWithSnapshot()
    {
        var card = await _grains.Issued();
        await card.Accrue(_till.Fuel("s-1", 40m)).Ok();
        await card.Accrue(_till.Fuel("s-2", 2m)).Ok();
        await fixture.Cluster.DeactivateAll();
        var number = card.GetPrimaryKeyString();
        await Poll.Until(() => fixture.Cluster.Database.StoredStateRows(number), rows => rows == 1,
            TimeSpan.FromSeconds(30),
            "the card's snapshot to be written");
        return (card, number);
    }

    private static int Warnings(string number) =>
        LogCapture.Lines.Count(l => l.Contains(number, StringComparison.Ordinal)
            && l.Contains("snapshot", StringComparison.OrdinalIgnoreCase)
            && l.Contains("rebuilt from the ledger", StringComparison.Ordinal));

    [Fact]
    public async Task A_snapshot_ahead_of_the_ledger_is_discarded_and_the_card_rebuilt_from_the_ledger()
    {
        var (card, number) = await CardWithSnapshot();
        // A snapshot claiming entries the ledger never had (and a million points with them).
        Assert.Equal(1, await fixture.Cluster.Database.Execute($$"""
            update orleansstorage set payloadbinary = convert_to(jsonb_set(jsonb_set(
                convert_from(payloadbinary, 'UTF8')::jsonb, '{sequence}', '999'), '{account,settled}', '1000000')::text,
                'UTF8')
            where {{LedgerQueries.IsCardState}}
            """, number));

        var balance = await card.GetBalance().Ok();

        Assert.Equal((0L, 42L), (balance.Available.Value, balance.Total.Value));
        Assert.True(Warnings(number) >= 1, "no warning was logged");
        // It goes on from the ledger's true last entry, and the snapshot is the ledger's again.
        var next = await card.Accrue(_till.Fuel("s-3", 1m)).Ok();
        Assert.Equal(43, next.Balance.Total.Value);
        await fixture.Cluster.DeactivateAll();
        await SnapshotAssert.IsTheWholeLedger(fixture.Cluster, number);
    }

    [Fact]
    public async Task A_snapshot_that_cannot_be_read_is_discarded_and_the_card_rebuilt_from_the_ledger()
    {
        var (card, number) = await CardWithSnapshot();
        Assert.Equal(1, await fixture.Cluster.Database.Execute($$"""
            update orleansstorage
            set payloadbinary = convert_to('{"card": "' || @card || '", "sequence": "not a number"}', 'UTF8')
            where {{LedgerQueries.IsCardState}}
            """, number));

        var balance = await card.GetBalance().Ok();

        Assert.Equal(42, balance.Total.Value);
        Assert.True(Warnings(number) >= 1, "no warning was logged");
        var next = await card.Accrue(_till.Fuel("s-3", 1m)).Ok();
        Assert.Equal(43, next.Balance.Total.Value);
    }
}
