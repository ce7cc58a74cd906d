using BpClub.Abstractions;
using BpClub.Domain.Cards;
using BpClub.Domain.Earning;
using BpClub.Domain.Units;

namespace BpClub.Testing;

/// <summary>Test data: fresh valid card numbers and the usual commands.</summary>
public static class Cards
{
    public static string NewNumber() =>
        CardNumber.WithCheckDigit(
            string.Concat(Enumerable.Range(0, 15).Select(_ => (char)('0' + Random.Shared.Next(10))))).Value;

    public static IssueCard Questionnaire(string station = "st-1") =>
        new("Olena", "Kovalenko", PhoneNumber.Parse("067 123 45 67"), new DateOnly(1990, 5, 17), Consent: true,
            station);

    public static RecordPurchase Fuel(string receiptId, decimal litres, decimal amount = 0m, string station = "st-1",
        PaymentMethod payment = PaymentMethod.Cash, DateTimeOffset? occurredAt = null, string product = "A95") =>
        new(receiptId, station, occurredAt, payment,
            [new PurchaseLineModel(LineType.Fuel, product, null, new Litres(litres),
                new Money(amount == 0m ? litres * 55m : amount))]);

    public static RecordPurchase Receipt(string receiptId, params PurchaseLineModel[] lines) =>
        new(receiptId, "st-1", null, PaymentMethod.Cash, lines);

    public static PurchaseLineModel FuelLine(decimal litres, string product = "A95") =>
        new(LineType.Fuel, product, null, new Litres(litres), new Money(litres * 55m));

    public static PurchaseLineModel ShopLine(decimal amount, string category = "coffee") =>
        new(LineType.Shop, null, category, Litres.Zero, new Money(amount));

    public static async Task<ICardGrain> Issued(this IGrainFactory grains, string? number = null)
    {
        var card = grains.GetGrain<ICardGrain>(number ?? NewNumber());
        var issued = await card.Issue(Questionnaire());
        if (issued.Status != OutcomeStatus.Done) throw new InvalidOperationException($"Issue failed: {issued}");
        return card;
    }

    public static async Task<T> Ok<T>(this Task<Outcome<T>> call)
    {
        var outcome = await call;
        if (!outcome.Succeeded) throw new InvalidOperationException(
            $"Expected success: {outcome.Status} {outcome.Detail} "
            + string.Join("; ", outcome.Errors?.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}") ?? []));
        return outcome.Value!;
    }
}

/// <summary>
/// The stations a test's receipts come from, new for every test (hold one in a field of the test class): a
/// receipt id is unique per station across all cards, so tests sharing a cluster must not share a station.
/// </summary>
public sealed class TestStation
{
    public string Station { get; } = "st-" + Guid.NewGuid().ToString("N")[..10];
    public string OtherStation { get; } = "st-" + Guid.NewGuid().ToString("N")[..10];

    public RecordPurchase Fuel(string receiptId, decimal litres, decimal amount = 0m, string? station = null,
        PaymentMethod payment = PaymentMethod.Cash, DateTimeOffset? occurredAt = null, string product = "A95") =>
        Cards.Fuel(receiptId, litres, amount, station ?? Station, payment, occurredAt, product);

    public RecordPurchase Receipt(string receiptId, params PurchaseLineModel[] lines) =>
        Cards.Receipt(receiptId, lines) with { StationId = Station };
}
