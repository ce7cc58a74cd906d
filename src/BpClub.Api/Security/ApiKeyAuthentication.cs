using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using BpClub.Abstractions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace BpClub.Api.Security;

public sealed class OperatorOptions
{
    public const string SectionName = "Operators";

    /// <summary>The bootstrap operator key (BPCLUB_OPERATOR_KEY); operators' other keys may follow.</summary>
    public List<string> Keys { get; set; } = [];
}

/// <summary>
/// X-Api-Key for stations, partners and operators. Station and partner keys are checked by their
/// grain (which holds only the key's hash); the answer is remembered for a few seconds so a busy
/// till does not pay a grain call per request, and a rotated key stops working within that time.
/// </summary>
/// <remarks>
/// After that, a good key is checked again in the background while requests go on with the answer
/// remembered: every till of a station would otherwise wait on the station's one grain at once, and
/// while that grain is being activated (its silo gone, PostgreSQL just back) the whole station stops.
/// A good key is trusted so for at most <see cref="TrustStaleFor"/> without a fresh answer.
/// </remarks>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IClusterClient cluster,
    IMemoryCache cache,
    IOptionsMonitor<OperatorOptions> operators) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private static readonly TimeSpan RememberFor = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan TrustStaleFor = TimeSpan.FromMinutes(2);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Callers.ApiKeyHeader, out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
            return AuthenticateResult.NoResult();
        var key = values[0]!;

        if (IsOperatorKey(key)) return Success(Callers.Operator, "operator", null);

        if (!ApiKeys.TryParse(key, out var kind, out var id, out var secret)) return AuthenticateResult.Fail("Not a BpClub key.");
        var cacheKey = "key:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var now = TimeProvider.GetUtcNow();
        KeyHolder? holder;
        if (cache.TryGetValue(cacheKey, out KeyCheck? check) && check is not null && now - check.At < RememberFor) holder = check.Holder;
        else if (check is { Holder: not null } && now - check.At < TrustStaleFor)
        {
            holder = check.Holder;
            if (check.BeginRefresh()) _ = Refresh(cacheKey, kind, id, secret);
        }
        else holder = await Check(cacheKey, kind, id, secret);
        if (holder is null) return AuthenticateResult.Fail("Unknown or revoked key.");
        return kind == KeyKind.Station
            ? Success(Callers.Station, holder.Id, null)
            : Success(Callers.Partner, holder.Id, holder.PointsPerUah);
    }

    private async Task<KeyHolder?> Check(string cacheKey, KeyKind kind, string id, string secret)
    {
        var holder = kind == KeyKind.Station
            ? await cluster.GetGrain<IStationGrain>(id).Authenticate(secret)
            : await cluster.GetGrain<IPartnerGrain>(id).Authenticate(secret);
        cache.Set(cacheKey, new KeyCheck(holder, TimeProvider.GetUtcNow()), TrustStaleFor);
        return holder;
    }

    private async Task Refresh(string cacheKey, KeyKind kind, string id, string secret)
    {
        try { await Check(cacheKey, kind, id, secret); }
        catch (Exception)
        {
            // Kept as it was (a background check has no caller to answer); the next request tries again.
            if (cache.TryGetValue(cacheKey, out KeyCheck? check)) check?.EndRefresh();
        }
    }

    /// <summary>A grain's answer for a key (null: unknown or revoked), when it came, and whether a refresh is under way.</summary>
    private sealed class KeyCheck(KeyHolder? holder, DateTimeOffset at)
    {
        private int _refreshing;
        public KeyHolder? Holder { get; } = holder;
        public DateTimeOffset At { get; } = at;
        public bool BeginRefresh() => Interlocked.Exchange(ref _refreshing, 1) == 0;
        public void EndRefresh() => Volatile.Write(ref _refreshing, 0);
    }

    private bool IsOperatorKey(string key)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        var match = false;
        foreach (var known in operators.CurrentValue.Keys)
            match |= known.Length > 0 && CryptographicOperations.FixedTimeEquals(presented, SHA256.HashData(Encoding.UTF8.GetBytes(known)));
        return match;
    }

    private AuthenticateResult Success(string role, string id, decimal? pointsPerUah)
    {
        var claims = new List<Claim> { new(ClaimTypes.Role, role), new(Callers.IdClaim, id), new(ClaimTypes.Name, $"{role}:{id}") };
        if (pointsPerUah is { } rate)
            claims.Add(new Claim(Callers.PointsPerUahClaim, rate.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var identity = new ClaimsIdentity(claims, Scheme.Name, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}
