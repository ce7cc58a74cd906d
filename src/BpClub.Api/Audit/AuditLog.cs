using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace BpClub.Api.Audit;

/// <summary>One line of the audit log: who (<see cref="Actor"/>) did what (<see cref="Kind"/>) to what
/// (<see cref="Subject"/>), when, from where (<see cref="Source"/>), and how it ended (the answer's status).</summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, string Kind, string Actor, string? Subject, string Source,
    int Status, JsonElement Details);

/// <summary>A page of the audit log, newest first; <see cref="NextBefore"/> is null on the last page, otherwise the
/// <c>before</c> of the next.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, long? NextBefore);

/// <summary>What the operators' audit endpoint asks for.</summary>
public sealed record AuditQuery(IReadOnlyList<string>? Kinds, DateTimeOffset? From, DateTimeOffset? To, long? Before,
    int Limit, string? Subject = null);

/// <summary>
/// The security audit log in PostgreSQL (audit_log, append-only: the database refuses UPDATE, DELETE and TRUNCATE).
/// Written inline, before the answer leaves: an action whose line cannot be written is answered 503 and the caller
/// retries it (every audited action is idempotent or harmless to repeat), so no answered action goes unrecorded.
/// </summary>
public sealed class AuditLog(NpgsqlDataSource database, TimeProvider time)
{
    /// <summary>Every kind of line, as the audit endpoint's kind filter accepts them.</summary>
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal)
    {
        AuditKinds.SignIn, AuditKinds.SignInFailed, AuditKinds.SignInLocked,
        AuditKinds.StationSaved, AuditKinds.StationKeyRotated, AuditKinds.PartnerSaved, AuditKinds.PartnerKeyRotated,
        AuditKinds.PromotionSaved, AuditKinds.PromotionEnded, AuditKinds.CardLookedUp, AuditKinds.CardAdjusted,
        AuditKinds.CardHoldsReleased, AuditKinds.CardTerminated,
        AuditKinds.TokenKeysRotated, AuditKinds.MemberTerminated, AuditKinds.MemberPhoneChanged,
        AuditKinds.CardReplaced,
    };

    public async Task Append(string kind, string actor, string? subject, string source, int status,
        IReadOnlyDictionary<string, object?>? details = null, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""
            insert into audit_log (at, kind, actor, subject, source, status, details)
            values (@at, @kind, @actor, @subject, @source, @status, @details)
            """);
        command.Parameters.AddWithValue("at", time.GetUtcNow());
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("actor", actor);
        command.Parameters.AddWithValue("subject", (object?)subject ?? DBNull.Value);
        command.Parameters.AddWithValue("source", source);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.Add(new NpgsqlParameter("details", NpgsqlDbType.Jsonb)
        {
            Value = JsonSerializer.Serialize(details ?? new Dictionary<string, object?>()),
        });
        // Not cancelled with the request: a caller that hangs up must not leave its action unrecorded.
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    public async Task<AuditPage> Read(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            select id, at, kind, actor, subject, source, status, details::text from audit_log
            where (@kinds::text[] is null or kind = any(@kinds))
              and (@from::timestamptz is null or at >= @from)
              and (@to::timestamptz is null or at < @to)
              and (@before::bigint is null or id < @before)
              and (@subject::text is null or subject = @subject)
            order by id desc
            limit @limit
            """);
        command.Parameters.Add(new NpgsqlParameter("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = (object?)query.Kinds?.ToArray() ?? DBNull.Value,
        });
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz)
        {
            Value = (object?)query.From ?? DBNull.Value,
        });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz)
        {
            Value = (object?)query.To ?? DBNull.Value,
        });
        command.Parameters.Add(new NpgsqlParameter("before", NpgsqlDbType.Bigint)
        {
            Value = (object?)query.Before ?? DBNull.Value,
        });
        command.Parameters.Add(new NpgsqlParameter("subject", NpgsqlDbType.Text)
        {
            Value = (object?)query.Subject ?? DBNull.Value,
        });
        command.Parameters.AddWithValue("limit", query.Limit + 1);
        var items = new List<AuditEntry>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                items.Add(new AuditEntry(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1),
                    reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.GetString(5), reader.GetInt32(6), JsonDocument.Parse(reader.GetString(7)).RootElement));
        if (items.Count <= query.Limit) return new AuditPage(items, null);
        items.RemoveAt(items.Count - 1);
        return new AuditPage(items, items[^1].Id);
    }

    /// <summary>How a phone is named in the log: its SHA-256 (hex), as the SMS counters keep it; never in
    /// clear.</summary>
    public static string PhoneActor(string e164) =>
        "phone:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(e164)));
}

/// <summary>The kinds of audit line.</summary>
public static class AuditKinds
{
    public const string SignIn = "member.signIn";
    public const string SignInFailed = "member.signInFailed";
    public const string SignInLocked = "member.signInLocked";
    public const string StationSaved = "station.saved";
    public const string StationKeyRotated = "station.keyRotated";
    public const string PartnerSaved = "partner.saved";
    public const string PartnerKeyRotated = "partner.keyRotated";
    public const string PromotionSaved = "promotion.saved";
    public const string PromotionEnded = "promotion.ended";
    public const string CardLookedUp = "card.lookedUp";
    public const string CardAdjusted = "card.adjusted";
    public const string CardHoldsReleased = "card.holdsReleased";
    public const string CardTerminated = "card.terminated";
    public const string TokenKeysRotated = "tokenKeys.rotated";
    public const string MemberTerminated = "member.terminated";
    public const string MemberPhoneChanged = "member.phoneChanged";
    public const string CardReplaced = "card.replaced";
}
