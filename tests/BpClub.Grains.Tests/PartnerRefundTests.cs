using BpClub.Abstractions;
using BpClub.Domain.Units;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

[Collection(FakeClockCluster.Name)]
public sealed class PartnerRefundTests(FakeClockFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Cluster.Grains;
    // Transaction ids are unique per partner: tests sharing the cluster do not share partners.
    private readonly string _partner = "pt-" + Guid.NewGuid().ToString("N")[..10];
    private readonly string _otherPartner = "pt-" + Guid.NewGuid().ToString("N")[..10];

    private RecordPartnerPurchase Accrual(string transaction, decimal amount, string? partner = null) =>
        new(transaction, partner ?? _partner, 0.1m, new Money(amount), null);

    private RefundPartnerTransaction Refund(string refundId, string transaction, decimal? amount = null,
        string? partner = null) =>
        new(refundId, transaction, partner ?? _partner, amount is { } uah ? new Money(uah) : null);

    [Fact]
    public async Task Refund_of_a_whole_transaction_on_hold_takes_its_points_off_the_hold()
    {
        var card = await _grains.Issued();
        await card.AccruePartner(Accrual("tx-1", 1000m)).Ok();
        await card.AccruePartner(Accrual("tx-2", 300m)).Ok();

        var refund = await card.RefundPartner(Refund("pr-1", "tx-1")).Ok();

        Assert.Equal(("pr-1", "tx-1", 1000m, 100L), (refund.PartnerRefundId, refund.PartnerTransactionId,
            refund.Amount.Uah, refund.PointsReversed.Value));
        Assert.Equal((0L, 30L), (refund.Balance.Available.Value, refund.Balance.OnHold.Value));
    }

    [Fact]
    public async Task Partial_refunds_never_take_more_than_the_transaction_earned()
    {
        var card = await _grains.Issued();
        await card.AccruePartner(Accrual("tx-1", 1000m)).Ok();
        await card.AccruePartner(Accrual("tx-2", 300m)).Ok();

        var first = await card.RefundPartner(Refund("pr-1", "tx-1", 605m)).Ok();
        var tooMuch = await card.RefundPartner(Refund("pr-2", "tx-1", 395.01m));
        var rest = await card.RefundPartner(Refund("pr-3", "tx-1")).Ok();
        var again = await card.RefundPartner(Refund("pr-4", "tx-1"));

        Assert.Equal((60L, 40L, 395m), (first.PointsReversed.Value, rest.PointsReversed.Value, rest.Amount.Uah));
        Assert.Equal(OutcomeStatus.Rejected, tooMuch.Status);
        Assert.Equal(OutcomeStatus.Rejected, again.Status);
        Assert.Equal(30, (await card.GetBalance().Ok()).Total.Value);
    }

    [Fact]
    public async Task A_retry_answers_the_first_result_and_another_payload_under_its_id_is_a_conflict()
    {
        var card = await _grains.Issued();
        await card.AccruePartner(Accrual("tx-1", 1000m)).Ok();

        var first = await card.RefundPartner(Refund("pr-1", "tx-1", 200m));
        var retry = await card.RefundPartner(Refund("pr-1", "tx-1", 200m));
        var other = await card.RefundPartner(Refund("pr-1", "tx-1", 300m));

        Assert.Equal((OutcomeStatus.Done, OutcomeStatus.Replayed, OutcomeStatus.Conflict),
            (first.Status, retry.Status, other.Status));
        Assert.Equal(first.Value!.PointsReversed, retry.Value!.PointsReversed);
        Assert.Equal(80, (await card.GetBalance().Ok()).Total.Value);
    }

    [Fact]
    public async Task Another_partner_cannot_refund_the_transaction_even_with_its_id()
    {
        var card = await _grains.Issued();
        await card.AccruePartner(Accrual("tx-1", 1000m)).Ok();

        var refused = await card.RefundPartner(Refund("pr-1", "tx-1", partner: _otherPartner));

        Assert.Equal(OutcomeStatus.NotFound, refused.Status);
        Assert.Equal(100, (await card.GetBalance().Ok()).Total.Value);
        Assert.Null(await _grains.GetGrain<IPartnerTransactionsGrain>(_otherPartner).FindCard("tx-1", "pr-1"));
    }

    [Fact]
    public async Task The_card_is_found_from_the_partners_transaction_and_a_refund_id_from_where_it_went()
    {
        var card = await _grains.Issued();
        var otherCard = await _grains.Issued();
        await card.AccruePartner(Accrual("tx-1", 1000m)).Ok();
        await otherCard.AccruePartner(Accrual("tx-2", 1000m)).Ok();
        var index = _grains.GetGrain<IPartnerTransactionsGrain>(_partner);

        Assert.Equal(card.GetPrimaryKeyString(), await index.FindCard("tx-1", "pr-1"));
        Assert.Null(await index.FindCard("tx-404", "pr-1"));
        await card.RefundPartner(Refund("pr-1", "tx-1", 100m)).Ok();
        // The same refund id for another transaction goes where the id is, which refuses it.
        Assert.Equal(card.GetPrimaryKeyString(), await index.FindCard("tx-2", "pr-1"));
        Assert.Equal(OutcomeStatus.Conflict, (await card.RefundPartner(Refund("pr-1", "tx-2"))).Status);
    }

    [Fact]
    public async Task A_refund_survives_the_card_being_read_back_from_its_ledger()
    {
        var number = Testing.Cards.NewNumber();
        var card = await _grains.Issued(number);
        await card.AccruePartner(Accrual("tx-1", 1000m)).Ok();
        await card.RefundPartner(Refund("pr-1", "tx-1", 400m)).Ok();

        await fixture.Cluster.DeactivateAll();
        var rest = await _grains.GetGrain<ICardGrain>(number).RefundPartner(Refund("pr-2", "tx-1")).Ok();

        Assert.Equal(60, rest.PointsReversed.Value);
        Assert.Equal(0, rest.Balance.Total.Value);
    }

    [Fact]
    public async Task Bad_values_are_refused_before_anything_changes()
    {
        var card = await _grains.Issued();
        await card.AccruePartner(Accrual("tx-1", 1000m)).Ok();

        var statuses = new[]
        {
            (await card.RefundPartner(Refund("", "tx-1"))).Status,
            (await card.RefundPartner(Refund("pr-1", ""))).Status,
            (await card.RefundPartner(Refund("pr-1", "tx-1", 0m))).Status,
            (await card.RefundPartner(Refund("pr-1", "tx-1", 1.005m))).Status,
            (await card.RefundPartner(Refund(new string('r', 65), "tx-1"))).Status,
        };

        Assert.All(statuses, s => Assert.Equal(OutcomeStatus.Invalid, s));
        Assert.Equal(100, (await card.GetBalance().Ok()).Total.Value);
    }
}
