namespace BpClub.Domain.Units;

/// <summary>Litres of fuel, to the millilitre (three decimals), as a till reports them.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(LitresJsonConverter))]
public readonly record struct Litres(decimal Value) : IComparable<Litres>
{
    public static readonly Litres Zero = new(0m);

    public static Litres operator +(Litres a, Litres b) => new(a.Value + b.Value);
    public static Litres operator -(Litres a, Litres b) => new(a.Value - b.Value);
    public static bool operator <(Litres a, Litres b) => a.Value < b.Value;
    public static bool operator >(Litres a, Litres b) => a.Value > b.Value;
    public static bool operator <=(Litres a, Litres b) => a.Value <= b.Value;
    public static bool operator >=(Litres a, Litres b) => a.Value >= b.Value;

    public bool HasAtMostThreeDecimals => decimal.Round(Value, 3) == Value;

    public int CompareTo(Litres other) => Value.CompareTo(other.Value);
    public override string ToString() => Value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
}
