using System.Globalization;
using System.Text;

namespace BpClub.Api.Apis;

/// <summary>
/// The member's history as CSV (RFC 4180), for a spreadsheet: one row per entry, newest first, times in the
/// programme's time zone. A text cell that a spreadsheet would read as a formula (starting with = + - @, a tab or a
/// carriage return) is prefixed with a single quote, so a station's name or an operator's reason can never run as one;
/// numbers are written as plain numbers.
/// </summary>
public static class HistoryCsv
{
    public static readonly string[] Columns =
        ["at", "kind", "description", "station", "stationId", "points", "litres", "amount", "availableAt", "reason"];

    public static string Header() => string.Join(',', Columns);

    public static string Row(HistoryItem item, TimeZoneInfo zone) => string.Join(',',
        Instant(item.At, zone),
        Cell(item.Kind),
        Cell(item.Description),
        Cell(item.StationName),
        Cell(item.StationId),
        item.Points.Value.ToString(CultureInfo.InvariantCulture),
        item.Litres?.Value.ToString("0.###", CultureInfo.InvariantCulture) ?? "",
        item.Amount?.Uah.ToString("0.00", CultureInfo.InvariantCulture) ?? "",
        item.AvailableAt is { } at ? Instant(at, zone) : "",
        Cell(item.Reason));

    /// <summary>A text cell: formula-safe, then quoted when it holds a comma, a quote or a line break.</summary>
    public static string Cell(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (text[0] is '=' or '+' or '-' or '@' or '\t' or '\r') text = "'" + text;
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal)
            + "\"" : text;
    }

    private static string Instant(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>Writes every page of <paramref name="first"/>'s query, fetching the next ones as it goes.</summary>
    public static async Task Write(Stream body, HistoryPage first, Func<string, Task<HistoryPage?>> next,
        CancellationToken aborted)
    {
        var zone = ResolveZone(first.TimeZone);
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        writer.NewLine = "\r\n";
        await writer.WriteLineAsync(Header());
        for (var page = first; page is not null; page = page.NextCursor is { } cursor ? await next(cursor) : null)
        {
            aborted.ThrowIfCancellationRequested();
            foreach (var item in page.Items) await writer.WriteLineAsync(Row(item, zone));
        }
        await writer.FlushAsync(aborted);
    }

    private static TimeZoneInfo ResolveZone(string? id)
    {
        try { return id is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(id); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.Utc; }
    }
}
