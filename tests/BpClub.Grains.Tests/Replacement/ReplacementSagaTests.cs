using BpClub.Abstractions;
using BpClub.Domain.Ledger;
using BpClub.Domain.Programme;
using BpClub.Domain.Validation;
using BpClub.Grains.Cards;
using BpClub.Grains.Cards.Commands;
using BpClub.Grains.Cards.Replacement;
using BpClub.Grains.Members.Storage;
using BpClub.Grains.Tests.CommandLog;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BpClub.Grains.Tests.Replacement;

/// <summary>
/// The replacement saga without Orleans or PostgreSQL: two cards, each with its command log on an in-memory ledger,
/// the members' rows as a set. What moves, moves once; a refused step is undone; a step cut short is finished later.
/// </summary>
public sealed class ReplacementSagaTests
{
    private const string Old = "4000001234567899";
    private const string New = "4000001234567808";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly ProgrammeRules _rules = Rules();
    private readonly TaskFactory _activation = new(new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler);
    private readonly Parties _parties = new();

    [Fact]
    public Task The_points_and_the_registration_move_once_and_a_retry_answers_the_first_result() => Run(async () =>
    {
        var (old, next) = await TwoCards();
        _parties.Registered.Add(Old);

        var replaced = await old.Saga.Replace(new ReplaceCard(New));
        var retry = await old.Saga.Replace(new ReplaceCard(New));

        Assert.Equal(OutcomeStatus.Done, replaced.Status);
        Assert.Equal(30, replaced.Value!.Available.Value);
        Assert.Equal(OutcomeStatus.Replayed, retry.Status);
        Assert.Equal(replaced.Value.TransferId, retry.Value!.TransferId);
        Assert.Equal(CardStatus.Replaced, old.Log.Account.Status);
        Assert.Equal(New, old.Log.Account.ReplacedBy);
        Assert.Equal(0, old.Log.Account.BalanceAt(_time.GetUtcNow()).Total.Value);
        Assert.Equal(30, next.Log.Account.BalanceAt(_time.GetUtcNow()).Total.Value);
        Assert.Single(next.Ledger.Entries.Select(e => e.Event).OfType<TransferReceived>());
        Assert.Equal(New, Assert.Single(_parties.Registered));
    });

    [Fact]
    public Task A_new_card_registered_before_the_move_abandons_it_and_the_old_card_keeps_everything() => Run(async () =>
    {
        var (old, next) = await TwoCards();
        _parties.Registered.Add(Old);
        _parties.RegisterBeforeMove = New;

        var replaced = await old.Saga.Replace(new ReplaceCard(New));

        Assert.Equal(OutcomeStatus.Conflict, replaced.Status);
        Assert.Equal(CardStatus.Active, old.Log.Account.Status);
        Assert.Equal(30, old.Log.Account.BalanceAt(_time.GetUtcNow()).Total.Value);
        Assert.Equal(0, next.Log.Account.BalanceAt(_time.GetUtcNow()).Total.Value);
        Assert.Contains(Old, _parties.Registered);
    });

    [Fact]
    public Task A_hand_over_cut_short_is_finished_by_the_next_run_and_never_received_twice() => Run(async () =>
    {
        var (old, next) = await TwoCards();
        _parties.FailNextReceive = true;

        await Assert.ThrowsAsync<TimeoutException>(() => old.Saga.Replace(new ReplaceCard(New)));
        Assert.Equal(CardStatus.Replacing, old.Log.Account.Status);
        Assert.Equal(0, next.Log.Account.BalanceAt(_time.GetUtcNow()).Total.Value);

        await old.Saga.Finish(); // what the reminder, due at once, does
        await old.Saga.Finish();

        Assert.Equal(CardStatus.Replaced, old.Log.Account.Status);
        Assert.Equal(30, next.Log.Account.BalanceAt(_time.GetUtcNow()).Total.Value);
        Assert.Single(next.Ledger.Entries.Select(e => e.Event).OfType<TransferReceived>());
    });

    [Fact]
    public Task A_card_not_issued_or_registered_is_refused_and_nothing_is_recorded() => Run(async () =>
    {
        var (old, _) = await TwoCards();
        var entries = old.Ledger.Entries.Count;

        var unknown = await old.Saga.Replace(new ReplaceCard("4000001234567816"));
        _parties.Registered.Add(New);
        var registered = await old.Saga.Replace(new ReplaceCard(New));
        var itself = await old.Saga.Replace(new ReplaceCard(Old));

        Assert.Equal(OutcomeStatus.NotFound, unknown.Status);
        Assert.Equal(OutcomeStatus.Conflict, registered.Status);
        Assert.Equal(OutcomeStatus.Invalid, itself.Status);
        Assert.Equal(entries, old.Ledger.Entries.Count);
        Assert.Equal(CardStatus.Active, old.Log.Account.Status);
    });

