using BpClub.Domain.Earning;
using BpClub.Domain.Programme;
using BpClub.Domain.Units;

namespace BpClub.Domain.Validation;

/// <summary>
/// Input checks shared by the HTTP edge and the card grain, so that bad input is refused the
/// same way whoever sends it, and before anything changes. Field names are the API's.
/// </summary>
public sealed class CommandValidator(ProgrammeRules rules)
{
    public const string PaymentMethods = "Must be cash, bankCard or bpClubCard.";

    public ValidationErrors Validate(Purchase purchase, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        errors.RequireId("receiptId", purchase.ReceiptId);
        errors.RequireId("stationId", purchase.StationId);
        CheckOccurredAt(errors, purchase.OccurredAt, now);
        if (!Enum.IsDefined(purchase.PaymentMethod)) errors.Add("paymentMethod", PaymentMethods);
        if (purchase.Lines is null || purchase.Lines.Count == 0) errors.Add("lines", "At least one line is required.");
        else if (purchase.Lines.Count > rules.MaxLinesPerReceipt) errors.Add("lines",
            $"At most {rules.MaxLinesPerReceipt} lines per receipt.");
        else
        {
            for (var i = 0; i < purchase.Lines.Count; i++)
            {
                var line = purchase.Lines[i];
                var at = $"lines[{i}]";
                if (line is null) { errors.Add(at, "Required."); continue; }
                CheckAmount(errors, $"{at}.amount", line.Amount);
                switch (line.Type)
                {
                    case LineType.Fuel:
                        errors.RequireId($"{at}.productCode", line.ProductCode, 32);
                        CheckLitres(errors, $"{at}.litres", line.Litres);
                        break;
                    case LineType.Shop:
                        errors.RequireId($"{at}.category", line.Category, 64);
                        if (line.Litres != Litres.Zero) errors.Add($"{at}.litres", "Shop lines carry no litres.");
                        break;
                    default:
                        errors.Add($"{at}.type", "Must be fuel or shop.");
                        break;
                }
            }
        }
        return errors;
    }

    public ValidationErrors Validate(PartnerPurchase purchase, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        errors.RequireId("partnerTransactionId", purchase.PartnerTransactionId);
        errors.RequireId("partnerId", purchase.PartnerId);
        CheckOccurredAt(errors, purchase.OccurredAt, now);
        CheckAmount(errors, "amount", purchase.Amount);
        if (purchase.PointsPerUah is < 0m or > 100m) errors.Add("pointsPerUah", "Must be between 0 and 100.");
        else if (purchase.Amount.Uah * purchase.PointsPerUah > rules.MaxPointsPerOperation)
            errors.Add("amount", $"Would earn more than {rules.MaxPointsPerOperation} points in one transaction.");
        return errors;
    }

    public ValidationErrors ValidateRedemption(string redemptionId, string stationId, Points points)
    {
        var errors = new ValidationErrors();
        errors.RequireId("redemptionId", redemptionId);
        errors.RequireId("stationId", stationId);
        if (points.Value <= 0) errors.Add("points", "Must be a positive whole number.");
        else if (points.Value > rules.MaxPointsPerOperation) errors.Add("points",
            $"At most {rules.MaxPointsPerOperation}.");
        return errors;
    }

    public ValidationErrors ValidateReversal(string reversalId, string redemptionId, string stationId)
    {
        var errors = new ValidationErrors();
        errors.RequireId("reversalId", reversalId);
        errors.RequireId("redemptionId", redemptionId);
        errors.RequireId("stationId", stationId);
        return errors;
    }

    public ValidationErrors ValidateRefund(string refundId, string receiptId, string stationId,
        IReadOnlyCollection<int> lines)
    {
        var errors = new ValidationErrors();
        errors.RequireId("refundId", refundId);
        errors.RequireId("receiptId", receiptId);
        errors.RequireId("stationId", stationId);
        // Line numbers are the receipt's own, as printed: 1-based.
        if (lines.Count > rules.MaxLinesPerReceipt) errors.Add("lines", $"At most {rules.MaxLinesPerReceipt} lines.");
        else if (lines.Any(l => l < 1)) errors.Add("lines", "Line numbers start at 1.");
        else if (lines.Distinct().Count() != lines.Count) errors.Add("lines", "A line may be listed once.");
        return errors;
    }

