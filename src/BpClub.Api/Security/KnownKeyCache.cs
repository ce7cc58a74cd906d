using BpClub.Abstractions;
using Microsoft.Extensions.Caching.Memory;

namespace BpClub.Api.Security;

/// <summary>
/// Good station and partner keys, remembered for a few seconds so that a busy till does not pay a grain
/// call per request, and a rotated key stops working within that time. At most <c>Api:KeyCacheEntries</c>
/// of them (10 000): what callers send must not grow a front end's memory. Wrong keys are not kept at all;
/// <see cref="BadKeyLimiter"/> deals with those.
/// </summary>
public sealed class KnownKeyCache(IConfiguration configuration) : IDisposable
{
    public const int DefaultEntries = 10_000;
    private static readonly TimeSpan RememberFor = TimeSpan.FromSeconds(10);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions
    {
        SizeLimit = configuration.GetValue("Api:KeyCacheEntries", DefaultEntries),
    });

    public int Count => _cache.Count;

    public bool TryGet(string keyHash, out KeyHolder? holder) => _cache.TryGetValue(keyHash, out holder);

    // A full cache refuses the entry (and compacts): the key is then checked by its grain again next time.
    public void Remember(string keyHash, KeyHolder holder) => _cache.Set(keyHash, holder,
        new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = RememberFor });

    public void Dispose() => _cache.Dispose();
}
