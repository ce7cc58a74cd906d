using BpClub.Domain.Programme;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace BpClub.Silo;

/// <summary>
/// `dotnet BpClub.Silo.dll check-programme`: validates the programme rules in this process's
/// configuration (e.g. the Programme__* variables of the Kubernetes ConfigMap) exactly as a silo
/// would at start, and also refuses keys that bind to nothing: a misspelt Programme__HoldPeriod would
/// otherwise be ignored silently and the default used.
/// </summary>
public static class ProgrammeCheck
{
    public static int Run(IConfiguration configuration, TextWriter output)
    {
        try
        {
            var rules = configuration.GetSection(ProgrammeRules.SectionName)
                .Get<ProgrammeRules>(binder => binder.ErrorOnUnknownConfiguration = true) ?? new ProgrammeRules();
            rules.ApplyDefaults();
            var result = new ProgrammeRulesValidator().Validate(Options.DefaultName, rules);
            if (result.Failed)
            {
                foreach (var failure in result.Failures ?? []) output.WriteLine(failure);
                return 1;
            }
            output.WriteLine($"Programme rules are valid: {rules.Levels.Count} levels, hold {rules.HoldPeriod}, "
                + $"time zone {rules.TimeZone}.");
            return 0;
        }
        catch (InvalidOperationException e)
        {
            output.WriteLine($"Programme: {e.Message}");
            return 1;
        }
    }
}
