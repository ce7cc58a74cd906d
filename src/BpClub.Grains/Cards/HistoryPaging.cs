using System.Globalization;
using BpClub.Domain.Validation;

namespace BpClub.Grains.Cards;

/// <summary>A page of a card's history as asked for: how many entries, before which one.</summary>
public static class HistoryPaging
{
    public static ValidationErrors Validate(int limit, string? cursor, out long? before)
    {
        var errors = new ValidationErrors();
        if (limit is < 1 or > 100) errors.Add("limit", "Must be between 1 and 100.");
        before = null;
        if (cursor is null) return errors;
        if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var seq)) before = seq;
        else errors.Add("cursor", "Not a cursor from a previous page.");
        return errors;
    }
}
