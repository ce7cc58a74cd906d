using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;

namespace BpClub.Api.Security;

public sealed class OperatorOptions
{
    public const string SectionName = "Operators";

    /// <summary>The bootstrap operator key (BPCLUB_OPERATOR_KEY); operators' other keys may follow.</summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>Operators by name: the operator's id (letters, digits, '-' and '_', at most 32) to the SHA-256 of
    /// their key (64 hex digits), so the configuration holds no key (Operators:Named:olena = 9f86…). The id names
    /// the operator in the ledger and the audit log.</summary>
    public Dictionary<string, string> Named { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Why the named keys are unusable, or null.</summary>
    public string? Problem()
    {
        foreach (var (name, hash) in Named)
        {
            if (!ApiKeys.IsValidId(name) || name.StartsWith("key-", StringComparison.Ordinal))
                return $"Operators:Named: '{name}' is not an operator id (letters, digits, '-' and '_', at most 32, "
                    + "not starting with 'key-').";
            if (hash.Length != 64 || !hash.All(Uri.IsHexDigit))
                return $"Operators:Named:{name} must be the SHA-256 of the key, 64 hex digits.";
        }
        return null;
    }
}

/// <summary>
/// X-Api-Key for stations, partners and operators. Station and partner keys are checked by their
/// grain (which holds only the key's hash) and good ones remembered (<see cref="KnownKeyCache"/>, which says
/// for how long); every wrong key counts against its source's allowance (<see cref="BadKeyLimiter"/>).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IClusterClient cluster,
    KnownKeyCache cache,
    BadKeyLimiter badKeys,
    IOptionsMonitor<OperatorOptions> operators)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var result = await Authenticate();
        if (result.Failure is not null) badKeys.RecordFailure(RateLimits.ClientAddress(Context));
        return result;
    }

    private async Task<AuthenticateResult> Authenticate()
    {
        if (!Request.Headers.TryGetValue(Callers.ApiKeyHeader, out var values) || values.Count != 1
            || string.IsNullOrEmpty(values[0]))
            return AuthenticateResult.NoResult();
        var key = values[0]!;

        if (OperatorKeyId(key) is { } operatorId) return Success(Callers.Operator, operatorId, null);

        if (!ApiKeys.TryParse(key, out var kind, out var id, out var secret)) return AuthenticateResult.Fail(
            "Not a BpClub key.");
        var cacheKey = "key:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        KeyHolder? holder;
        if (cache.TryGet(cacheKey, out var known) && known is not null)
        {
            holder = known.Holder;
            if (TimeProvider.GetUtcNow() - known.CheckedAt >= KnownKeyCache.FreshFor && known.BeginCheck())
                _ = CheckInBackground(known, cacheKey, kind, id, secret);
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
        if (holder is null) cache.Forget(cacheKey);
        else cache.Remember(cacheKey, holder, TimeProvider.GetUtcNow());
        return holder;
    }

    private async Task CheckInBackground(KnownKey known, string cacheKey, KeyKind kind, string id, string secret)
    {
        try { await Check(cacheKey, kind, id, secret); }
        catch (Exception)
        {
            // Kept as it was (a background check has no caller to answer); the next request tries again.
            known.EndCheck();
        }
    }

    /// <summary>
    /// The operator's id when <paramref name="key"/> is an operator key: the name of a named key
    /// (<see cref="OperatorOptions.Named"/>), else <c>key-</c> and the first ten hex digits of its SHA-256, which names
    /// the key in the ledger (who made an adjustment) without revealing it.
    /// </summary>
    private string? OperatorKeyId(string key)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        var match = false;
        foreach (var known in operators.CurrentValue.Keys)
            match |= known.Length > 0
                && CryptographicOperations.FixedTimeEquals(presented, SHA256.HashData(Encoding.UTF8.GetBytes(known)));
        string? named = null;
        foreach (var (name, hash) in operators.CurrentValue.Named)
            if (CryptographicOperations.FixedTimeEquals(presented, Convert.FromHexString(hash))) named = name;
        return named ?? (match ? "key-" + Convert.ToHexStringLower(presented.AsSpan(0, 5)) : null);
    }

    private AuthenticateResult Success(string role, string id, decimal? pointsPerUah)
    {
        var claims = new List<Claim> { new(ClaimTypes.Role, role), new(Callers.IdClaim, id),
            new(ClaimTypes.Name, $"{role}:{id}") };
        if (pointsPerUah is { } rate)
            claims.Add(new Claim(Callers.PointsPerUahClaim,
                rate.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var identity = new ClaimsIdentity(claims, Scheme.Name, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}
