using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace BpClub.Baseline;

/// <summary>X-Api-Key: the operator's key, and station keys kept by their SHA-256 (as BpClub keeps them).</summary>
public sealed class Keys(string operatorKey)
{
    public const string Header = "X-Api-Key";
    private readonly byte[] _operator = Hash(operatorKey);
    private readonly ConcurrentDictionary<string, string> _stationByHash = new();

    public bool IsOperator(HttpRequest request) =>
        Presented(request) is { } key && CryptographicOperations.FixedTimeEquals(Hash(key), _operator);

    /// <summary>The station whose key the request carries, or null.</summary>
    public string? Station(HttpRequest request) =>
        Presented(request) is { } key && _stationByHash.TryGetValue(Convert.ToHexString(Hash(key)), out var station)
            ? station
            : null;

    public (string Key, byte[] Hash) NewStationKey(string station)
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        var key = $"st.{station}.{secret}";
        var hash = Hash(key);
        foreach (var old in _stationByHash.Where(p => p.Value == station).Select(p => p.Key).ToList())
            _stationByHash.TryRemove(old, out _);
        _stationByHash[Convert.ToHexString(hash)] = station;
        return (key, hash);
    }

    private static string? Presented(HttpRequest request) =>
        request.Headers.TryGetValue(Header, out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0])
            ? values[0]
            : null;

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
