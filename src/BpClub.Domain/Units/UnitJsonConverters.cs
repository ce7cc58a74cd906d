using System.Text.Json;
using System.Text.Json.Serialization;
using BpClub.Domain.Cards;

namespace BpClub.Domain.Units;

/// <summary>Units travel in JSON as bare numbers (points as integers) and identifiers as strings.</summary>
public sealed class PointsJsonConverter : JsonConverter<Points>
{
    public override Points Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => new(reader.GetInt64());
    public override void Write(Utf8JsonWriter writer, Points value, JsonSerializerOptions options)
        => writer.WriteNumberValue(value.Value);
}

public sealed class LitresJsonConverter : JsonConverter<Litres>
{
    public override Litres Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => new(reader.GetDecimal());
    public override void Write(Utf8JsonWriter writer, Litres value, JsonSerializerOptions options)
        => writer.WriteNumberValue(value.Value);
}

public sealed class MoneyJsonConverter : JsonConverter<Money>
{
    public override Money Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => new(reader.GetDecimal());
    public override void Write(Utf8JsonWriter writer, Money value, JsonSerializerOptions options)
        => writer.WriteNumberValue(value.Uah);
}

public sealed class CardNumberJsonConverter : JsonConverter<CardNumber>
{
    public override CardNumber Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        CardNumber.TryParse(reader.GetString(), out var card) ? card : throw new JsonException("Not a card number.");
    public override void Write(Utf8JsonWriter writer, CardNumber value, JsonSerializerOptions options)
        => writer.WriteStringValue(value.Value);
}

public sealed class PhoneNumberJsonConverter : JsonConverter<PhoneNumber>
{
    public override PhoneNumber Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        PhoneNumber.TryParse(reader.GetString(), out var phone) ? phone
            : throw new JsonException("Not a phone number.");
    public override void Write(Utf8JsonWriter writer, PhoneNumber value, JsonSerializerOptions options)
        => writer.WriteStringValue(value.Value);
}
