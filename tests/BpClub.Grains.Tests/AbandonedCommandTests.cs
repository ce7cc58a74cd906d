using BpClub.Abstractions;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

/// <summary>
/// A till that gave up on a purchase (its timeout, a dropped connection) cancels the call. A purchase still
/// waiting for the card's writer is then dropped: nothing is committed for a caller who is gone, which keeps a
/// retry storm after an outage from being served twice over. One already being committed still commits.
/// </summary>
[Collection(RealClockCluster.Name)]
public sealed class AbandonedCommandTests(ClusterFixture fixture)
{
    private readonly TestStation _till = new();
    private readonly IGrainFactory _grains = fixture.Cluster.Grains;

    [Fact]
    public async Task A_purchase_abandoned_while_it_waited_for_the_writer_is_not_recorded_and_its_resend_is()
    {
        var database = fixture.Cluster.Database;
        var card = await _grains.Issued();
        var number = card.GetPrimaryKeyString();
        await card.Accrue(_till.Fuel("r-1", 40m)).Ok();

        // Hold the ledger so that r-2's commit waits; r-3 then queues behind it in the card's writer.
        await using var transaction = await HoldLedger();
        var committing = card.Accrue(_till.Fuel("r-2", 10m));
        await UntilACommitWaits("r-2's commit to wait for the ledger lock");
        using var tillGivesUp = new CancellationTokenSource();
        var abandoned = card.Accrue(_till.Fuel("r-3", 5m), tillGivesUp.Token);
        // A read answered after r-3 was sent: r-3 has reached the card (calls from one client arrive in order).
        await card.GetBalance().Ok();
        tillGivesUp.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        // The cancellation travels to the card as a message of its own; one more read behind it has it delivered.
        await card.GetBalance().Ok();
        await transaction.RollbackAsync();

        Assert.Equal(OutcomeStatus.Done, (await committing).Status);
        // r-3 would have been committed right after r-2; the writer's next turn is a new purchase.
        await card.Accrue(_till.Fuel("r-4", 1m)).Ok();
        Assert.False(await database.HasOperation(number, $"purchase:{_till.Station}:r-3"));
        Assert.Equal(0, await database.ReceiptRows(number, "r-3"));
        Assert.Equal(51, (await card.GetBalance().Ok()).Total.Value);

        var resent = await card.Accrue(_till.Fuel("r-3", 5m));
        Assert.Equal(OutcomeStatus.Done, resent.Status);
        Assert.Equal(56, await database.LedgerTotal(number));
    }

    [Fact]
    public async Task A_resend_while_the_first_attempt_is_being_committed_gets_its_result_and_adds_nothing()
    {
        var database = fixture.Cluster.Database;
        var card = await _grains.Issued();
        var number = card.GetPrimaryKeyString();

        await using var transaction = await HoldLedger();
        var first = card.Accrue(_till.Fuel("r-1", 20m));
        await UntilACommitWaits("the first attempt's commit to wait for the ledger lock");
        var resend = card.Accrue(_till.Fuel("r-1", 20m));
        await card.GetBalance().Ok();
        await transaction.RollbackAsync();

        var (a, b) = (await first, await resend);
        Assert.Equal(OutcomeStatus.Done, a.Status);
        Assert.Equal(OutcomeStatus.Replayed, b.Status);
        Assert.Equal(a.Value!.PointsEarned, b.Value!.PointsEarned);
        Assert.Equal(1, await database.ReceiptRows(number, "r-1"));
        Assert.Equal(a.Value.PointsEarned.Value, await database.LedgerTotal(number));
    }

    /// <summary>Locks the ledger table until rolled back or disposed, so that the next commit has to wait.</summary>
    private async Task<LedgerHold> HoldLedger()
    {
        var connection = await fixture.Cluster.Database.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var lockTable =
            new Npgsql.NpgsqlCommand("lock table card_ledger in exclusive mode", connection, transaction);
        await lockTable.ExecuteNonQueryAsync();
        return new LedgerHold(connection, transaction);
    }

    private sealed class LedgerHold(Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction transaction)
        : IAsyncDisposable
    {
        public Task RollbackAsync() => transaction.RollbackAsync();

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    private Task UntilACommitWaits(string what) => Poll.Until(() => fixture.Cluster.Database.Scalar<long>(
            "select count(*) from pg_locks where relation = 'card_ledger'::regclass and not granted", ""),
        waiting => waiting > 0, TimeSpan.FromSeconds(30), what);
}
