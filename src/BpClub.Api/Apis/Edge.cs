using BpClub.Domain.Cards;
using BpClub.Domain.Earning;
using BpClub.Domain.Units;

namespace BpClub.Api.Apis;

/// <summary>
/// Parsing at the edge: card numbers, phones and enums become domain types once, here; a field that
/// cannot is reported by its API name. Rules on values (limits, dates) are checked by the grains
/// with the same validator, so that nothing reaches a ledger unchecked.
/// </summary>
public static class Edge
{
    public static CardNumber? Card(string? text, ValidationErrors errors, string field = "cardNumber")
    {
        if (string.IsNullOrWhiteSpace(text)) errors.Add(field, "Required.");
        else if (CardNumber.TryParse(text, out var card)) return card;
        else errors.Add(field, CardNumber.Malformed);
        return null;
    }

    public static PhoneNumber? Phone(string? text, ValidationErrors errors, string field = "phone",
        bool required = true)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required) errors.Add(field, "Required.");
        }
        else if (PhoneNumber.TryParse(text, out var phone)) return phone;
        else errors.Add(field, "Not a mobile phone number, e.g. +380 67 123 45 67.");
        return null;
    }

    /// <summary>
    /// The member's password, sent again to confirm an action (<paramref name="needed"/>: what it is needed for),
    /// or at sign-in: required, at most 256 characters.
    /// </summary>
    public static string Password(string? text, ValidationErrors errors, string? needed = null)
    {
        if (string.IsNullOrEmpty(text))
            errors.Add("password", needed is null ? "Required." : $"Required: {needed} needs your password.");
        else if (text.Length > 256) errors.Add("password", "At most 256 characters.");
        return text ?? "";
    }

    public static RecordPurchase? Purchase(PurchaseRequest request, string stationId, ValidationErrors errors)
    {
        var payment = request.PaymentMethod switch
        {
            "cash" => PaymentMethod.Cash,
            "bankCard" => PaymentMethod.BankCard,
            "bpClubCard" => PaymentMethod.BpClubCard,
            null => Fail(errors, "paymentMethod", "Required: cash, bankCard or bpClubCard."),
            _ => Fail(errors, "paymentMethod", CommandValidator.PaymentMethods),
        };
        var lines = new List<PurchaseLineModel>();
        if (request.Lines is not { Count: > 0 }) errors.Add("lines", "At least one line is required.");
        else if (request.Lines is { } given)
        {
            for (var i = 0; i < given.Count; i++)
            {
                var at = $"lines[{i}]";
                if (given[i] is not { } line) { errors.Add(at, "Required."); continue; }
                var type = line.Type switch
                {
                    "fuel" => LineType.Fuel,
                    "shop" => LineType.Shop,
                    null => FailLine(errors, $"{at}.type", "Required: fuel or shop."),
                    _ => FailLine(errors, $"{at}.type", "Must be fuel or shop."),
                };
                if (line.Amount is null) errors.Add($"{at}.amount", "Required.");
                if (type == LineType.Fuel && line.Litres is null) errors.Add($"{at}.litres", "Required for fuel.");
                lines.Add(new PurchaseLineModel(type, line.ProductCode, line.Category,
                    new Litres(Normalized(line.Litres ?? 0m)), new Money(Normalized(line.Amount ?? 0m))));
            }
        }
        return new RecordPurchase(request.ReceiptId ?? "", stationId, Utc(request.OccurredAt),
            payment ?? PaymentMethod.Cash, lines);
    }

    /// <summary>
    /// 40, 40.0 and 40.00 are one amount: a till retrying with other formatting is the same request
    /// (the grain compares requests to tell a replay from a conflict).
    /// </summary>
    public static decimal Normalized(decimal value) => value / 1.000000000000000000000000000000000m;

    /// <summary>The same instant written with another offset is the same request.</summary>
    public static DateTimeOffset? Utc(DateTimeOffset? at) => at?.ToUniversalTime();

    private static PaymentMethod? Fail(ValidationErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return null;
    }

    private static LineType FailLine(ValidationErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return (LineType)(-1);
    }
}
