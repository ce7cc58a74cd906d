using System.Security.Claims;
using System.Security.Cryptography;
using BpClub.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace BpClub.Api.Security;

/// <summary>
/// Members' access tokens: JWTs signed with HMAC-SHA256 carrying the card number and the session
/// id. Every front-end replica must sign and check with the same key: it comes from configuration
/// (Cabinet:TokenSigningKey, base64) or, when that is unset, from the cluster_secrets table,
/// created there once by whichever front end asks first.
/// </summary>
public sealed class MemberTokens(IConfiguration configuration, NpgsqlDataSource database, TimeProvider time)
{
    public const string Issuer = "bpclub";
    public const string Audience = "bpclub-cabinet";
    private const string SecretName = "member-token-signing-key";

    /// <summary>The configured key (base64), shared by every front end; unset, the database keeps one.</summary>
    public const string SigningKeySetting = "Cabinet:TokenSigningKey";

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private SymmetricSecurityKey? _key;

    public async Task<string> Issue(SessionGrant session)
    {
        var key = await Key();
        var now = time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim("sub", session.CardNumber),
                new Claim(Callers.SessionClaim, session.SessionId)]),
            IssuedAt = now,
            NotBefore = now.AddMinutes(-1),
            Expires = session.ExpiresAt.UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The card number and session id of a genuine, unexpired token; null otherwise.</summary>
    public async Task<(string Card, string Session)?> Validate(string token)
    {
        if (token.Length > 4096) return null;
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = await Key(),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
        });
        if (!result.IsValid) return null;
        return result.Claims.TryGetValue("sub", out var card)
            && result.Claims.TryGetValue(Callers.SessionClaim, out var session)
            ? (card.ToString()!, session.ToString()!)
            : null;
    }

    private async ValueTask<SymmetricSecurityKey> Key()
    {
        if (_key is not null) return _key;
        var bytes = configuration[SigningKeySetting] is { Length: > 0 } configured
            ? Convert.FromBase64String(configured)
            : await SharedKey();
        if (bytes.Length < 32) throw new InvalidOperationException(
            $"{SigningKeySetting} must be at least 32 bytes (base64).");
        return _key = new SymmetricSecurityKey(bytes);
    }

    private async Task<byte[]> SharedKey()
    {
        await using var command = database.CreateCommand("""
            insert into cluster_secrets (name, value) values (@name, @value) on conflict (name) do nothing;
            select value from cluster_secrets where name = @name;
            """);
        command.Parameters.AddWithValue("name", SecretName);
        command.Parameters.AddWithValue("value", RandomNumberGenerator.GetBytes(32));
        return (byte[])(await command.ExecuteScalarAsync())!;
    }
}
