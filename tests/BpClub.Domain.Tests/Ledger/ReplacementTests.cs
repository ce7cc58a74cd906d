using BpClub.Domain.Ledger;
using BpClub.Domain.Units;

namespace BpClub.Domain.Tests.Ledger;

/// <summary>The decisions of a card replacement on each of the two cards.</summary>
public sealed class ReplacementTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 10, 0, 0, TimeSpan.Zero);
    private const string NewCard = "4000001234567899";
    private const string OldCard = "4000009876543217";

    private static (CardUnderTest Old, ReplacementStarted Started) Started()
    {
        var old = new CardUnderTest(Start);
        old.BuyFuel(120m);
        old.Advance(old.Rules.HoldPeriod + TimeSpan.FromHours(1));
        old.BuyFuel(30m);
        var started = CardUnderTest.Must(old.Run(a => a.StartReplacement("t-1", NewCard, true, null, old.Now)))
            .Events.OfType<ReplacementStarted>().Single();
        return (old, started);
    }

    [Fact]
    public void Starting_records_what_falls_due_then_moves_everything_out_and_closes_the_card_to_tills()
    {
        var (old, started) = Started();

        // 120 L released first (Green, 1 a litre), 30 L at Gold (2 a litre) still on hold.
        Assert.Contains(old.Ledger, e => e is PointsReleased { Points.Value: 120 });
        Assert.Equal((120L, 60L), (started.Moved.Settled, started.Moved.OnHold()));
        Assert.Equal(150m, started.Moved.MonthLitres.Values.Sum());
        Assert.Equal((CardStatus.Replacing, 0L), (old.Account.Status, old.Balance.Total.Value));
        Assert.Equal(RejectionKind.CardReplaced, old.Redeem(1).Rejection!.Kind);
        Assert.Equal(RejectionKind.CardReplaced, old.Adjust(5).Rejection!.Kind);
        Assert.Equal(RejectionKind.CardReplaced,
            old.Run(a => a.StartReplacement("t-2", NewCard, false, null, old.Now)).Rejection!.Kind);
        // While it is under way the reminder is due at once, to finish it.
        Assert.Equal(old.Account.SettledThrough, old.Account.NextDueAt());
    }

    [Fact]
    public void The_new_card_receives_the_points_their_release_dates_and_the_level()
    {
        var (old, started) = Started();
        var fresh = new CardUnderTest(old.Now);
        fresh.BuyFuel(10m);

        CardUnderTest.Must(fresh.Run(a => a.ReceiveTransfer("t-1", OldCard, started.Moved, fresh.Now)));

        Assert.Equal((120L, 70L), (fresh.Balance.Available.Value, fresh.Balance.OnHold.Value));
        Assert.Equal("Gold", fresh.Tier.Name);
        Assert.Equal(160m, fresh.Tier.QualifyingLitres.Value);
        Assert.Equal([OldCard], fresh.Account.Predecessors);
        fresh.Advance(fresh.Rules.HoldPeriod);
        CardUnderTest.Must(fresh.Run(a => a.ReleaseHeldPoints(fresh.Now)));
        Assert.Equal(190L, fresh.Balance.Available.Value);
    }

    [Fact]
    public void Completing_closes_the_old_card_for_good_and_a_second_completion_changes_nothing()
    {
        var (old, _) = Started();

        CardUnderTest.Must(old.Run(a => a.CompleteReplacement("t-1", old.Now)));
        var again = CardUnderTest.Must(old.Run(a => a.CompleteReplacement("t-1", old.Now)));

        Assert.Empty(again.Events);
        Assert.Equal((CardStatus.Replaced, NewCard), (old.Account.Status, old.Account.ReplacedBy));
        Assert.Null(old.Account.NextDueAt());
        Assert.Contains(NewCard[^4..], old.Redeem(1).Rejection!.Detail);
        Assert.True(old.Run(a => a.AbortReplacement("t-1", "late", old.Now)).IsRejected);
    }

    [Fact]
    public void Aborting_gives_the_old_card_back_everything_it_handed_over()
    {
        var (old, _) = Started();

        Assert.True(old.Run(a => a.AbortReplacement("t-other", "wrong id", old.Now)).IsRejected);
        CardUnderTest.Must(old.Run(a => a.AbortReplacement("t-1", "the new card was closed", old.Now)));

        Assert.Equal((CardStatus.Active, 120L, 60L),
            (old.Account.Status, old.Balance.Available.Value, old.Balance.OnHold.Value));
        Assert.Equal("Gold", old.Tier.Name);
        Assert.False(old.Redeem(1).Rejection?.Kind == RejectionKind.CardReplaced);
    }

    [Fact]
    public void A_closed_or_replacing_new_card_refuses_the_transfer()
    {
        var (_, started) = Started();
        var terminated = new CardUnderTest(Start);
        CardUnderTest.Must(terminated.Run(a => a.Terminate(terminated.Now)));
        var (replacing, _) = Started();

        Assert.True(terminated.Run(a => a.ReceiveTransfer("t-1", OldCard, started.Moved, terminated.Now)).IsRejected);
        Assert.Equal(RejectionKind.CardReplaced,
            replacing.Run(a => a.ReceiveTransfer("t-1", OldCard, started.Moved, replacing.Now)).Rejection!.Kind);
    }

    [Fact]
    public void The_state_survives_a_snapshot_in_every_step()
    {
        var (old, started) = Started();
        var restored = new CardAccount(old.Rules, old.Account.ToState());
        Assert.Equal(started.TransferId, restored.Replacing!.TransferId);
        Assert.Equal(CardStatus.Replacing, restored.Status);

        var fresh = new CardUnderTest(old.Now);
        CardUnderTest.Must(fresh.Run(a => a.ReceiveTransfer("t-1", OldCard, started.Moved, fresh.Now)));
        var copy = new CardAccount(fresh.Rules, fresh.Account.ToState());
        Assert.Equal(fresh.Balance.Total, copy.BalanceAt(fresh.Now).Total);
        Assert.Equal([OldCard], copy.Predecessors);
        Assert.Equal(new Points(180), copy.BalanceAt(fresh.Now).Total);
    }
}
