using BpClub.Domain.Earning;

namespace BpClub.Domain.Validation;

/// <summary>What an operator may set up as a promotion: a real window, a real reward, sane limits.</summary>
public static class PromotionValidator
{
    public const decimal MaxMultiplier = 10m;
    public const long MaxBonusPoints = 100_000;
    public const int MaxListEntries = 500;

    /// <param name="levels">The programme's level numbers: a promotion may be only for some of them.</param>
    public static ValidationErrors Validate(Promotion promotion, IReadOnlyCollection<int> levels)
    {
        var errors = new ValidationErrors();
        errors.RequireId("promotionId", promotion.Id);
        errors.RequireId("name", promotion.Name, 200);
        if (promotion.EndsAt <= promotion.StartsAt) errors.Add("endsAt", "Must be after startsAt.");
        if (promotion.Multiplier is null && promotion.BonusPoints is null)
            errors.Add("multiplier", "A promotion needs a multiplier, bonus points or both.");
        if (promotion.Multiplier is { } m && (m <= 1m || m > MaxMultiplier || decimal.Round(m, 3) != m))
            errors.Add("multiplier", $"Must be above 1 and at most {MaxMultiplier}, with at most three decimals.");
        if (promotion.BonusPoints is { } b && (b <= 0 || b > MaxBonusPoints))
            errors.Add("bonusPoints", $"Must be between 1 and {MaxBonusPoints}.");
        CheckList(errors, "stationIds", promotion.StationIds);
        CheckList(errors, "productCodes", promotion.ProductCodes);
        CheckList(errors, "categories", promotion.Categories);
        if (promotion.Levels is { } wanted && wanted.Any(l => !levels.Contains(l)))
            errors.Add("levels", $"Entries must be level numbers of the programme: {string.Join(", ", levels)}.");
        return errors;
    }

    private static void CheckList(ValidationErrors errors, string field, IReadOnlySet<string>? values)
    {
        if (values is null) return;
        if (values.Count > MaxListEntries) errors.Add(field, $"At most {MaxListEntries} entries.");
        else if (values.Any(v => string.IsNullOrWhiteSpace(v) || v.Length > 64 || v.Any(char.IsControl)))
            errors.Add(field, "Entries must be non-empty, at most 64 characters.");
    }
}
