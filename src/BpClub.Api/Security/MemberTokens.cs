using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BpClub.Api.Security;

/// <summary>
/// Members' access tokens: JWTs signed with HMAC-SHA256 carrying the card number and the session id, the signing
/// key named by <c>kid</c> in the header. Tokens are signed with the current key of <see cref="TokenSigningKeys"/>
/// and accepted when the key their kid names is the current or the previous one (during its overlap); an unknown or
/// retired kid is refused whatever the signature.
/// </summary>
public sealed class MemberTokens(TokenSigningKeys keys, TimeProvider time)
{
    public const string Issuer = "bpclub";
    public const string Audience = "bpclub-cabinet";

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public async Task<string> Issue(SessionGrant session)
    {
        var key = (await keys.Current()).Current;
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
            SigningCredentials = new SigningCredentials(key.Named, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The card number and session id of a genuine, unexpired token; null otherwise.</summary>
    public async Task<(string Card, string Session)?> Validate(string token)
    {
        if (token.Length > 4096 || !_handler.CanReadToken(token)) return null;
        string? kid;
        try
        {
            kid = _handler.ReadJsonWebToken(token).Kid;
        }
        catch (ArgumentException)
        {
            return null;
        }
        var now = time.GetUtcNow();
        var key = (await keys.Current()).Find(kid, now) ?? (await keys.AfterUnknownKid()).Find(kid, now);
        if (key is null) return null;
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = key.Unnamed,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
        });
        if (!result.IsValid) return null;
        return result.Claims.TryGetValue("sub", out var card)
            && result.Claims.TryGetValue(Callers.SessionClaim, out var session)
            ? (card.ToString()!, session.ToString()!)
            : null;
    }
}
