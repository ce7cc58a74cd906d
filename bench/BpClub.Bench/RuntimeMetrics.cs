using System.Globalization;

namespace BpClub.Bench;

/// <summary>
/// A process's /metrics (Prometheus text; the System.Runtime and Orleans meters), summed per metric
/// name over its label sets, or per name and one label value ("name|gen0").
/// </summary>
public sealed class RuntimeMetrics(HttpClient http, string? url)
{
    public async Task<Dictionary<string, double>> Sample()
    {
        var values = new Dictionary<string, double>();
        if (url is null) return values;
        string? text = null;
        for (var attempt = 0; text is null && attempt < 3; attempt++)
        {
            try { text = await http.GetStringAsync(url); }
            catch (HttpRequestException) { await Task.Delay(200); }
        }
        if (text is null) return values;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var space = line.LastIndexOf(' ');
            var number = line[(space + 1)..];
            if (space < 0 || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                continue;
            var head = line[..space];
            var brace = head.IndexOf('{');
            var name = brace < 0 ? head : head[..brace];
            values[name] = values.GetValueOrDefault(name) + value;
            if (brace >= 0 && Label(head, "gc_heap_generation") is { } gen)
                values[$"{name}|{gen}"] = values.GetValueOrDefault($"{name}|{gen}") + value;
        }
        return values;
    }

    /// <summary>Empty when either scrape failed: a missing figure, not a zero.</summary>
    public static Dictionary<string, double> Delta(Dictionary<string, double> before,
        Dictionary<string, double> after) =>
        before.Count == 0 ? [] : after.ToDictionary(a => a.Key, a => a.Value - before.GetValueOrDefault(a.Key));

    private static string? Label(string head, string label)
    {
        var at = head.IndexOf(label + "=\"", StringComparison.Ordinal);
        if (at < 0) return null;
        var start = at + label.Length + 2;
        return head[start..head.IndexOf('"', start)];
    }
}
