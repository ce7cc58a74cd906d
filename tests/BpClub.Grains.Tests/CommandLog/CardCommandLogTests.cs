using BpClub.Abstractions;
using BpClub.Domain.Ledger;
using BpClub.Domain.Programme;
using BpClub.Domain.Units;
using BpClub.Domain.Validation;
using BpClub.Grains.Cards;
using BpClub.Grains.Cards.Commands;
using Microsoft.Extensions.Time.Testing;

namespace BpClub.Grains.Tests.CommandLog;

/// <summary>
/// The card's command log without Orleans or PostgreSQL: batching, answers only after the commit, replays,
/// rejections, failed and stale commits, abandoned commands. Everything runs on one exclusive scheduler, as
/// in an activation.
/// </summary>
public sealed class CardCommandLogTests
{
    private const string Card = "4000001234567899";
    private readonly InMemoryLedger _ledger = new();
    private readonly RecordingHost _host = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly ProgrammeRules _rules = Rules();
    private readonly TaskFactory _activation = new(new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler);

    [Fact]
    public Task Commands_waiting_together_are_decided_in_order_and_committed_in_one_write() => InActivation(async log =>
    {
        var first = log.Run(Purchase("r-1", 10m));
        var second = log.Run(Purchase("r-2", 20m));
        var third = log.Run(Purchase("r-3", 30m));

        var results = await Task.WhenAll(first, second, third);

        Assert.All(results, r => Assert.Equal(OutcomeStatus.Done, r.Status));
        Assert.Equal(2, _ledger.Appends.Count); // the issue, then the three together
        Assert.Equal(3, _ledger.Appends[^1].Count);
        Assert.Equal([10L, 30L, 60L], results.Select(r => r.Value!.Balance.Total.Value));
        Assert.Equal(_ledger.Last, log.Sequence);
    });

    [Fact]
    public Task Nothing_is_answered_or_adopted_before_its_commit() => InActivation(async log =>
    {
        var gate = new TaskCompletionSource();
        _ledger.Gate = gate;
        var purchase = log.Run(Purchase("r-1", 10m));

        await Until(() => _ledger.Gate is null);
        Assert.False(purchase.IsCompleted);
        Assert.Equal(0, log.Account.BalanceAt(_time.GetUtcNow()).Total.Value);

        gate.SetResult();
        Assert.Equal(OutcomeStatus.Done, (await purchase).Status);
        Assert.Equal(10, log.Account.BalanceAt(_time.GetUtcNow()).Total.Value);
    });

    [Fact]
    public Task A_retry_in_the_same_batch_answers_the_first_result_and_a_changed_body_is_a_conflict() =>
        InActivation(async log =>
        {
            var first = log.Run(Purchase("r-1", 10m));
            var retry = log.Run(Purchase("r-1", 10m));
            var changed = log.Run(Purchase("r-1", 99m));

            Assert.Equal(OutcomeStatus.Done, (await first).Status);
            Assert.Equal(OutcomeStatus.Replayed, (await retry).Status);
            Assert.Equal((await first).Value!.PointsEarned, (await retry).Value!.PointsEarned);
            Assert.Equal(OutcomeStatus.Conflict, (await changed).Status);
            Assert.Single(_ledger.Entries.Select(e => e.Event).OfType<PointsEarned>());
        });

    [Fact]
    public Task A_retry_of_what_an_earlier_activation_committed_is_replayed_and_the_rest_of_its_batch_is_kept() =>
        InActivation(async log =>
        {
            await log.Run(Purchase("r-1", 10m));
            // A new activation, loaded after r-1 was committed: it does not remember r-1 as its own.
            var later = NewLog(new CardAccount(_rules, log.Account.ToState()), log.Sequence);

            var retry = later.Run(Purchase("r-1", 10m));
            var fresh = later.Run(Purchase("r-2", 20m));

            Assert.Equal(OutcomeStatus.Replayed, (await retry).Status);
            Assert.Equal(OutcomeStatus.Done, (await fresh).Status);
            Assert.Equal(2, _ledger.Entries.Select(e => e.Event).OfType<PointsEarned>().Count());
            Assert.Equal(30, later.Account.BalanceAt(_time.GetUtcNow()).Total.Value);
        });

    [Fact]
    public Task A_rejected_command_is_refused_without_spoiling_the_others_of_its_batch() => InActivation(async log =>
    {
        await log.Run(new SpendingCommand(true));
        var purchase = log.Run(Purchase("r-1", 10m));
        var tooMuch = log.Run(new RedemptionCommand(new RedeemPoints("x-1", "st-1", new Points(1_000))));

        Assert.Equal(OutcomeStatus.Done, (await purchase).Status);
        Assert.Equal(OutcomeStatus.Rejected, (await tooMuch).Status);
        Assert.Empty(_ledger.Entries.Select(e => e.Event).OfType<PointsRedeemed>());
    });

