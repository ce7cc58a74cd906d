using System.Diagnostics.CodeAnalysis;

namespace BpClub.Domain.Cards;

/// <summary>A mobile number in E.164 form (+380XXXXXXXXX for Ukraine).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(BpClub.Domain.Units.PhoneNumberJsonConverter))]
public sealed record PhoneNumber
{
    private PhoneNumber(string e164) => Value = e164;

    public string Value { get; }

    /// <summary>
    /// Accepts the ways Ukrainian numbers are usually written — "+380 67 123 45 67",
    /// "380671234567", "067 123-45-67", "(067) 1234567", "8 067 123 45 67" — and other
    /// countries' numbers written with a leading "+".
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out PhoneNumber? phone)
    {
        phone = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 32) return false;
        var plus = false;
        var digits = new System.Text.StringBuilder(16);
        foreach (var c in text.Trim())
        {
            if (char.IsAsciiDigit(c)) digits.Append(c);
            else if (c == '+' && digits.Length == 0 && !plus) plus = true;
            else if (c is not (' ' or '-' or '(' or ')' or '.')) return false;
        }
        var d = digits.ToString();
        string? e164 = null;
        if (plus)
        {
            if (d.StartsWith("380", StringComparison.Ordinal)) e164 = d.Length == 12 ? d : null;
            else if (d.Length is >= 8 and <= 15 && d[0] != '0') e164 = d;
        }
        else if (d.Length == 12 && d.StartsWith("380", StringComparison.Ordinal)) e164 = d;
        else if (d.Length == 10 && d[0] == '0') e164 = "38" + d;
        else if (d.Length == 11 && d.StartsWith("80", StringComparison.Ordinal)) e164 = "3" + d;

        if (e164 is null) return false;
        // A Ukrainian number has a non-zero operator code after the country code.
        if (e164.StartsWith("380", StringComparison.Ordinal) && e164[3] == '0') return false;
        phone = new PhoneNumber("+" + e164);
        return true;
    }

    public static PhoneNumber Parse(string text) =>
        TryParse(text, out var phone) ? phone : throw new FormatException("Not a phone number.");

    /// <summary>
    /// For support: the country code and the last two digits, the rest starred (<c>+380*******67</c>), so that an
    /// operator can confirm a caller's number without reading it out.
    /// </summary>
    public string Masked()
    {
        var country = Value.StartsWith("+380", StringComparison.Ordinal) ? 4 : Math.Min(3, Value.Length - 2);
        return Value[..country] + new string('*', Value.Length - country - 2) + Value[^2..];
    }

    public override string ToString() => Value;
}
