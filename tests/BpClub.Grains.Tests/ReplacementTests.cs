using BpClub.Abstractions;
using BpClub.Domain.Cards;
using BpClub.Domain.Units;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

/// <summary>A hold long enough to replace a card while its points are held, a reminder quick enough to watch.</summary>
public sealed class ReplacementFixture : IAsyncLifetime
{
    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["Programme:HoldPeriod"] = "00:00:20",
        ["Programme:AnnualExpiryEnabled"] = "false",
        ["Reminders:MinimumReminderPeriod"] = "00:00:02",
        ["Reminders:RefreshReminderListPeriod"] = "00:00:02",
        ["Reminders:InitializationTimeout"] = "00:00:30",
    };

    public BpClubTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await BpClubTestCluster.Start(settings: Settings);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

public sealed class ReplacementTests(ReplacementFixture fixture) : IClassFixture<ReplacementFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly TestStation _till = new();
    private IGrainFactory Grains => fixture.Cluster.Grains;

    /// <summary>A card with 30 points available (an adjustment) and 40 on hold (a purchase of 40 L).</summary>
    private async Task<(ICardGrain Old, ICardGrain New)> Setup()
    {
        var old = await Grains.Issued();
        await old.Accrue(_till.Fuel("r-1", 40m)).Ok();
        await old.Adjust(new AdjustPoints("a-1", new Points(30), "goodwill", "op-1")).Ok();
        return (old, await Grains.Issued());
    }

    private async Task<long> Total(ICardGrain card) =>
        await fixture.Cluster.Database.LedgerTotal(card.GetPrimaryKeyString());

    [Fact]
    public async Task Everything_moves_to_the_new_card_and_the_old_one_is_closed_to_tills()
    {
        var (old, fresh) = await Setup();
        var tierBefore = await old.GetTier().Ok();

        var replaced = await old.Replace(new ReplaceCard(fresh.GetPrimaryKeyString())).Ok();

        Assert.Equal((30L, 40L), (replaced.Available.Value, replaced.OnHold.Value));
        var balance = await fresh.GetBalance().Ok();
        Assert.Equal((30L, 40L, 70L), (balance.Available.Value, balance.OnHold.Value, balance.Total.Value));
        Assert.NotNull(balance.NextRelease);
        Assert.Equal(tierBefore.QualifyingLitres, (await fresh.GetTier().Ok()).QualifyingLitres);
        var summary = await old.GetSummary().Ok();
        Assert.Equal(("replaced", fresh.GetPrimaryKeyString(), 0L),
            (summary.Status, summary.ReplacedBy, summary.Balance.Total.Value));
        Assert.Equal((0L, 70L), (await Total(old), await Total(fresh)));

        Assert.Equal(OutcomeStatus.CardReplaced, (await old.Accrue(_till.Fuel("r-2", 10m))).Status);
        Assert.Equal(OutcomeStatus.CardReplaced,
            (await old.Redeem(new RedeemPoints("x-1", _till.Station, new Points(1)))).Status);
        Assert.Equal(OutcomeStatus.CardReplaced,
            (await old.Adjust(new AdjustPoints("a-2", new Points(5), "again", "op-1"))).Status);
        Assert.Equal(0L, await Total(old));
    }

    [Fact]
    public async Task The_moved_held_points_are_released_on_the_new_card_by_its_reminder()
    {
        var (old, fresh) = await Setup();
        await old.Replace(new ReplaceCard(fresh.GetPrimaryKeyString())).Ok();
        var number = fresh.GetPrimaryKeyString();

        Assert.Equal(1, await fixture.Cluster.Database.ReminderCount(number));
        // Watch the database, not the grain: a call would settle the release itself.
        await Poll.Until(() => fixture.Cluster.Database.LedgerCount(number, "released"), n => n == 1, Deadline,
            "the release entry on the new card");
        Assert.Equal(70L, (await fresh.GetBalance().Ok()).Available.Value);
        Assert.Equal(0, await fixture.Cluster.Database.LedgerCount(old.GetPrimaryKeyString(), "released"));
    }

    [Fact]
    public async Task A_retry_answers_the_first_result_and_moves_nothing_twice()
    {
        var (old, fresh) = await Setup();
        var request = new ReplaceCard(fresh.GetPrimaryKeyString());
        var first = await old.Replace(request);
        await fixture.Cluster.DeactivateAll();
        var again = await old.Replace(request with { OperatorId = "op-2" });

        Assert.Equal((OutcomeStatus.Done, OutcomeStatus.Replayed), (first.Status, again.Status));
        Assert.Equal(first.Value!.TransferId, again.Value!.TransferId);
        Assert.Equal((0L, 70L), (await Total(old), await Total(fresh)));
        Assert.Equal(1, await fixture.Cluster.Database.LedgerCount(fresh.GetPrimaryKeyString(), "transferred"));
        // Another new card for a replaced card: closed.
        var other = await Grains.Issued();
        Assert.Equal(OutcomeStatus.CardReplaced,
            (await old.Replace(new ReplaceCard(other.GetPrimaryKeyString()))).Status);
    }

    [Fact]
    public async Task The_new_card_must_be_issued_active_unregistered_and_another_card()
    {
        var (old, _) = await Setup();
        var unknown = Testing.Cards.NewNumber();
        var registered = await Grains.Issued();
        await Grains.GetGrain<IMemberGrain>(registered.GetPrimaryKeyString())
            .Register(PhoneNumber.Parse(BpClubApp.NewPhone()), "not-a-real-hash").Ok();
        var terminated = await Grains.Issued();
        await terminated.Terminate(new TerminateParticipation(DateTimeOffset.UtcNow.AddDays(-1), "t")).Ok();

        Assert.Equal(OutcomeStatus.NotFound, (await old.Replace(new ReplaceCard(unknown))).Status);
        Assert.Equal(OutcomeStatus.Conflict,
            (await old.Replace(new ReplaceCard(registered.GetPrimaryKeyString()))).Status);
        Assert.Equal(OutcomeStatus.Rejected,
            (await old.Replace(new ReplaceCard(terminated.GetPrimaryKeyString()))).Status);
        Assert.Equal(OutcomeStatus.Invalid, (await old.Replace(new ReplaceCard(old.GetPrimaryKeyString()))).Status);
        Assert.Equal(OutcomeStatus.Invalid, (await old.Replace(new ReplaceCard("1234"))).Status);
        Assert.Equal(70L, await Total(old));
        Assert.Equal("active", (await old.GetSummary().Ok()).Status);
    }

    [Fact]
    public async Task The_registration_moves_so_the_member_signs_in_with_the_same_phone_on_the_new_card()
    {
        var (old, fresh) = await Setup();
        var phone = PhoneNumber.Parse(BpClubApp.NewPhone());
        var hash = new Microsoft.AspNetCore.Identity.PasswordHasher<object>().HashPassword(new object(), "s3cret-pass");
        var account = Grains.GetGrain<IMemberGrain>(old.GetPrimaryKeyString());
        await account.Register(phone, hash).Ok();

        await old.Replace(new ReplaceCard(fresh.GetPrimaryKeyString())).Ok();

        Assert.False(await account.IsRegistered());
        Assert.True(await Grains.GetGrain<IMemberGrain>(fresh.GetPrimaryKeyString()).IsRegistered());
        var grant = await Grains.GetGrain<IPhoneGrain>(phone.Value).SignIn("s3cret-pass", "test").Ok();
        Assert.Equal(fresh.GetPrimaryKeyString(), grant.CardNumber);
    }

    [Fact]
    public async Task One_history_the_new_cards_entries_then_the_old_cards_page_by_page()
    {
        var (old, fresh) = await Setup();
        await fresh.Accrue(_till.Fuel("r-new", 5m)).Ok();
        await old.Replace(new ReplaceCard(fresh.GetPrimaryKeyString())).Ok();

        var all = new List<HistoryItem>();
        string? cursor = null;
        do
        {
            var page = await fresh.GetHistory(2, cursor).Ok();
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        } while (cursor is not null);

        Assert.Equal(["transferred", "purchase", "issued", "replaced", "replacing", "adjustment", "purchase", "issued"],
            all.Select(i => i.Kind));
        Assert.Equal(all.Count, all.Select(i => i.Id).Distinct().Count());
        // A cursor into a card this one did not replace is refused.
        var stranger = await Grains.Issued();
        Assert.Equal(OutcomeStatus.Invalid,
            (await fresh.GetHistory(2, $"{stranger.GetPrimaryKeyString()}:100")).Status);
    }

    [Fact]
    public async Task A_refund_of_a_receipt_made_on_the_old_card_is_taken_from_the_new_card_once()
    {
        var (old, fresh) = await Setup();
        await old.Replace(new ReplaceCard(fresh.GetPrimaryKeyString())).Ok();
        var refund = new RefundPurchase("f-1", "r-1", _till.Station, []);

        var refunded = await old.Refund(refund).Ok();
        var again = await old.Refund(refund);

        Assert.Equal(40L, refunded.PointsReversed.Value);
        Assert.Equal(OutcomeStatus.Replayed, again.Status);
        Assert.Equal((0L, 30L), (await Total(old), await Total(fresh)));
        Assert.Equal(0L, (await fresh.GetBalance().Ok()).OnHold.Value);
        Assert.Equal(OutcomeStatus.Rejected,
            (await old.Refund(new RefundPurchase("f-2", "r-1", _till.Station, []))).Status);
    }

    // ---- a crash between each pair of steps: the points end on exactly one card, once ------------------------------

    [Fact]
    public async Task Cut_short_before_the_account_moves_a_retry_finishes_it()
    {
        var (old, fresh) = await Setup();
        var number = old.GetPrimaryKeyString();
        await using (await fixture.Cluster.Database.RefuseMemberMove(number))
        {
            await Grains.GetGrain<IMemberGrain>(number)
                .Register(PhoneNumber.Parse(BpClubApp.NewPhone()), "not-a-real-hash").Ok();
            await Assert.ThrowsAnyAsync<Exception>(() => old.Replace(new ReplaceCard(fresh.GetPrimaryKeyString())));
            Assert.Equal("replacing", (await old.GetSummary().Ok()).Status);
            Assert.Equal((0L, 0L), (await Total(old), await Total(fresh)));
            await fixture.Cluster.DeactivateAll();
        }
        var retried = await old.Replace(new ReplaceCard(fresh.GetPrimaryKeyString()));

        Assert.True(retried.Succeeded, retried.Detail);
        Assert.Equal((0L, 70L), (await Total(old), await Total(fresh)));
        Assert.True(await Grains.GetGrain<IMemberGrain>(fresh.GetPrimaryKeyString()).IsRegistered());
    }

    [Fact]
    public async Task Cut_short_before_the_new_card_receives_the_reminder_finishes_it_with_no_retry()
    {
        var (old, fresh) = await Setup();
        await using (await fixture.Cluster.Database.RefuseLedgerKind(fresh.GetPrimaryKeyString(), "transferred"))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => old.Replace(new ReplaceCard(fresh.GetPrimaryKeyString())));
            Assert.Equal((0L, 0L), (await Total(old), await Total(fresh)));
            Assert.Equal(OutcomeStatus.CardReplaced, (await old.Accrue(_till.Fuel("r-2", 10m))).Status);
            await fixture.Cluster.DeactivateAll();
        }
        var number = old.GetPrimaryKeyString();

        await Poll.Until(() => fixture.Cluster.Database.LedgerCount(number, "replaced"), n => n == 1, Deadline,
            "the reminder to finish the replacement");
        Assert.Equal((0L, 70L), (await Total(old), await Total(fresh)));
        Assert.Equal(70L, (await fresh.GetBalance().Ok()).Total.Value);
        Assert.Equal(1, await fixture.Cluster.Database.LedgerCount(fresh.GetPrimaryKeyString(), "transferred"));
    }

    [Fact]
    public async Task Cut_short_after_the_new_card_received_a_retry_closes_the_old_one_and_moves_nothing_twice()
    {
        var (old, fresh) = await Setup();
        await using (await fixture.Cluster.Database.RefuseLedgerKind(old.GetPrimaryKeyString(), "replaced"))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => old.Replace(new ReplaceCard(fresh.GetPrimaryKeyString())));
            Assert.Equal((0L, 70L), (await Total(old), await Total(fresh)));
            await fixture.Cluster.DeactivateAll();
        }
        var retried = await old.Replace(new ReplaceCard(fresh.GetPrimaryKeyString()));

        Assert.Equal(OutcomeStatus.Replayed, retried.Status);
        Assert.Equal("replaced", (await old.GetSummary().Ok()).Status);
        Assert.Equal((0L, 70L), (await Total(old), await Total(fresh)));
        Assert.Equal(1, await fixture.Cluster.Database.LedgerCount(fresh.GetPrimaryKeyString(), "transferred"));
    }

    [Fact]
    public async Task Cut_short_before_anything_moved_nothing_changed()
    {
        var (old, fresh) = await Setup();
        await using (await fixture.Cluster.Database.RefuseLedgerKind(old.GetPrimaryKeyString(), "replacing"))
            await Assert.ThrowsAnyAsync<Exception>(() => old.Replace(new ReplaceCard(fresh.GetPrimaryKeyString())));

        Assert.Equal((70L, 0L), (await Total(old), await Total(fresh)));
        Assert.Equal(70L, (await old.GetBalance().Ok()).Total.Value);
        Assert.True((await old.Replace(new ReplaceCard(fresh.GetPrimaryKeyString()))).Succeeded);
        Assert.Equal((0L, 70L), (await Total(old), await Total(fresh)));
    }
}
