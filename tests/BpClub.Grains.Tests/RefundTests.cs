using BpClub.Abstractions;
using BpClub.Domain.Earning;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

[Collection(FakeClockCluster.Name)]
public sealed class RefundTests(FakeClockFixture fixture)
{
    private readonly TestStation _till = new();
    private readonly IGrainFactory _grains = fixture.Cluster.Grains;

    [Fact]
    public async Task Refund_of_a_receipt_still_on_hold_takes_its_points_off_the_hold()
    {
        var card = await _grains.Issued();
        await card.Accrue(_till.Fuel("r-1", 40m)).Ok();

        var refund = await card.Refund(new RefundPurchase("f-1", "r-1", _till.Station, [])).Ok();

        Assert.Equal(40, refund.PointsReversed.Value);
        Assert.Equal((0L, 0L, 0L),
            (refund.Balance.Available.Value, refund.Balance.OnHold.Value, refund.Balance.Total.Value));
        Assert.Null(refund.Balance.NextRelease);
    }

    [Fact]
    public async Task Refund_of_a_receipt_already_available_takes_its_points_off_the_available_balance()
    {
        var card = await _grains.Issued();
        await card.Accrue(_till.Fuel("r-old", 40m)).Ok();
        fixture.MovePastHold();
        await card.Accrue(_till.Fuel("r-new", 10m)).Ok();

        var refund = await card.Refund(new RefundPurchase("f-1", "r-old", _till.Station, null!)).Ok();

        Assert.Equal(40, refund.PointsReversed.Value);
        Assert.Equal((0L, 10L), (refund.Balance.Available.Value, refund.Balance.OnHold.Value));
    }

    [Fact]
    public async Task Refund_of_some_lines_takes_back_only_their_points()
    {
        var card = await _grains.Issued();
        await card.Accrue(_till.Receipt("r-1", Testing.Cards.FuelLine(30m), Testing.Cards.ShopLine(100m),
            Testing.Cards.FuelLine(20m, "DP"))).Ok();

        var refund = await card.Refund(new RefundPurchase("f-1", "r-1", _till.Station, [2, 3])).Ok();
        var rest = await card.Refund(new RefundPurchase("f-2", "r-1", _till.Station, [])).Ok();

        Assert.Equal(25, refund.PointsReversed.Value);
        Assert.Equal(30, rest.PointsReversed.Value);
        Assert.Equal(0, rest.Balance.Total.Value);
    }

    [Fact]
    public async Task Refunded_litres_stop_counting_towards_the_level()
    {
        var card = await _grains.Issued();
        await card.Accrue(_till.Fuel("r-1", 60m)).Ok();
        await card.Accrue(_till.Fuel("r-2", 50m)).Ok();
        Assert.Equal("Gold", (await card.GetTier().Ok()).Name);

        await card.Refund(new RefundPurchase("f-1", "r-2", _till.Station, [])).Ok();

        var tier = await card.GetTier().Ok();
        Assert.Equal(("Green", 60m, 40m),
            (tier.Name, tier.QualifyingLitres.Value, tier.LitresToNextLevel!.Value.Value));
    }

    [Fact]
    public async Task Refund_of_an_unknown_receipt_is_not_found_and_changes_nothing()
    {
        var card = await _grains.Issued();
        await card.Accrue(_till.Fuel("r-1", 40m)).Ok();

        var refund = await card.Refund(new RefundPurchase("f-1", "r-404", _till.Station, []));

        Assert.Equal(OutcomeStatus.NotFound, refund.Status);
        Assert.Equal(40, (await card.GetBalance().Ok()).Total.Value);
        Assert.Equal(OutcomeStatus.NotFound,
            (await _grains.GetGrain<ICardGrain>(Testing.Cards.NewNumber())
                .Refund(new RefundPurchase("f-1", "r-1", _till.Station, []))).Status);
    }

    [Fact]
    public async Task Replayed_refund_returns_its_first_result_and_takes_nothing_more()
    {
        var card = await _grains.Issued();
        await card.Accrue(_till.Fuel("r-1", 40m)).Ok();
        await card.Accrue(_till.Fuel("r-2", 10m)).Ok();
        var first = await card.Refund(new RefundPurchase("f-1", "r-1", _till.Station, []));

        var again = await card.Refund(new RefundPurchase("f-1", "r-1", _till.Station, []));
        var reused = await card.Refund(new RefundPurchase("f-1", "r-2", _till.Station, []));

        Assert.Equal(OutcomeStatus.Replayed, again.Status);
        Assert.Equal(first.Value, again.Value);
        Assert.Equal(OutcomeStatus.Conflict, reused.Status);
        Assert.Equal(10, (await card.GetBalance().Ok()).Total.Value);
    }

    [Fact]
    public async Task Refund_finds_the_receipt_of_its_own_station_when_two_stations_printed_the_same_number()
    {
        var card = await _grains.Issued();
        await card.Accrue(_till.Fuel("1001", 40m, station: _till.Station)).Ok();
        await card.Accrue(_till.Fuel("1001", 10m, station: _till.OtherStation)).Ok();

        var atFirst = await card.Refund(new RefundPurchase("f-1", "1001", _till.Station, [])).Ok();
        var atSecond = await card.Refund(new RefundPurchase("f-1", "1001", _till.OtherStation, [])).Ok();

        Assert.Equal((40L, 10L), (atFirst.PointsReversed.Value, atSecond.PointsReversed.Value));
        Assert.Equal(0, atSecond.Balance.Total.Value);
    }

    [Fact]
    public async Task Refund_at_another_station_than_the_receipts_is_not_found_and_changes_nothing()
    {
        var card = await _grains.Issued();
        await card.Accrue(_till.Fuel("1001", 40m, station: _till.Station)).Ok();
        var before = await card.GetHistory(100, null).Ok();

        var refund = await card.Refund(new RefundPurchase("f-1", "1001", _till.OtherStation, []));

        Assert.Equal(OutcomeStatus.NotFound, refund.Status);
        Assert.Equal(40, (await card.GetBalance().Ok()).Total.Value);
        Assert.Equal(40m, (await card.GetTier().Ok()).QualifyingLitres.Value);
        Assert.Equal(before.Items.Count, (await card.GetHistory(100, null).Ok()).Items.Count);
    }

    [Fact]
    public async Task Refund_is_recorded_in_the_history_as_a_negative_entry()
    {
        var card = await _grains.Issued();
        await card.Accrue(new RecordPurchase("r-1", _till.Station, null, PaymentMethod.BpClubCard,
            [Testing.Cards.FuelLine(20m)])).Ok();
        await card.Refund(new RefundPurchase("f-1", "r-1", _till.Station, [])).Ok();

        var latest = (await card.GetHistory(1, null).Ok()).Items.Single();

        Assert.Equal(("refund", -40L, -20m), (latest.Kind, latest.Points.Value, latest.Litres!.Value.Value));
    }
}
