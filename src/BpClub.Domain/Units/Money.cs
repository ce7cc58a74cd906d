namespace BpClub.Domain.Units;

/// <summary>An amount in hryvnias (UAH), to the kopiyka (two decimals).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(MoneyJsonConverter))]
public readonly record struct Money(decimal Uah) : IComparable<Money>
{
    public static readonly Money Zero = new(0m);

    public static Money operator +(Money a, Money b) => new(a.Uah + b.Uah);
    public static bool operator <(Money a, Money b) => a.Uah < b.Uah;
    public static bool operator >(Money a, Money b) => a.Uah > b.Uah;
    public static bool operator <=(Money a, Money b) => a.Uah <= b.Uah;
    public static bool operator >=(Money a, Money b) => a.Uah >= b.Uah;

    public bool HasAtMostTwoDecimals => decimal.Round(Uah, 2) == Uah;

    public int CompareTo(Money other) => Uah.CompareTo(other.Uah);
    public override string ToString() => Uah.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
}
