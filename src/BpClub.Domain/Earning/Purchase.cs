using BpClub.Domain.Units;

namespace BpClub.Domain.Earning;

public enum PaymentMethod { Cash, BankCard, BpClubCard }

public enum LineType { Fuel, Shop }

/// <summary>One line of a till receipt: fuel (product code, litres) or shop goods (category).</summary>
public sealed record PurchaseLine(LineType Type, string? ProductCode, string? Category, Litres Litres, Money Amount)
{
    public static PurchaseLine Fuel(string productCode, decimal litres, decimal amount) =>
        new(LineType.Fuel, productCode, null, new Litres(litres), new Money(amount));

    public static PurchaseLine Shop(string category, decimal amount) =>
        new(LineType.Shop, null, category, Litres.Zero, new Money(amount));
}

/// <summary>A purchase as a station reports it.</summary>
public sealed record Purchase(
    string ReceiptId,
    string StationId,
    DateTimeOffset OccurredAt,
    PaymentMethod PaymentMethod,
    IReadOnlyList<PurchaseLine> Lines)
{
    public Litres FuelLitres => new(Lines.Where(l => l.Type == LineType.Fuel).Sum(l => l.Litres.Value));
    public Money TotalAmount => new(Lines.Sum(l => l.Amount.Uah));
}

/// <summary>A purchase at a partner, earning at that partner's own rate.</summary>
public sealed record PartnerPurchase(
    string PartnerTransactionId,
    string PartnerId,
    DateTimeOffset OccurredAt,
    Money Amount,
    decimal PointsPerUah);
