using System.Security.Cryptography;
using System.Text;

namespace BpClub.Grains.Members;

/// <summary>One-time SMS codes: six random digits, kept only as a hash and compared in constant time.</summary>
public static class Codes
{
    public static string NewCode() => RandomNumberGenerator.GetInt32(0, 1_000_000)
        .ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    public static byte[] Hash(string code) => SHA256.HashData(Encoding.UTF8.GetBytes(code));

    public static bool Matches(byte[] hash, string? code) =>
        code is { Length: 6 } && code.All(char.IsAsciiDigit)
            && CryptographicOperations.FixedTimeEquals(hash, Hash(code));

    public static string RegistrationText(string code, TimeSpan lifetime) =>
        $"BP CLUB: код підтвердження {code}. Дійсний {Minutes(lifetime)} хв. Нікому його не повідомляйте.";

    public static string ResetText(string code, TimeSpan lifetime) =>
        $"BP CLUB: код для зміни пароля {code}. Дійсний {Minutes(lifetime)} хв. "
        + "Якщо ви не просили змінити пароль, нічого не робіть.";

    /// <summary>The last digits of the new card, so that the member sees which card they are confirming.</summary>
    public static string ReplacementText(string code, Domain.Cards.CardNumber newCard, TimeSpan lifetime) =>
        $"BP CLUB: код {code} для перенесення балів на картку …{newCard.Value[^4..]}. Дійсний {Minutes(lifetime)} хв. "
        + "Якщо це не ви, нікому не повідомляйте код і змініть пароль.";

    /// <summary>To a phone that already holds a registered card, when someone tries to register it again.</summary>
    public static string PhoneTakenText() =>
        "BP CLUB: цей номер уже зареєстрований. Увійдіть з паролем або відновіть пароль. "
        + "Якщо це були не ви, нічого не робіть.";

    public static string PhoneChangeText(string code, TimeSpan lifetime) =>
        $"BP CLUB: код для зміни номера телефону {code}. Дійсний {Minutes(lifetime)} хв. "
        + "Якщо ви не просили змінити номер, нічого не робіть.";

    /// <summary>To a phone that already holds a registered card, when another member tries to move to it.</summary>
    public static string PhoneChangeTakenText() =>
        "BP CLUB: хтось хотів перенести на цей номер іншу картку, але номер уже зареєстрований. Нічого не змінено. "
        + "Якщо це були не ви, нічого не робіть.";

    /// <summary>To the old phone once a member's phone has changed.</summary>
    public static string PhoneChangedText(string card, string maskedNewPhone) =>
        $"BP CLUB: номер телефону картки *{card[^4..]} змінено на {maskedNewPhone}. Вхід тепер лише з новим номером. "
        + "Якщо це були не ви, зверніться до служби підтримки.";

    private static int Minutes(TimeSpan lifetime) => Math.Max(1, (int)Math.Round(lifetime.TotalMinutes));

    public static string NewSessionId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=')
        .Replace('+', '-').Replace('/', '_');
}
