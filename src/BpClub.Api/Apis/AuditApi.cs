using System.Globalization;

namespace BpClub.Api.Apis;

/// <summary>Operators: the security audit log (<see cref="AuditLog"/>), newest first, paged.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapOperatorGroup();
        admin.MapGet("/audit", Read).WithSummary(
            "The audit log, newest first: sign-ins and their failures, lock-outs, key creation and rotation, "
            + "operators' actions; optionally of some kinds (kind=a,b), an interval (from, to) and one subject "
            + "(a card, station, partner or promotion); paged by before.");
        return app;
    }

    private static async Task<Results<Ok<AuditPage>, ValidationProblem>> Read(AuditLog audit, int? limit,
        string? kind, string? from, string? to, string? before, string? subject, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (limit is < 1 or > 100) errors.Add("limit", "Must be between 1 and 100.");
        List<string>? kinds = null;
        if (kind is { Length: > 500 }) errors.Add("kind", "At most 500 characters.");
        else if (!string.IsNullOrWhiteSpace(kind))
        {
            kinds = kind.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
            var unknown = kinds.Where(k => !AuditLog.Kinds.Contains(k)).Select(u => u.Length > 40 ? u[..40] : u);
            if (unknown.Any())
                errors.Add("kind", $"Unknown kind: {string.Join(", ", unknown)}"
                    + $"; known: {string.Join(", ", AuditLog.Kinds.Order(StringComparer.Ordinal))}.");
        }
        var since = Instant(from, "from", errors);
        var until = Instant(to, "to", errors);
        if (since is not null && until is not null && until <= since) errors.Add("to", "Must be after from.");
        long? cursor = null;
        if (!string.IsNullOrEmpty(before))
        {
            if (long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
                cursor = id;
            else errors.Add("before", "The nextBefore of a page: a positive whole number.");
        }
        if (subject is { Length: > 64 }) errors.Add("subject", "At most 64 characters.");
        if (!errors.IsEmpty) return Problems.Invalid(errors);
        // A card number in any spelling the other endpoints take, as the log writes it.
        if (subject is not null && Edge.Card(subject, new ValidationErrors()) is { } card) subject = card.ToString();
        return TypedResults.Ok(await audit.Read(new AuditQuery(kinds, since, until, cursor, limit ?? 50,
                string.IsNullOrWhiteSpace(subject) ? null : subject),
            cancellationToken));
    }

    /// <summary>An instant, ISO 8601 with an offset (<c>2026-12-07T10:00:00Z</c>,
    /// <c>2026-12-07T12:00+02:00</c>).</summary>
    private static DateTimeOffset? Instant(string? text, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (text.Length <= 40 && text.Contains('T', StringComparison.Ordinal)
            && (text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > text.IndexOf('T', StringComparison.Ordinal))
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            && at.Year is >= 2000 and <= 2999)
            return at.ToUniversalTime();
        errors.Add(field, "An instant, ISO 8601 with an offset (2026-12-07T10:00:00Z).");
        return null;
    }
}
