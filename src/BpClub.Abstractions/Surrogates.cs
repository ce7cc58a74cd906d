using BpClub.Domain.Cards;
using BpClub.Domain.Units;

namespace BpClub.Abstractions;

// The domain stays free of Orleans; these teach Orleans' serializer its value types.

[GenerateSerializer]
public struct PointsSurrogate { [Id(0)] public long Value; }

[RegisterConverter]
public sealed class PointsSurrogateConverter : IConverter<Points, PointsSurrogate>
{
    public Points ConvertFromSurrogate(in PointsSurrogate surrogate) => new(surrogate.Value);
    public PointsSurrogate ConvertToSurrogate(in Points value) => new() { Value = value.Value };
}

[GenerateSerializer]
public struct LitresSurrogate { [Id(0)] public decimal Value; }

[RegisterConverter]
public sealed class LitresSurrogateConverter : IConverter<Litres, LitresSurrogate>
{
    public Litres ConvertFromSurrogate(in LitresSurrogate surrogate) => new(surrogate.Value);
    public LitresSurrogate ConvertToSurrogate(in Litres value) => new() { Value = value.Value };
}

[GenerateSerializer]
public struct MoneySurrogate { [Id(0)] public decimal Uah; }

[RegisterConverter]
public sealed class MoneySurrogateConverter : IConverter<Money, MoneySurrogate>
{
    public Money ConvertFromSurrogate(in MoneySurrogate surrogate) => new(surrogate.Uah);
    public MoneySurrogate ConvertToSurrogate(in Money value) => new() { Uah = value.Uah };
}

[GenerateSerializer]
public struct CardNumberSurrogate { [Id(0)] public string Value; }

[RegisterConverter]
public sealed class CardNumberSurrogateConverter : IConverter<CardNumber, CardNumberSurrogate>
{
    public CardNumber ConvertFromSurrogate(in CardNumberSurrogate surrogate) => CardNumber.Parse(surrogate.Value);
    public CardNumberSurrogate ConvertToSurrogate(in CardNumber value) => new() { Value = value.Value };
}

[GenerateSerializer]
public struct PhoneNumberSurrogate { [Id(0)] public string Value; }

[RegisterConverter]
public sealed class PhoneNumberSurrogateConverter : IConverter<PhoneNumber, PhoneNumberSurrogate>
{
    public PhoneNumber ConvertFromSurrogate(in PhoneNumberSurrogate surrogate) => PhoneNumber.Parse(surrogate.Value);
    public PhoneNumberSurrogate ConvertToSurrogate(in PhoneNumber value) => new() { Value = value.Value };
}
