using BpClub.Abstractions;
using BpClub.Domain.Earning;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

/// <summary>A quote is a query: it rates a purchase as it would be recorded; the database never hears of it.</summary>
[Collection(RealClockCluster.Name)]
public sealed class QuoteTests(ClusterFixture fixture)
{
    private readonly TestStation _till = new();
    private readonly IGrainFactory _grains = fixture.Cluster.Grains;

    private RecordPurchase MixedReceipt(string receiptId) => _till.Receipt(receiptId, Testing.Cards.FuelLine(30.5m),
        Testing.Cards.ShopLine(130m)) with { PaymentMethod = PaymentMethod.BpClubCard };

    [Fact]
    public async Task Quote_writes_no_row_and_the_receipt_is_then_recorded_as_new_with_the_same_points()
    {
        var number = Testing.Cards.NewNumber();
        var card = await _grains.Issued(number);
        await card.Accrue(_till.Fuel("before", 10m)).Ok();
        // A quote on a card freshly activated from the ledger writes nothing either.
        await fixture.Cluster.DeactivateAll();
        var database = fixture.Cluster.Database;
        async Task<(long, long, long)> Rows() =>
            (await database.LedgerCount(number), await database.OperationCount(number), await database.MaxSeq(number));
        var rows = await Rows();
        var reminderWrites = await database.ReminderWrites(number);

        var quote = await card.Quote(MixedReceipt("q-1")).Ok();

        Assert.Equal(rows, await Rows());
        Assert.Equal(reminderWrites, await database.ReminderWrites(number));
        Assert.False(await database.HasOperation(number, $"purchase:{_till.Station}:q-1"));
        Assert.Equal(10, (await card.GetBalance().Ok()).Total.Value);

        var recorded = await card.Accrue(MixedReceipt("q-1"));
        Assert.Equal(OutcomeStatus.Done, recorded.Status); // not a replay: the quote left no operation behind
        Assert.Equal(67, quote.PointsEarned.Value);         // Green: 30.5 + 30.5 paying with the card + 130 / 20
        Assert.Equal(quote.PointsEarned, recorded.Value!.PointsEarned);
        Assert.Equal(quote.Breakdown, recorded.Value.Breakdown);
    }

    [Fact]
    public async Task Quote_is_answered_while_a_purchase_waits_for_the_database()
    {
        var card = await _grains.Issued();
        await using var connection = await fixture.Cluster.Database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        const string lockLedger = "lock table card_ledger in exclusive mode";
        await using (var lockTable = new Npgsql.NpgsqlCommand(lockLedger, connection, transaction))
            await lockTable.ExecuteNonQueryAsync();
        var purchase = card.Accrue(_till.Fuel("r-1", 10m));
        await Poll.Until(() => fixture.Cluster.Database.Scalar<long>(
                "select count(*) from pg_locks where relation = 'card_ledger'::regclass and not granted", ""),
            waiting => waiting > 0, TimeSpan.FromSeconds(10), "the purchase to wait for the ledger lock");

        var quote = await card.Quote(_till.Fuel("r-2", 40m)).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(purchase.IsCompleted);
        Assert.Equal(40, quote.Value!.PointsEarned.Value);
        await transaction.RollbackAsync();
        Assert.Equal(OutcomeStatus.Done, (await purchase).Status);
    }

    [Fact]
    public async Task Quote_refuses_what_a_purchase_refuses()
    {
        var card = await _grains.Issued();
        var unknown = _grains.GetGrain<ICardGrain>(Testing.Cards.NewNumber());

        var invalid = await card.Quote(_till.Fuel("r-1", -5m));
        Assert.Equal(OutcomeStatus.Invalid, invalid.Status);
        Assert.Contains("lines[0].litres", invalid.Errors!.Keys);
        Assert.Equal(OutcomeStatus.Invalid, (await card.Quote(_till.Fuel("", 5m))).Status);
        Assert.Equal(OutcomeStatus.NotFound, (await unknown.Quote(_till.Fuel("r-1", 5m))).Status);
        await card.Terminate(new TerminateParticipation(DateTimeOffset.UtcNow, "application 9")).Ok();
        Assert.Equal(OutcomeStatus.Rejected, (await card.Quote(_till.Fuel("r-1", 5m))).Status);
    }
}
