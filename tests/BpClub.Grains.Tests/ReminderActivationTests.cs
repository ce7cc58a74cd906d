using BpClub.Testing;

namespace BpClub.Grains.Tests;

/// <summary>
/// Activating a card asks nothing of the reminder table: the reminder armed before its lots were committed is
/// still there, and a purchase due later than it does not move it. A cold card costs its purchase no reminder write.
/// </summary>
[Collection(RealClockCluster.Name)]
public sealed class ReminderActivationTests(ClusterFixture fixture)
{
    private readonly TestStation _till = new();
    [Fact]
    public async Task A_card_activated_again_keeps_its_reminder_and_a_later_lot_writes_none()
    {
        var database = fixture.Cluster.Database;
        var card = await fixture.Cluster.Grains.Issued();
        var number = card.GetPrimaryKeyString();
        await card.Accrue(_till.Fuel("r-1", 40m)).Ok();
        var writes = await database.ReminderWrites(number);
        var due = await database.ReminderStartsAt(number);
        Assert.True(writes >= 0, "the first lot armed no reminder");

        await fixture.Cluster.DeactivateAll();
        await card.Accrue(_till.Fuel("r-2", 10m)).Ok();

        Assert.Equal(writes, await database.ReminderWrites(number));
        Assert.Equal(due, await database.ReminderStartsAt(number));
        Assert.Equal(1, await database.ReminderCount(number));
        Assert.Equal(50, (await card.GetBalance().Ok()).OnHold.Value);
    }
}

/// <summary>The release reminder's row, written by the group commit, is the row Orleans' reminder table
/// writes.</summary>
public sealed class ReminderRowTests
{
    // Read off rows that Orleans' ADO.NET reminder table wrote for these cards.
    [Theory]
    [InlineData("2651769839241310", 304906060)]
    [InlineData("8474650237974375", -1156748052)]
    public void A_card_reminder_row_has_the_grain_id_and_ring_hash_Orleans_stores(string card, int hash)
    {
        var row = BpClub.Grains.Cards.Storage.ReminderRow.For(GrainId.Create("card", card), "release-held-points",
            DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(1));

        Assert.Equal(($"card/{card}", hash), (row.GrainId, row.GrainHash));
    }
}
