using BpClub.Domain.Cards;

namespace BpClub.Domain.Members;

/// <summary>
/// What a member's password must be: at least 8 characters, not only digits (a PIN-like
/// password falls to guessing) and not the member's own phone number.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 8;
    public const int MaxLength = 128;

    /// <summary>Null when acceptable, otherwise the reason, fit to show next to the field.</summary>
    public static string? Check(string? password, PhoneNumber? phone)
    {
        if (string.IsNullOrEmpty(password)) return "Required.";
        if (password.Length < MinLength) return $"At least {MinLength} characters.";
        if (password.Length > MaxLength) return $"At most {MaxLength} characters.";
        if (password.All(char.IsDigit)) return "Must not be only digits.";
        if (phone is not null)
        {
            var digits = new string(password.Where(char.IsAsciiDigit).ToArray());
            var phoneDigits = phone.Value.TrimStart('+');
            // The phone in any of its written forms: +380671234567, 0671234567, 671234567.
            if (digits.Length >= 9 && phoneDigits.EndsWith(digits, StringComparison.Ordinal)
                && password.Count(c => !char.IsAsciiDigit(c) && c is not ('+' or ' ' or '-' or '(' or ')')) == 0)
                return "Must not be your phone number.";
        }
        return null;
    }
}
