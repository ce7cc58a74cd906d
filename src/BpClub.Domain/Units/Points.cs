namespace BpClub.Domain.Units;

/// <summary>Loyalty points: whole numbers; 1 point spends as 1 UAH at the till.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(PointsJsonConverter))]
public readonly record struct Points(long Value) : IComparable<Points>
{
    public static readonly Points Zero = new(0);

    public static Points operator +(Points a, Points b) => new(checked(a.Value + b.Value));
    public static Points operator -(Points a, Points b) => new(checked(a.Value - b.Value));
    public static Points operator -(Points a) => new(-a.Value);
    public static bool operator <(Points a, Points b) => a.Value < b.Value;
    public static bool operator >(Points a, Points b) => a.Value > b.Value;
    public static bool operator <=(Points a, Points b) => a.Value <= b.Value;
    public static bool operator >=(Points a, Points b) => a.Value >= b.Value;

    public static Points Min(Points a, Points b) => a <= b ? a : b;
    public static Points Max(Points a, Points b) => a >= b ? a : b;

    /// <summary>The programme rounds a receipt's points down once, at the end.</summary>
    public static Points RoundDown(decimal points) => new((long)decimal.Floor(points));

    public int CompareTo(Points other) => Value.CompareTo(other.Value);
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
