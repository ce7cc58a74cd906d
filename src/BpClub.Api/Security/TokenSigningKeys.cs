using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace BpClub.Api.Security;

/// <summary>The token-signing settings (section Cabinet).</summary>
public sealed class TokenKeyOptions
{
    public const string SectionName = "Cabinet";

    /// <summary>A fixed current key (base64, at least 32 bytes), shared by every front end: keys then come from
    /// configuration and are rotated there. Unset: the database keeps them and operators rotate them.</summary>
    public string? TokenSigningKey { get; set; }

    /// <summary>With <see cref="TokenSigningKey"/>: the key it replaced, still accepted for the overlap.</summary>
    public string? PreviousTokenSigningKey { get; set; }

    /// <summary>How stale a front end's copy of the keys may be: every replica signs with a new key within it, and a
    /// rotation sooner than this after the last one is refused (a replica might still sign with the key it would
    /// retire).</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan TokenKeyRefresh { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long after a rotation the previous key is still accepted: a token's whole life (30 days, the
    /// session's), so no session ends early; after it, a leaked old key is worth nothing even with no further
    /// rotation.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "400.00:00:00")]
    public TimeSpan TokenKeyOverlap { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Why the configured keys are unusable, or null.</summary>
    public string? Problem()
    {
        foreach (var (name, value) in new[]
            { (nameof(TokenSigningKey), TokenSigningKey), (nameof(PreviousTokenSigningKey), PreviousTokenSigningKey) })
        {
            if (string.IsNullOrEmpty(value)) continue;
            var bytes = new byte[value.Length];
            if (!Convert.TryFromBase64String(value, bytes, out var length) || length < 32)
                return $"Cabinet:{name} must be base64 of at least 32 bytes.";
        }
        return string.IsNullOrEmpty(TokenSigningKey) && !string.IsNullOrEmpty(PreviousTokenSigningKey)
            ? "Cabinet:PreviousTokenSigningKey needs Cabinet:TokenSigningKey." : null;
    }
}

/// <summary>A signing key and the id (<c>kid</c>) tokens name it by.</summary>
public sealed record SigningKey(string Kid, byte[] Bytes)
{
    /// <summary>For signing: the key named, so that the token's header carries its kid.</summary>
    public SymmetricSecurityKey Named { get; } = new(Bytes) { KeyId = Kid };

    /// <summary>For checking a token already matched to this key by its kid.</summary>
    public SymmetricSecurityKey Unnamed { get; } = new(Bytes);
}

/// <summary>The keys a front end knows: the current one signs, the previous one (if any) is still accepted until
/// <see cref="PreviousAcceptedUntil"/>.</summary>
public sealed record TokenKeySet(SigningKey Current, DateTimeOffset CurrentSince, SigningKey? Previous,
    DateTimeOffset? PreviousAcceptedUntil)
{
    /// <summary>The key a token's kid names, if it is accepted at <paramref name="now"/>. A token without a kid is
    /// one signed before key ids existed: only the key imported from then (kid <c>legacy</c>) can match it.</summary>
    public SigningKey? Find(string? kid, DateTimeOffset now)
    {
        kid = string.IsNullOrEmpty(kid) ? TokenSigningKeys.LegacyKid : kid;
        if (kid == Current.Kid) return Current;
        return Previous is not null && kid == Previous.Kid && now < PreviousAcceptedUntil ? Previous : null;
    }
}

/// <summary>What a rotation did.</summary>
public abstract record RotationResult
{
    public sealed record Rotated(TokenKeySet Keys, DateTimeOffset EverywhereBy) : RotationResult;

    /// <summary>The current key is younger than Cabinet:TokenKeyRefresh.</summary>
    public sealed record TooSoon(TimeSpan RetryAfter) : RotationResult;

