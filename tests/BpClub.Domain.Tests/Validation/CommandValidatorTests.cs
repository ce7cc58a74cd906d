using BpClub.Domain.Earning;
using BpClub.Domain.Units;
using BpClub.Domain.Validation;

namespace BpClub.Domain.Tests.Validation;

public sealed class CommandValidatorTests
{
    private static readonly CommandValidator Validator = new(CardUnderTest.DefaultRules());
    private static readonly DateTimeOffset Now = Kyiv.At(2026, 3, 10);
    private static readonly PurchaseLine Fuel = PurchaseLine.Fuel("A95", 40m, 2200m);

    private static Purchase Receipt(params PurchaseLine[] lines) => new("r-1", "st-1", Now, PaymentMethod.Cash, lines);

    private static string[] Fields(ValidationErrors errors) => errors.ToDictionary().Keys.Order().ToArray();

    [Fact]
    public void A_good_receipt_passes()
    {
        Assert.True(Validator.Validate(Receipt(Fuel, PurchaseLine.Shop("coffee", 49.99m)), Now).IsEmpty);
    }

    public static TheoryData<string, Purchase> BadReceipts => new()
    {
        { "lines", Receipt() },
        { "lines", Receipt() with { Lines = null! } },
        { "lines", Receipt(Enumerable.Repeat(Fuel, 51).ToArray()) },
        { "lines[0]", Receipt([null!]) },
        { "receiptId", Receipt(Fuel) with { ReceiptId = " " } },
        { "receiptId", Receipt(Fuel) with { ReceiptId = null! } },
        { "receiptId", Receipt(Fuel) with { ReceiptId = new string('r', 65) } },
        { "receiptId", Receipt(Fuel) with { ReceiptId = "r\n1" } },
        { "stationId", Receipt(Fuel) with { StationId = "" } },
        { "occurredAt", Receipt(Fuel) with { OccurredAt = Now.AddMinutes(6) } },
        { "occurredAt", Receipt(Fuel) with { OccurredAt = Now.AddDays(-31) } },
        { "occurredAt", Receipt(Fuel) with { OccurredAt = default } },
        { "paymentMethod", Receipt(Fuel) with { PaymentMethod = (PaymentMethod)42 } },
        { "lines[0].litres", Receipt(PurchaseLine.Fuel("A95", 0m, 10m)) },
        { "lines[0].litres", Receipt(PurchaseLine.Fuel("A95", -40m, 2200m)) },
        { "lines[0].litres", Receipt(PurchaseLine.Fuel("A95", 2000.001m, 2200m)) },
        { "lines[0].litres", Receipt(PurchaseLine.Fuel("A95", 1e20m, 2200m)) },
        { "lines[0].litres", Receipt(PurchaseLine.Fuel("A95", 1.0001m, 55m)) },
        { "lines[0].amount", Receipt(PurchaseLine.Fuel("A95", 40m, 0m)) },
        { "lines[0].amount", Receipt(PurchaseLine.Fuel("A95", 40m, -2200m)) },
        { "lines[0].amount", Receipt(PurchaseLine.Shop("coffee", 1_000_000.01m)) },
        { "lines[0].amount", Receipt(PurchaseLine.Shop("coffee", 10.001m)) },
        { "lines[0].productCode", Receipt(PurchaseLine.Fuel(null!, 40m, 2200m)) },
        { "lines[0].category", Receipt(PurchaseLine.Shop("", 10m)) },
        { "lines[0].litres", Receipt(PurchaseLine.Shop("coffee", 10m) with { Litres = new Litres(5m) }) },
        { "lines[0].type", Receipt(Fuel with { Type = (LineType)9 }) },
    };

    [Theory]
    [MemberData(nameof(BadReceipts))]
    public void Bad_receipts_are_refused_naming_the_field(string field, Purchase purchase)
    {
        Assert.Contains(field, Fields(Validator.Validate(purchase, Now)));
    }

