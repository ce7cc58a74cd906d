using BpClub.Testing;
using Npgsql;
using static BpClub.Cluster.Tests.LedgerJudge;

namespace BpClub.Cluster.Tests;

/// <summary>
/// Lots on hold and their "became available" entries in card_ledger. A lot is a card's purchases with the
/// same release instant; its release is a 'released' row at that instant with the lot's points.
/// <see cref="ReminderOnlyLots"/> are the lots due after the card's last command: nothing but the card's
/// reminder can write their release, and a release the reminder wrote is alone in its transaction
/// (a command settles what fell due in the same transaction as its own entry).
/// </summary>
public sealed record Releases(long Lots, long Unreleased, string? Timeout, long WrongPoints, long ReleasedTwice,
    long WithoutLot, long ReminderOnlyLots, long ReminderOnlyByReminder, long ByReminder, long ByReminderAfterKill,
    TimeSpan MaxLateness, TimeSpan MaxLatenessByReminder);

public static class HoldReleases
{
    private const string Lots = """
        lots as (select card_number, available_at as at, sum(points) as points from card_ledger
                 where kind = 'purchase' and points > 0 group by card_number, available_at)
        """;

    private const string Unreleased = $"""
        with {Lots}
        select count(*) from lots l where not exists (
            select 1 from card_ledger r where r.card_number = l.card_number and r.kind = 'released' and r.at = l.at)
        """;

    /// <summary>A release row (alias r) that shares its transaction with no entry of another kind.</summary>
    private const string Alone = """
        not exists (select 1 from card_ledger o
                    where o.card_number = r.card_number and o.recorded_at = r.recorded_at and o.kind <> 'released')
        """;

    private const string ReminderOnly = $"""
        with {Lots},
        last_command as (
            select card_number, max(at) as at from card_ledger where kind <> 'released' group by card_number)
        select count(*) from lots l join last_command c using (card_number) where l.at > c.at
        """;

    /// <summary>
    /// Polls until every lot has its release, at most until <paramref name="lateness"/> after the last one
    /// was due. On timeout the count left is returned with the reason: the caller's assertion fails the test
    /// after the figures are written.
    /// </summary>
    public static async Task<Releases> Wait(NpgsqlDataSource database, TimeSpan lateness, DateTimeOffset killedAt)
    {
        var lastDue = await Scalar<DateTime>(database,
            "select max(available_at) from card_ledger where kind = 'purchase'");
        var deadline = new DateTimeOffset(lastDue, TimeSpan.Zero) + lateness - DateTimeOffset.UtcNow;
        long left;
        string? timeout = null;
        try
        {
            left = await Poll.Until(() => Scalar<long>(database, Unreleased), n => n == 0,
                deadline > TimeSpan.FromSeconds(5) ? deadline : TimeSpan.FromSeconds(5),
                    "every lot's release in the ledger");
        }
        catch (TimeoutException e)
        {
            left = await Scalar<long>(database, Unreleased);
            timeout = e.Message;
        }
        return new Releases(
            Lots: await Scalar<long>(database, $"with {Lots} select count(*) from lots"),
            Unreleased: left,
            Timeout: timeout,
            WrongPoints: await Scalar<long>(database, $"""
                with {Lots}
                select count(*) from lots l where l.points <> (select coalesce(sum(r.points), 0) from card_ledger r
                    where r.card_number = l.card_number and r.kind = 'released' and r.at = l.at)
                  and exists (select 1 from card_ledger r
                              where r.card_number = l.card_number and r.kind = 'released' and r.at = l.at)
                """),
            ReleasedTwice: await Scalar<long>(database, """
                select count(*) from (select 1 from card_ledger where kind = 'released'
                                      group by card_number, at having count(*) > 1) t
                """),
            WithoutLot: await Scalar<long>(database, $"""
                with {Lots}
                select count(*) from card_ledger r where r.kind = 'released'
                  and not exists (select 1 from lots l where l.card_number = r.card_number and l.at = r.at)
                """),
            ReminderOnlyLots: await Scalar<long>(database, ReminderOnly),
            ReminderOnlyByReminder: await Scalar<long>(database, ReminderOnly + $"""

                  and exists (select 1 from card_ledger r where r.card_number = l.card_number and r.kind = 'released'
                                and r.at = l.at and {Alone})
                """),
            ByReminder: await Scalar<long>(database,
                $"select count(*) from card_ledger r where r.kind = 'released' and {Alone}"),
            ByReminderAfterKill: await Scalar<long>(database,
                $"select count(*) from card_ledger r where r.kind = 'released' and r.at > @at and {Alone}", killedAt),
            MaxLateness: await Seconds(database,
                "select max(extract(epoch from recorded_at - at)) from card_ledger r where kind = 'released'"),
            MaxLatenessByReminder: await Seconds(database,
                "select max(extract(epoch from recorded_at - at)) from card_ledger r "
                + $"where kind = 'released' and {Alone}"));
    }

    private static async Task<TimeSpan> Seconds(NpgsqlDataSource database, string sql) =>
        TimeSpan.FromSeconds(await Scalar<double>(database, $"select coalesce(({sql}), 0)::float8"));
}