    [Fact]
    public Task Only_what_the_old_card_recorded_as_handed_over_to_this_card_can_be_received() => Run(async () =>
    {
        var (old, next) = await TwoCards();

        var madeUp = await next.Saga.Receive("no-such-transfer", Old);

        Assert.Equal(OutcomeStatus.NotFound, madeUp.Status);
        Assert.Equal(0, next.Log.Account.BalanceAt(_time.GetUtcNow()).Total.Value);
    });

    private Task Run(Func<Task> test) => _activation.StartNew(test).Unwrap();

    /// <summary>The old card with 30 points available, the new one issued and empty.</summary>
    private async Task<(Card Old, Card New)> TwoCards()
    {
        var old = await Issue(Old);
        var next = await Issue(New);
        Assert.Equal(OutcomeStatus.Done,
            (await old.Log.Run(new PurchaseCommand(Testing.Cards.Fuel("r-1", 30m), []))).Status);
        return (old, next);
    }

    private async Task<Card> Issue(string number)
    {
        var ledger = new InMemoryLedger();
        var log = new CardCommandLog(number, ledger, new RecordingHost(), new CommandValidator(_rules), _time,
            new CardAccount(_rules, null), 0);
        await log.CatchUp();
        Assert.Equal(OutcomeStatus.Done, (await log.Run(new IssueCommand(number, Testing.Cards.Questionnaire())))
            .Status);
        var card = new Card(log, ledger, new ReplacementSaga(number, log, ledger, _parties, NullLogger.Instance));
        _parties.Cards[number] = card;
        return card;
    }

    private static ProgrammeRules Rules()
    {
        var rules = new ProgrammeRules { HoldPeriod = TimeSpan.Zero };
        rules.ApplyDefaults();
        return rules;
    }

    private sealed record Card(CardCommandLog Log, InMemoryLedger Ledger, ReplacementSaga Saga);

    /// <summary>The other card and the members' rows, as the saga sees them in a silo.</summary>
    private sealed class Parties : IReplacementParties
    {
        public Dictionary<string, Card> Cards { get; } = [];
        public HashSet<string> Registered { get; } = [];
        public string? RegisterBeforeMove { get; set; }
        public bool FailNextReceive { get; set; }

        public Task<Outcome<CardSummary>> Summary(string card) => Task.FromResult(
            Cards.TryGetValue(card, out var c)
                ? Outcome<CardSummary>.Done(new CardSummary(card, c.Log.Account.Status.ToString().ToLowerInvariant(),
                    false, null!, null!, null, null))
                : Outcome<CardSummary>.Fail(OutcomeStatus.NotFound, "Unknown card."));

        public Task<bool> IsRegistered(string card) => Task.FromResult(Registered.Contains(card));

        public Task<MemberMove> MoveMember(string from, string to)
        {
            if (RegisterBeforeMove is { } taken) (RegisterBeforeMove, _) = (null, Registered.Add(taken));
            if (Registered.Contains(to)) return Task.FromResult(MemberMove.TargetTaken);
            if (!Registered.Remove(from)) return Task.FromResult(MemberMove.NothingToMove);
            Registered.Add(to);
            return Task.FromResult(MemberMove.Moved);
        }

        public Task ReloadMember(string card) => Task.CompletedTask;

        public Task<Outcome<BalanceModel>> ReceiveTransfer(string newCard, string transferId, string oldCard)
        {
            if (FailNextReceive)
            {
                FailNextReceive = false;
                throw new TimeoutException("The new card's silo did not answer.");
            }
            return Cards[newCard].Saga.Receive(transferId, oldCard);
        }

        public Task<ReplacementStarted?> FindStarted(string oldCard, string transferId) => Task.FromResult(
            Cards[oldCard].Ledger.Entries.Select(e => e.Event).OfType<ReplacementStarted>()
                .LastOrDefault(s => s.TransferId == transferId));

        public Task<Outcome<RefundResult>> Refund(string card, RefundPurchase command,
            CancellationToken cancellation) => throw new NotSupportedException();
    }
}
