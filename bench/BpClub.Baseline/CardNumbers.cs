namespace BpClub.Baseline;

public static class CardNumbers
{
    /// <summary>16 digits whose last is the Luhn check digit (the bench sends them without separators).</summary>
    public static bool IsValid(string? text)
    {
        if (text is not { Length: 16 }) return false;
        var sum = 0;
        for (var i = 15; i >= 0; i--)
        {
            if (!char.IsAsciiDigit(text[i])) return false;
            var d = text[i] - '0';
            if ((15 - i) % 2 == 1 && (d *= 2) > 9) d -= 9;
            sum += d;
        }
        return sum % 10 == 0;
    }
}
