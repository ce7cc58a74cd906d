using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace BpClub.Domain.Programme;

/// <summary>A silo refuses to start on rules that make no sense.</summary>
public sealed class ProgrammeRulesValidator : IValidateOptions<ProgrammeRules>
{
    public ValidateOptionsResult Validate(string? name, ProgrammeRules rules)
    {
        var failures = new List<string>();
        var annotations = new List<ValidationResult>();
        if (!Validator.TryValidateObject(rules, new ValidationContext(rules), annotations, validateAllProperties: true))
            failures.AddRange(annotations.Select(a => $"Programme: {a.ErrorMessage}"));

        if (rules.HoldPeriod < TimeSpan.Zero || rules.HoldPeriod > TimeSpan.FromDays(365))
            failures.Add("Programme:HoldPeriod must be between 0 and 365 days.");
        // A late receipt is rated by the litres of its own month, which the account keeps only that long.
        if (rules.MaxBackdating < TimeSpan.Zero || rules.MaxBackdating > TimeSpan.FromDays(90))
            failures.Add("Programme:MaxBackdating must be between 0 and 90 days.");
        if (rules.MaxClockSkew < TimeSpan.Zero) failures.Add("Programme:MaxClockSkew must not be negative.");

        var levels = rules.Levels ?? [];
        if (levels.Count == 0) failures.Add("Programme:Levels must list at least one level.");
        else
        {
            if (levels[0] is { FromLitres: not 0m }) failures.Add(
                "Programme:Levels: the first level must start at 0 litres.");
            for (var i = 0; i < levels.Count; i++)
            {
                var level = levels[i];
                if (level is null)
                {
                    failures.Add($"Programme:Levels[{i}] is missing.");
                    continue;
                }
                if (string.IsNullOrWhiteSpace(level.Name)) failures.Add($"Programme:Levels[{i}] needs a name.");
                if (level.PointsPerLitre < 0m) failures.Add(
                    $"Programme:Levels[{i}] ({level.Name}) has a negative rate.");
                if (level.Level != i + 1) failures.Add($"Programme:Levels[{i}] ({level.Name}) must be level {i + 1}.");
                if (i == 0 || levels[i - 1] is not { } below) continue;
                if (level.FromLitres <= below.FromLitres)
                    failures.Add(
                        $"Programme:Levels[{i}] ({level.Name}) overlaps the level below: thresholds must rise.");
                // A member who buys more fuel must never be moved to a worse rate.
                if (level.PointsPerLitre < below.PointsPerLitre)
                    failures.Add($"Programme:Levels[{i}] ({level.Name}) earns less per litre than the level below.");
            }
        }

        try { rules.ResolveTimeZone(); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            failures.Add($"Programme:TimeZone '{rules.TimeZone}' is not a known time zone.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