    /// <summary>A partner's purchase returned: for all that is left of it (no amount) or for some of its
    /// money.</summary>
    public ValidationErrors ValidatePartnerRefund(string? partnerRefundId, string? partnerTransactionId,
        string? partnerId, Money? amount)
    {
        var errors = new ValidationErrors();
        errors.RequireId("partnerRefundId", partnerRefundId);
        errors.RequireId("partnerTransactionId", partnerTransactionId);
        errors.RequireId("partnerId", partnerId);
        if (amount is { } some) CheckAmount(errors, "amount", some);
        return errors;
    }

    /// <summary>An operator's manual correction: a signed, non-zero number of points with the reason for it.</summary>
    public ValidationErrors ValidateAdjustment(string? adjustmentId, Points points, string? reason, string? operatorId)
    {
        var errors = new ValidationErrors();
        errors.RequireId("adjustmentId", adjustmentId);
        errors.RequireId("reason", reason, MaxReasonLength);
        errors.RequireId("operatorId", operatorId);
        if (points == Points.Zero) errors.Add("points", "Must not be zero: positive adds points, negative takes them.");
        else if (Math.Abs(points.Value) > rules.MaxPointsPerOperation)
            errors.Add("points", $"At most {rules.MaxPointsPerOperation} either way.");
        return errors;
    }

    /// <summary>Held points released early by an operator: some (a positive number) or, without one, all.</summary>
    public ValidationErrors ValidateEarlyRelease(string? releaseId, Points? points, string? operatorId)
    {
        var errors = new ValidationErrors();
        errors.RequireId("releaseId", releaseId);
        errors.RequireId("operatorId", operatorId);
        if (points is { } some && some.Value <= 0) errors.Add("points",
            "Must be a positive whole number, or left out for all.");
        else if (points is { } many && many.Value > rules.MaxPointsPerOperation)
            errors.Add("points", $"At most {rules.MaxPointsPerOperation}.");
        return errors;
    }

    /// <summary>How long an operator's reason for an adjustment may be; members read it in their history.</summary>
    public const int MaxReasonLength = 200;

    /// <summary>The longest first or last name, at the till and in the cabinet.</summary>
    public const int MaxNameLength = 100;

    /// <summary>The short questionnaire filled in at the till when a card is issued.</summary>
    public ValidationErrors ValidateQuestionnaire(string? firstName, string? lastName, string? stationId, bool consent,
        DateOnly? birthDate, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        errors.RequireId("firstName", firstName, MaxNameLength);
        errors.RequireId("lastName", lastName, MaxNameLength);
        errors.RequireId("stationId", stationId);
        if (!consent) errors.Add("consent", "The member must consent to the programme rules.");
        CheckBirthDate(errors, birthDate, now);
        return errors;
    }

    /// <summary>A birth date, when given, is not in the future nor more than 120 years ago.</summary>
    public static void CheckBirthDate(ValidationErrors errors, DateOnly? birthDate, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (birthDate is { } born && (born > today || born < today.AddYears(-120)))
            errors.Add("birthDate", "Not a plausible birth date.");
    }

    /// <summary>A written application to end participation, processed by an operator.</summary>
    public ValidationErrors ValidateTermination(string? reference, DateTimeOffset applicationReceivedAt,
        DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        errors.RequireId("reference", reference, 100);
        if (applicationReceivedAt > now + rules.MaxClockSkew) errors.Add("applicationReceivedAt",
            "Must not be in the future.");
        else if (applicationReceivedAt < now.AddYears(-1)) errors.Add("applicationReceivedAt",
            "Must be within the last year.");
        return errors;
    }

    private void CheckOccurredAt(ValidationErrors errors, DateTimeOffset occurredAt, DateTimeOffset now)
    {
        if (occurredAt > now + rules.MaxClockSkew) errors.Add("occurredAt", "Must not be in the future.");
        else if (occurredAt < now - rules.MaxBackdating) errors.Add("occurredAt",
            $"Must be within the last {rules.MaxBackdating.TotalDays:0} days.");
    }

    private void CheckAmount(ValidationErrors errors, string field, Money amount)
    {
        if (amount.Uah <= 0m) errors.Add(field, "Must be greater than zero.");
        else if (amount.Uah > rules.MaxAmountPerLine) errors.Add(field, $"At most {rules.MaxAmountPerLine} UAH.");
        else if (!amount.HasAtMostTwoDecimals) errors.Add(field, "At most two decimals.");
    }

    private void CheckLitres(ValidationErrors errors, string field, Litres litres)
    {
        if (litres.Value <= 0m) errors.Add(field, "Must be greater than zero.");
        else if (litres.Value > rules.MaxLitresPerLine) errors.Add(field, $"At most {rules.MaxLitresPerLine} litres.");
        else if (!litres.HasAtMostThreeDecimals) errors.Add(field, "At most three decimals.");
    }
}