    [Fact]
    public Task A_commit_that_failed_after_it_happened_is_caught_up_before_the_next_command_and_never_counted_twice() =>
        InActivation(async log =>
        {
            (_ledger.NextFailure, _ledger.FailAfterWriting) = (new TimeoutException("connection lost"), true);
            await Assert.ThrowsAsync<TimeoutException>(() => log.Run(Purchase("r-1", 10m)));
            Assert.False(log.KnowsLedgerEnd);
            var reads = _ledger.Reads;

            var retry = await log.Run(Purchase("r-1", 10m));
            var next = await log.Run(Purchase("r-2", 20m));

            Assert.Equal(reads + 1, _ledger.Reads);
            Assert.Equal(OutcomeStatus.Replayed, retry.Status);
            Assert.Equal(30, next.Value!.Balance.Total.Value);
            Assert.True(log.KnowsLedgerEnd);
        });

    [Fact]
    public Task A_commit_that_failed_before_it_happened_leaves_nothing_and_the_retry_is_recorded_once() =>
        InActivation(async log =>
        {
            _ledger.NextFailure = new TimeoutException("connection lost");
            await Assert.ThrowsAsync<TimeoutException>(() => log.Run(Purchase("r-1", 10m)));
            Assert.Empty(_ledger.Entries.Select(e => e.Event).OfType<PointsEarned>());

            var retry = await log.Run(Purchase("r-1", 10m));

            Assert.Equal(OutcomeStatus.Done, retry.Status);
            Assert.Single(_ledger.Entries.Select(e => e.Event).OfType<PointsEarned>());
        });

    [Fact]
    public Task A_stale_log_fails_its_batch_and_every_later_command_and_tells_its_host() => InActivation(async log =>
    {
        // Another writer appended to the card behind this log's back.
        _ledger.Entries.Add((_ledger.Last + 1, new SpendingSwitched(_time.GetUtcNow(), true)));

        await Assert.ThrowsAsync<StaleActivationException>(() => log.Run(Purchase("r-1", 10m)));
        await Assert.ThrowsAsync<StaleActivationException>(() => log.Run(Purchase("r-2", 10m)));
        Assert.NotNull(_host.StaleWith);
        Assert.False(log.KnowsLedgerEnd);
    });

    [Fact]
    public Task A_command_abandoned_while_it_waited_is_never_written() => InActivation(async log =>
    {
        var gate = new TaskCompletionSource();
        _ledger.Gate = gate;
        var committing = log.Run(Purchase("r-1", 10m));
        await Until(() => _ledger.Gate is null);
        using var tillGivesUp = new CancellationTokenSource();
        var abandoned = log.Run(Purchase("r-2", 20m), tillGivesUp.Token);

        tillGivesUp.Cancel();
        gate.SetResult();

        await committing;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        await log.Run(Purchase("r-3", 5m));
        Assert.DoesNotContain(_ledger.Entries.Select(e => e.Event).OfType<PointsEarned>(), p => p.OperationId == "r-2");
    });

    [Fact]
    public Task An_invalid_command_is_answered_at_once_and_queues_nothing() => InActivation(async log =>
    {
        var invalid = await log.Run(Purchase("", 10m));

        Assert.Equal(OutcomeStatus.Invalid, invalid.Status);
        Assert.Contains("receiptId", invalid.Errors!.Keys);
        Assert.Single(_ledger.Appends); // the issue only
    });

    [Fact]
    public Task A_command_that_reads_the_ledger_reads_it_after_everything_queued_before_it_is_committed() =>
        InActivation(async log =>
        {
            var purchase = log.Run(Purchase("r-1", 10m));
            var refund = log.Run(new RefundCommand(new RefundPurchase("f-1", "r-1", "st-1", [])));

            Assert.Equal(OutcomeStatus.Done, (await purchase).Status);
            Assert.Equal(OutcomeStatus.Done, (await refund).Status);
            Assert.Equal(0, log.Account.BalanceAt(_time.GetUtcNow()).Total.Value);
        });

    private Task InActivation(Func<CardCommandLog, Task> test) => _activation.StartNew(async () =>
    {
        var log = NewLog(new CardAccount(_rules, null), 0);
        await log.CatchUp();
        var issued = await log.Run(new IssueCommand(Card, Testing.Cards.Questionnaire()));
        Assert.Equal(OutcomeStatus.Done, issued.Status);
        await test(log);
    }).Unwrap();

    private CardCommandLog NewLog(CardAccount account, long sequence) =>
        new(Card, _ledger, _host, new CommandValidator(_rules), _time, account, sequence);

    /// <summary>Litres at 1 point each, with no hold, so that balances are plain sums.</summary>
    private static PurchaseCommand Purchase(string receipt, decimal litres) =>
        new(Testing.Cards.Fuel(receipt, litres), []);

    private static ProgrammeRules Rules()
    {
        var rules = new ProgrammeRules { HoldPeriod = TimeSpan.Zero };
        rules.ApplyDefaults();
        return rules;
    }

    /// <summary>Lets the log's writer run (it is on the same scheduler) until the condition holds.</summary>
    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition did not hold within 10 s.");
            await Task.Yield();
        }
    }
}
