using BpClub.Grains.Cards;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

public static class SnapshotAssert
{
    /// <summary>
    /// The card's stored snapshot is, field by field, the account that ledger entries 1..its sequence make
    /// when the domain applies them; and it is as of the card's last entry (the grain wrote it when it left).
    /// </summary>
    public static async Task<CardSnapshot> IsTheWholeLedger(BpClubTestCluster cluster, string card)
    {
        var stored = await cluster.Database.StoredSnapshot(card);
        Assert.True(stored?.Account is not null, $"card {card} has no stored snapshot");
        var (sequence, rebuilt) = await cluster.Database.RebuildFromLedger(card, cluster.Rules, stored!.Sequence);
        Assert.Equal(await cluster.Database.MaxSeq(card), stored.Sequence);
        Assert.Equal(stored.Sequence, sequence);
        Assert.Equal(CardStates.Describe(rebuilt), CardStates.Describe(stored.Account!));
        return stored;
    }
}
