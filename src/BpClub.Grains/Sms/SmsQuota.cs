using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace BpClub.Grains.Sms;

/// <summary>Why a text is not sent; null when it may be.</summary>
public enum SmsRefusal { PhoneDailyCap, SourceHourlyCap, DailyBudget }

/// <summary>
/// The caps against SMS pumping, shared by every silo through PostgreSQL (sms_counters): texts per phone per
/// day, per source address per hour, and a global daily budget (UTC days). A text is counted when it is
/// allowed, in one transaction with the checks; refused ones count nothing.
/// </summary>
public sealed class SmsQuota(NpgsqlDataSource database, IOptions<SmsOptions> options, TimeProvider time,
    GrainMetrics metrics)
{
    private readonly SmsOptions _options = options.Value;

    /// <summary>Counts a text to <paramref name="phone"/> asked from <paramref name="source"/>, unless a cap is
    /// reached.</summary>
    public async Task<(SmsRefusal? Refusal, TimeSpan RetryAfter)> TryTake(PhoneNumber phone, string source)
    {
        var now = time.GetUtcNow();
        var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var hour = day.AddHours(now.UtcDateTime.Hour);
        var phoneKey = Key(phone.Value);
        var sourceKey = Key(source);

        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // One text at a time per phone and per source, so two silos cannot both take the last one.
        await using (var lockRows = new NpgsqlCommand("""
            select pg_advisory_xact_lock(hashtext('sms:' || @phone)),
                   pg_advisory_xact_lock(hashtext('sms:' || @source)),
                   pg_advisory_xact_lock(hashtext('sms:global'))
            """, connection, transaction))
        {
            lockRows.Parameters.AddWithValue("phone", phoneKey);
            lockRows.Parameters.AddWithValue("source", sourceKey);
            await lockRows.ExecuteNonQueryAsync();
        }

        long phoneSent, sourceSent, globalSent;
        await using (var read = new NpgsqlCommand("""
            select coalesce(sum(sent) filter (where scope = 'phone' and key = @phone and window_start = @day), 0),
                   coalesce(sum(sent) filter (where scope = 'source' and key = @source and window_start = @hour), 0),
                   coalesce(sum(sent) filter (where scope = 'global' and window_start = @day), 0)
            from sms_counters
            where (scope = 'phone' and key = @phone and window_start = @day)
               or (scope = 'source' and key = @source and window_start = @hour)
               or (scope = 'global' and key = '' and window_start = @day)
            """, connection, transaction))
        {
            read.Parameters.AddWithValue("phone", phoneKey);
            read.Parameters.AddWithValue("source", sourceKey);
            read.Parameters.AddWithValue("day", day);
            read.Parameters.AddWithValue("hour", hour);
            await using var reader = await read.ExecuteReaderAsync();
            await reader.ReadAsync();
            (phoneSent, sourceSent, globalSent) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }

        var refusal = globalSent >= _options.DailyBudget ? SmsRefusal.DailyBudget
            : phoneSent >= _options.MaxPerPhonePerDay ? SmsRefusal.PhoneDailyCap
            : sourceSent >= _options.MaxPerSourcePerHour ? SmsRefusal.SourceHourlyCap
            : (SmsRefusal?)null;
        if (refusal is { } refused)
        {
            await transaction.RollbackAsync();
            metrics.SmsRefused(refused);
            return (refused, refused == SmsRefusal.SourceHourlyCap ? hour.AddHours(1) - now : day.AddDays(1) - now);
        }

        await using (var count = new NpgsqlCommand("""
            insert into sms_counters (scope, key, window_start, sent)
            values ('phone', @phone, @day, 1), ('source', @source, @hour, 1), ('global', '', @day, 1)
            on conflict (scope, key, window_start) do update set sent = sms_counters.sent + 1;
            delete from sms_counters where window_start < @expired;
            """, connection, transaction))
        {
            count.Parameters.AddWithValue("phone", phoneKey);
            count.Parameters.AddWithValue("source", sourceKey);
            count.Parameters.AddWithValue("day", day);
            count.Parameters.AddWithValue("hour", hour);
            count.Parameters.AddWithValue("expired", day.AddDays(-2));
            await count.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        metrics.SmsSent(_options.DailyBudget - globalSent - 1);
        return (null, TimeSpan.Zero);
    }

    /// <summary>Whether texts may go to this number: its country is allowed, and a Ukrainian one is a mobile.</summary>
    public bool MayReceive(PhoneNumber phone) => Allowed(phone, _options.CountryCodes);

    /// <summary>Why a number that may not receive texts is refused (on <c>phone</c>).</summary>
    public const string MobileOnly =
        "Codes are sent by SMS to mobile numbers of the programme's countries only (+380).";

    public static bool Allowed(PhoneNumber phone, string countryCodes)
    {
        var digits = phone.Value[1..];
        foreach (var code in countryCodes.Split(',',
            StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!digits.StartsWith(code, StringComparison.Ordinal)) continue;
            return code != "380" || UkrainianMobileCodes.Contains(digits[3..5]);
        }
        return false;
    }

    /// <summary>The operator codes of Ukrainian mobile networks (Kyivstar, Vodafone, lifecell, 3Mob,
    /// Intertelecom...).</summary>
    private static readonly HashSet<string> UkrainianMobileCodes =
        ["39", "50", "63", "66", "67", "68", "73", "75", "77", "91", "92", "93", "94", "95", "96", "97", "98", "99"];

    private static string Key(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
