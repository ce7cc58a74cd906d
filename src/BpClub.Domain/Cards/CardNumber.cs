using System.Diagnostics.CodeAnalysis;

namespace BpClub.Domain.Cards;

/// <summary>A programme card number: 16 digits whose last one is a Luhn check digit.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(BpClub.Domain.Units.CardNumberJsonConverter))]
public sealed record CardNumber
{
    public const int Length = 16;

    /// <summary>What is said of a field that is not a card number.</summary>
    public const string Malformed = "A card number is 16 digits with a valid check digit.";

    private CardNumber(string value) => Value = value;

    public string Value { get; }

    /// <summary>Accepts the digits with the spaces or dashes people type between groups.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out CardNumber? card)
    {
        card = null;
        if (text is null || text.Length > 40) return false;
        Span<char> digits = stackalloc char[Length];
        var count = 0;
        foreach (var c in text)
        {
            if (c is ' ' or '-') continue;
            if (!char.IsAsciiDigit(c) || count == Length) return false;
            digits[count++] = c;
        }
        if (count != Length || !PassesLuhn(digits)) return false;
        card = new CardNumber(new string(digits));
        return true;
    }

    public static CardNumber Parse(string text) =>
        TryParse(text, out var card) ? card
            : throw new FormatException(Malformed);

    /// <summary>Completes 15 digits with their Luhn check digit (card stock is printed this way).</summary>
    public static CardNumber WithCheckDigit(string fifteenDigits)
    {
        if (fifteenDigits.Length != Length - 1 || !fifteenDigits.All(char.IsAsciiDigit))
            throw new FormatException("Expected 15 digits.");
        for (var check = 0; check <= 9; check++)
        {
            var candidate = fifteenDigits + (char)('0' + check);
            if (PassesLuhn(candidate)) return new CardNumber(candidate);
        }
        throw new InvalidOperationException("Unreachable: one check digit always fits.");
    }

    private static bool PassesLuhn(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    public override string ToString() => Value;
}
