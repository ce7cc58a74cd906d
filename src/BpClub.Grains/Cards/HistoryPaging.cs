using System.Globalization;

namespace BpClub.Grains.Cards;

/// <summary>A page of a card's history as asked for: how many entries, before which one, of which kinds and
/// days.</summary>
public static class HistoryPaging
{
    public static ValidationErrors Validate(HistoryQuery query, out long? before)
    {
        var errors = new ValidationErrors();
        if (query.Limit is < 1 or > 100) errors.Add("limit", "Must be between 1 and 100.");
        before = null;
        if (query.Cursor is not null)
        {
            if (long.TryParse(query.Cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var seq)) before = seq;
            else errors.Add("cursor", "Not a cursor from a previous page.");
        }
        if (query.Kinds?.FirstOrDefault(k => !HistoryKinds.All.Contains(k)) is { } unknown)
            errors.Add("kind", $"Unknown kind '{(unknown.Length > 20 ? unknown[..20] + "…" : unknown)}'; "
                + $"one of {string.Join(", ", HistoryKinds.All)}.");
        if (query is { From: { } from, To: { } to } && from > to) errors.Add("to", "Must not be before from.");
        return errors;
    }
}