    /// <summary>The keys come from configuration.</summary>
    public sealed record Configured : RotationResult;
}

/// <summary>
/// The keys that sign members' access tokens, shared by every front end. From configuration (Cabinet:TokenSigningKey,
/// and Cabinet:PreviousTokenSigningKey during a change), or else from token_signing_keys in PostgreSQL, each key
/// protected by Data Protection (whose ring is encrypted with a certificate in Production), so that a database reader
/// holds no usable key. A front end re-reads the database's keys once they are Cabinet:TokenKeyRefresh old, and at
/// once (at most once a second) when a token names a key it does not know, so a replica signs with a new key within
/// that time and accepts another replica's new tokens at once.
/// </summary>
public sealed class TokenSigningKeys(IOptions<TokenKeyOptions> options, NpgsqlDataSource database,
    IDataProtectionProvider protection, TimeProvider time, ILogger<TokenSigningKeys> logger)
{
    public const string LegacyKid = "legacy";
    private const string LegacySecretName = "member-token-signing-key";
    private static readonly TimeSpan UnknownKidRefresh = TimeSpan.FromSeconds(1);

    private readonly IDataProtector _protector = protection.CreateProtector("BpClub.TokenSigningKeys.v1");
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly TokenKeySet? _configured = Configured(options.Value);
    private TokenKeySet? _keys;
    private DateTimeOffset _loadedAt = DateTimeOffset.MinValue;
    private DateTimeOffset _nextLoad = DateTimeOffset.MinValue;

    /// <summary>The kid of a configured key: <c>cfg-</c> and 16 hex digits of its SHA-256, which names it without
    /// revealing it.</summary>
    public static string ConfiguredKeyId(byte[] key) => "cfg-" + Convert.ToHexStringLower(SHA256.HashData(key))[..16];

    public bool FromConfiguration => _configured is not null;

    /// <summary>The keys as this front end knows them, re-read when they are older than the refresh interval.</summary>
    public async ValueTask<TokenKeySet> Current()
    {
        if (_configured is not null) return _configured;
        if (_keys is { } keys && time.GetUtcNow() < _nextLoad) return keys;
        return await Load(force: false);
    }

    /// <summary>The keys after a token named one not among them: re-read, unless that was done within the last
    /// second (a stream of forged kids costs one read a second).</summary>
    public async ValueTask<TokenKeySet> AfterUnknownKid()
    {
        if (_configured is not null) return _configured;
        if (_keys is { } keys && time.GetUtcNow() < _loadedAt + UnknownKidRefresh) return keys;
        return await Load(force: true);
    }

    private async Task<TokenKeySet> Load(bool force)
    {
        await _loading.WaitAsync();
        try
        {
            var now = time.GetUtcNow();
            if (_keys is { } fresh && (force ? now < _loadedAt + UnknownKidRefresh : now < _nextLoad)) return fresh;
            try
            {
                var keys = await Read() ?? await CreateFirst();
                (_keys, _loadedAt, _nextLoad) = (keys, now, now + options.Value.TokenKeyRefresh);
                return keys;
            }
            catch (Exception e) when (_keys is not null && e is NpgsqlException or TimeoutException)
            {
                // PostgreSQL away: keep the keys known, try again in a second.
                TokenKeyLog.RefreshFailed(logger, e.Message);
                _nextLoad = now + UnknownKidRefresh;
                return _keys;
            }
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Makes a new current key; the current one becomes the previous, the previous one is wiped.</summary>
    public async Task<RotationResult> Rotate(string by)
    {
        if (_configured is not null) return new RotationResult.Configured();
        await Current();
        var now = time.GetUtcNow();
        var refresh = options.Value.TokenKeyRefresh;
        await using (var connection = await database.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            // One rotation at a time, cluster-wide.
            await using (var locking = new NpgsqlCommand(
                "lock table token_signing_keys in exclusive mode", connection, transaction))
                await locking.ExecuteNonQueryAsync();
            long generation;
            DateTimeOffset since;
            await using (var newest = new NpgsqlCommand("""
                select generation, created_at from token_signing_keys where protected_key is not null
                order by generation desc limit 1
                """, connection, transaction))
            await using (var reader = await newest.ExecuteReaderAsync())
            {
                if (!await reader.ReadAsync()) throw new InvalidOperationException("No token-signing key to rotate.");
                (generation, since) = (reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1));
            }
            if (now < since + refresh) return new RotationResult.TooSoon(since + refresh - now);
            await using (var insert = new NpgsqlCommand("""
                insert into token_signing_keys (generation, kid, protected_key, created_at, created_by)
                values (@generation, @kid, @key, @now, @by);
                update token_signing_keys set protected_key = null, retired_at = @now
                where generation < @previous and protected_key is not null;
                """, connection, transaction))
            {
                insert.Parameters.AddWithValue("generation", generation + 1);
                insert.Parameters.AddWithValue("kid", NewKid());
                insert.Parameters.AddWithValue("key", _protector.Protect(RandomNumberGenerator.GetBytes(32)));
                insert.Parameters.AddWithValue("now", now);
                insert.Parameters.AddWithValue("by", by);
                insert.Parameters.AddWithValue("previous", generation);
                await insert.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }
        _nextLoad = DateTimeOffset.MinValue;
        return new RotationResult.Rotated(await Load(force: false), now + refresh);
    }

    /// <summary>The two newest keys, or null when there is none yet.</summary>
    private async Task<TokenKeySet?> Read()
    {
        await using var command = database.CreateCommand("""
            select kid, protected_key, created_at from token_signing_keys where protected_key is not null
            order by generation desc limit 2
            """);
        var rows = new List<(SigningKey Key, DateTimeOffset Since)>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                rows.Add((new SigningKey(reader.GetString(0), _protector.Unprotect(reader.GetFieldValue<byte[]>(1))),
                    reader.GetFieldValue<DateTimeOffset>(2)));
        if (rows.Count == 0) return null;
        var since = rows[0].Since;
        return rows.Count == 1 ? new TokenKeySet(rows[0].Key, since, null, null)
            : new TokenKeySet(rows[0].Key, since, rows[1].Key, since + options.Value.TokenKeyOverlap);
    }

    /// <summary>The first key, made by whichever front end asks first: the key an earlier version kept in clear in
    /// cluster_secrets when there is one (so no member is signed out by the upgrade; its clear copy is deleted),
    /// else a new one.</summary>
    private async Task<TokenKeySet> CreateFirst()
    {
        byte[]? legacy;
        await using (var select = database.CreateCommand("select value from cluster_secrets where name = @name"))
        {
            select.Parameters.AddWithValue("name", LegacySecretName);
            legacy = await select.ExecuteScalarAsync() as byte[];
        }
        await using (var insert = database.CreateCommand("""
            insert into token_signing_keys (generation, kid, protected_key, created_at, created_by)
            values (1, @kid, @key, @now, 'front-end') on conflict (generation) do nothing;
            delete from cluster_secrets where name = @name;
            """))
        {
            insert.Parameters.AddWithValue("kid", legacy is null ? NewKid() : LegacyKid);
            insert.Parameters.AddWithValue("key", _protector.Protect(legacy ?? RandomNumberGenerator.GetBytes(32)));
            insert.Parameters.AddWithValue("now", time.GetUtcNow());
            insert.Parameters.AddWithValue("name", LegacySecretName);
            await insert.ExecuteNonQueryAsync();
        }
        return await Read() ?? throw new InvalidOperationException("The first token-signing key was not stored.");
    }

    private static string NewKid() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    private static TokenKeySet? Configured(TokenKeyOptions o)
    {
        if (string.IsNullOrEmpty(o.TokenSigningKey)) return null;
        var current = Convert.FromBase64String(o.TokenSigningKey);
        var previous = string.IsNullOrEmpty(o.PreviousTokenSigningKey)
            ? null : Convert.FromBase64String(o.PreviousTokenSigningKey);
        return new TokenKeySet(new SigningKey(ConfiguredKeyId(current), current), DateTimeOffset.MinValue,
            previous is null ? null : new SigningKey(ConfiguredKeyId(previous), previous),
            previous is null ? null : DateTimeOffset.MaxValue);
    }
}

internal static partial class TokenKeyLog
{
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not re-read the token-signing keys; keeping the ones known ({Reason})")]
    public static partial void RefreshFailed(ILogger logger, string reason);
}
