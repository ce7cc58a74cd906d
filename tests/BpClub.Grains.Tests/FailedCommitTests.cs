using BpClub.Abstractions;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

/// <summary>The database refuses a card's commit: the caller hears an error, and nothing of it counts.</summary>
[Collection(RealClockCluster.Name)]
public sealed class FailedCommitTests(ClusterFixture fixture)
{
    private readonly TestStation _till = new();
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_purchase_whose_commit_fails_is_an_error_leaves_nothing_and_its_retry_counts_once()
    {
        var database = fixture.Cluster.Database;
        var card = await fixture.Cluster.Grains.Issued();
        var number = card.GetPrimaryKeyString();
        await card.Accrue(_till.Fuel("before", 10m)).Ok();
        var entries = await database.LedgerCount(number);
        var operations = await database.OperationCount(number);

        await using (await database.RefuseLedgerCommit(number, "boom"))
        {
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => card.Accrue(_till.Fuel("boom", 20m)));

            Assert.Contains("test fault", failure.ToString());
            Assert.Equal(entries, await database.LedgerCount(number));
            Assert.Equal(operations, await database.OperationCount(number));
            Assert.False(await database.HasOperation(number, $"purchase:{_till.Station}:boom"));
            // The grain rebuilds from the ledger and takes the next purchase (tills resend what was not acknowledged).
            var (next, _) = await Tills.SendUntilAnswered(
                () => card.Accrue(_till.Fuel("next", 10m)), Deadline, "the next purchase");
            Assert.Equal(OutcomeStatus.Done, next.Status);
            Assert.Equal(20, next.Value!.Balance.Total.Value);
            Assert.Equal(await database.LedgerTotal(number), (await card.GetBalance().Ok()).Total.Value);
            // As long as the database refuses it, so does the card.
            await Assert.ThrowsAnyAsync<Exception>(() => card.Accrue(_till.Fuel("boom", 20m)));
            Assert.Equal(0, await database.ReceiptRows(number, "boom"));
        }

        var (retry, _) = await Tills.SendUntilAnswered(
            () => card.Accrue(_till.Fuel("boom", 20m)), Deadline, "the retried receipt");
        var replay = await card.Accrue(_till.Fuel("boom", 20m));

        Assert.Equal((OutcomeStatus.Done, 20L, 40L),
            (retry.Status, retry.Value!.PointsEarned.Value, retry.Value.Balance.Total.Value));
        Assert.Equal(OutcomeStatus.Replayed, replay.Status);
        Assert.Equal(1, await database.ReceiptRows(number, "boom"));
        Assert.Equal(40, await database.LedgerTotal(number));
        Assert.Equal(40, (await card.GetBalance().Ok()).Total.Value);
        Assert.Equal(await database.LedgerCount(number), await database.MaxSeq(number));
    }
}