    [Fact]
    public void A_till_may_date_a_purchase_slightly_ahead_or_up_to_30_days_back()
    {
        Assert.True(Validator.Validate(Receipt(Fuel) with { OccurredAt = Now.AddMinutes(5) }, Now).IsEmpty);
        Assert.True(Validator.Validate(Receipt(Fuel) with { OccurredAt = Now.AddDays(-30) }, Now).IsEmpty);
    }

    [Theory]
    [InlineData(100, 0.05, true)]
    [InlineData(0, 0.05, false)]
    [InlineData(-100, 0.05, false)]
    [InlineData(100, -0.05, false)]
    [InlineData(100, 101, false)]
    [InlineData(1_000_000, 100, false)] // 100 million points from one transaction
    public void Partner_purchases_are_checked(decimal amount, decimal pointsPerUah, bool valid)
    {
        var purchase = new PartnerPurchase("t-1", "cafe", Now, new Money(amount), pointsPerUah);

        Assert.Equal(valid, Validator.Validate(purchase, Now).IsEmpty);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(10_000_000, true)]
    [InlineData(0, false)]
    [InlineData(-5, false)]
    [InlineData(10_000_001, false)]
    [InlineData(long.MaxValue, false)]
    public void Redemptions_are_for_a_positive_sane_number_of_points(long points, bool valid)
    {
        Assert.Equal(valid, Validator.ValidateRedemption("x-1", "st-1", new Points(points)).IsEmpty);
    }

    [Theory]
    [InlineData(new int[0], true)]
    [InlineData(new[] { 1, 3 }, true)]
    [InlineData(new[] { 0 }, false)]
    [InlineData(new[] { -1 }, false)]
    [InlineData(new[] { 2, 2 }, false)]
    public void Refund_lines_are_distinct_numbers_from_1(int[] lines, bool valid)
    {
        var errors = Validator.ValidateRefund("f-1", "r-1", "st-1", lines);

        Assert.Equal(valid, errors.IsEmpty);
        if (!valid) Assert.Single(errors.ToDictionary()["lines"]);
    }

    [Fact]
    public void Refund_needs_its_ids()
    {
        Assert.Equal(["receiptId", "refundId", "stationId"], Fields(Validator.ValidateRefund("", null!, " ", [])));
    }

    [Theory]
    [InlineData("Olena", "Kovalenko", "st-1", true, "1990-05-17", null)]
    [InlineData("Olena", "Kovalenko", "st-1", true, null, null)]
    [InlineData("Olena", "Kovalenko", "st-1", false, null, "consent")]
    [InlineData(" ", "Kovalenko", "st-1", true, null, "firstName")]
    [InlineData("Olena", null, "st-1", true, null, "lastName")]
    [InlineData("Olena", "Kovalenko", "", true, null, "stationId")]
    [InlineData("Olena", "Kovalenko", "st-1", true, "2026-03-11", "birthDate")]
    [InlineData("Olena", "Kovalenko", "st-1", true, "1900-01-01", "birthDate")]
    public void Questionnaire_needs_names_a_station_consent_and_a_plausible_birth_date(
        string? first, string? last, string? station, bool consent, string? born, string? badField)
    {
        var errors = Validator.ValidateQuestionnaire(first, last, station, consent,
            born is null ? null : DateOnly.Parse(born), Now);

        Assert.Equal(badField is null ? [] : [badField], Fields(errors));
    }

    [Fact]
    public void Termination_needs_a_reference_and_an_application_date_that_is_not_in_the_future_or_ancient()
    {
        Assert.True(Validator.ValidateTermination("app 17", Now.AddDays(-3), Now).IsEmpty);
        Assert.Equal(["reference"], Fields(Validator.ValidateTermination(" ", Now, Now)));
        Assert.Equal(["applicationReceivedAt"], Fields(Validator.ValidateTermination("app 17", Now.AddDays(1), Now)));
        Assert.Equal(["applicationReceivedAt"], Fields(Validator.ValidateTermination("app 17", default, Now)));
    }
}
