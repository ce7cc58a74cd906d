using BpClub.Abstractions;
using BpClub.Domain.Earning;
using BpClub.Domain.Units;
using BpClub.Testing;

namespace BpClub.Grains.Tests;

/// <summary>Bad input to any grain method is refused as invalid before anything changes.</summary>
[Collection(RealClockCluster.Name)]
public sealed class InvalidInputTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Cluster.Grains;

    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    /// <summary>Static, for the theory data: none of the bad calls records a receipt.</summary>
    private static readonly TestStation _till = new();

    public static TheoryData<string, Func<ICardGrain, Task<OutcomeStatus>>> BadCalls() => new()
    {
        { "purchase without lines", c => Status(c.Accrue(_till.Receipt("r-x"))) },
        { "purchase with null lines",
            c => Status(c.Accrue(new RecordPurchase("r-x", _till.Station, null, PaymentMethod.Cash, null!))) },
        { "purchase with a null line", c => Status(c.Accrue(_till.Receipt("r-x", null!))) },
        { "purchase of negative litres", c => Status(c.Accrue(_till.Fuel("r-x", -10m, amount: 100m))) },
        { "purchase of zero litres", c => Status(c.Accrue(_till.Fuel("r-x", 0m, amount: 100m))) },
        { "purchase of absurd litres", c => Status(c.Accrue(_till.Fuel("r-x", 1_000_000m))) },
        { "purchase of absurd amount", c => Status(c.Accrue(_till.Receipt("r-x", Testing.Cards.ShopLine(1e12m)))) },
        { "purchase of negative amount", c => Status(c.Accrue(_till.Receipt("r-x", Testing.Cards.ShopLine(-5m)))) },
        { "purchase with 500 lines",
            c => Status(c.Accrue(_till.Receipt("r-x", Enumerable.Repeat(Testing.Cards.ShopLine(1m), 500).ToArray()))) },
        { "purchase without receipt id", c => Status(c.Accrue(_till.Fuel("", 10m))) },
        { "purchase in the future", c => Status(c.Accrue(_till.Fuel("r-x", 10m, occurredAt: Now.AddDays(1)))) },
        { "purchase a year ago", c => Status(c.Accrue(_till.Fuel("r-x", 10m, occurredAt: Now.AddYears(-1)))) },
        { "null purchase", c => Status(c.Accrue(null!)) },
        { "partner zero amount",
            c => Status(c.AccruePartner(new RecordPartnerPurchase("t-x", "cafe", 0.1m, Money.Zero, null))) },
        { "partner negative rate",
            c => Status(c.AccruePartner(new RecordPartnerPurchase("t-x", "cafe", -0.1m, new Money(10m), null))) },
        { "partner absurd points",
            c => Status(c.AccruePartner(new RecordPartnerPurchase("t-x", "cafe", 100m, new Money(999_999m), null))) },
        { "null partner purchase", c => Status(c.AccruePartner(null!)) },
        { "redeem zero", c => Status(c.Redeem(new RedeemPoints("x-x", _till.Station, Points.Zero))) },
        { "redeem negative", c => Status(c.Redeem(new RedeemPoints("x-x", _till.Station, new Points(-100)))) },
        { "redeem absurd", c => Status(c.Redeem(new RedeemPoints("x-x", _till.Station, new Points(long.MaxValue)))) },
        { "redeem without id", c => Status(c.Redeem(new RedeemPoints(null!, _till.Station, new Points(1)))) },
        { "null redemption", c => Status(c.Redeem(null!)) },
        { "refund line 0", c => Status(c.Refund(new RefundPurchase("f-x", "r-1", _till.Station, [0]))) },
        { "refund negative line", c => Status(c.Refund(new RefundPurchase("f-x", "r-1", _till.Station, [-1]))) },
        { "refund a line twice", c => Status(c.Refund(new RefundPurchase("f-x", "r-1", _till.Station, [1, 1]))) },
        { "refund without receipt", c => Status(c.Refund(new RefundPurchase("f-x", " ", _till.Station, []))) },
        { "null refund", c => Status(c.Refund(null!)) },
        { "terminate without reference", c => Status(c.Terminate(new TerminateParticipation(Now, ""))) },
        { "terminate dated in the future",
            c => Status(c.Terminate(new TerminateParticipation(Now.AddDays(2), "app 1"))) },
        { "null termination", c => Status(c.Terminate(null!)) },
        { "issue without consent", c => Status(c.Issue(Testing.Cards.Questionnaire() with { Consent = false })) },
        { "issue without a name", c => Status(c.Issue(Testing.Cards.Questionnaire() with { FirstName = " " })) },
        { "issue born in the future",
            c => Status(c.Issue(
                Testing.Cards.Questionnaire() with { BirthDate = DateOnly.FromDateTime(Now.UtcDateTime)
                    .AddDays(1) })) },
        { "null questionnaire", c => Status(c.Issue(null!)) },
        { "history of zero items", c => Status(c.GetHistory(0, null)) },
        { "history of a million items", c => Status(c.GetHistory(1_000_000, null)) },
        { "history with a forged cursor", c => Status(c.GetHistory(10, "'; drop table card_ledger; --")) },
    };

    private static async Task<OutcomeStatus> Status<T>(Task<Outcome<T>> call) => (await call).Status;

    [Theory]
    [MemberData(nameof(BadCalls))]
    public async Task Bad_input_is_refused_as_invalid_and_changes_nothing(string what, Func<ICardGrain,
        Task<OutcomeStatus>> call)
    {
        var card = await _grains.Issued();
        await card.Accrue(new TestStation().Fuel("r-1", 40m)).Ok();
        var before = await card.GetSummary().Ok();
        var entries = await fixture.Cluster.Database.LedgerCount(card.GetPrimaryKeyString());

        Assert.True(OutcomeStatus.Invalid == await call(card), what);

        var after = await card.GetSummary().Ok();
        Assert.Equal(before with { Balance = before.Balance with { AsOf = default } },
            after with { Balance = after.Balance with { AsOf = default } });
        Assert.Equal(entries, await fixture.Cluster.Database.LedgerCount(card.GetPrimaryKeyString()));
    }

    [Theory]
    [InlineData("1234")]
    [InlineData("4000001234567898")]
    [InlineData("not a card")]
    public async Task A_grain_keyed_by_anything_but_a_card_number_refuses_every_call(string key)
    {
        var card = _grains.GetGrain<ICardGrain>(key);

        OutcomeStatus[] statuses =
        [
            (await card.Issue(Testing.Cards.Questionnaire())).Status,
            (await card.Accrue(_till.Fuel("r-1", 10m))).Status,
            (await card.AccruePartner(new RecordPartnerPurchase("t-1", "cafe", 0.1m, new Money(10m), null))).Status,
            (await card.Redeem(new RedeemPoints("x-1", _till.Station, new Points(1)))).Status,
            (await card.Refund(new RefundPurchase("f-1", "r-1", _till.Station, []))).Status,
            (await card.SwitchSpending(true)).Status,
            (await card.Terminate(new TerminateParticipation(Now, "x"))).Status,
            (await card.GetBalance()).Status,
            (await card.GetTier()).Status,
            (await card.GetSummary()).Status,
            (await card.GetHistory(10, null)).Status,
        ];

        Assert.All(statuses, s => Assert.Equal(OutcomeStatus.Invalid, s));
        Assert.Equal(0, await fixture.Cluster.Database.Scalar<long>(
            "select count(*) from card_ledger where card_number = @card", key.PadRight(16)[..16]));
    }
}
