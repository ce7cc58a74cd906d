using Microsoft.Extensions.Caching.Memory;

namespace BpClub.Api.Security;

/// <summary>
/// Good station and partner keys, remembered so that a busy till does not pay a grain call per request. After
/// <see cref="FreshFor"/> a key is checked again in the background while requests go on with the answer
/// remembered: every till of a station would otherwise wait on the station's one grain at once, and while that
/// grain is being activated (its silo gone, PostgreSQL just back) the whole station would stop. A rotated key
/// thus stops working within about 10 s; a good key is trusted for at most <see cref="TrustFor"/> without a
/// fresh answer. At most <c>Api:KeyCacheEntries</c> of them (10 000): what callers send must not grow a front
/// end's memory. Wrong keys are not kept at all; <see cref="BadKeyLimiter"/> deals with those.
/// </summary>
public sealed class KnownKeyCache(IOptions<ApiOptions> options) : IDisposable
{
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan TrustFor = TimeSpan.FromMinutes(2);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions
    {
        SizeLimit = options.Value.KeyCacheEntries,
    });

    public int Count => _cache.Count;

    public bool TryGet(string keyHash, out KnownKey? known) => _cache.TryGetValue(keyHash, out known);

    // A full cache refuses the entry (and compacts): the key is then checked by its grain again next time.
    public void Remember(string keyHash, KeyHolder holder, DateTimeOffset now)
        => _cache.Set(keyHash, new KnownKey(holder, now),
        new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = TrustFor });

    /// <summary>The grain says the key is unknown or revoked.</summary>
    public void Forget(string keyHash) => _cache.Remove(keyHash);

    public void Dispose() => _cache.Dispose();
}

/// <summary>A good key's holder, when its grain last said so, and whether a check in the background is under
/// way.</summary>
public sealed class KnownKey(KeyHolder holder, DateTimeOffset checkedAt)
{
    private int _checking;

    public KeyHolder Holder { get; } = holder;
    public DateTimeOffset CheckedAt { get; } = checkedAt;

    /// <summary>True for the one caller that should start the background check.</summary>
    public bool BeginCheck() => Interlocked.Exchange(ref _checking, 1) == 0;

    public void EndCheck() => Volatile.Write(ref _checking, 0);
}
