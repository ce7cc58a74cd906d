using Npgsql;

namespace BpClub.Bench;

/// <summary>What PostgreSQL counted: one database (pg_stat_database), the server (pg_stat_wal, bgwriter).</summary>
public sealed record PgCounters(long Commits, long Rollbacks, long Inserted, long Updated, long Deleted, long Fetched,
    long Returned, long WalRecords, long WalBytes, long WalSyncs, long Checkpoints)
{
    public static PgCounters operator -(PgCounters a, PgCounters b) => new(a.Commits - b.Commits,
        a.Rollbacks - b.Rollbacks, a.Inserted - b.Inserted, a.Updated - b.Updated, a.Deleted - b.Deleted,
        a.Fetched - b.Fetched, a.Returned - b.Returned, a.WalRecords - b.WalRecords, a.WalBytes - b.WalBytes,
        a.WalSyncs - b.WalSyncs, a.Checkpoints - b.Checkpoints);
}

/// <summary>One statement's share of a run (pg_stat_statements).</summary>
public sealed record StatementStat(string Query, long Calls, long Rows, double TotalMs, double MeanMs);

/// <summary>
/// The database's own view of a run. Backends flush their counters at most once a second, so a
/// delta over a steady run is exact to about one second's worth at each end (the warm-up before it
/// is the same load, so what it carries in is about what the end leaves out).
/// </summary>
public sealed class PgStats(string connectionString) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(connectionString);
    public bool StatementsAvailable { get; private set; }

    /// <summary>Creates pg_stat_statements here if the server preloads it (bench/run.sh restarts it so).</summary>
    public async Task Prepare()
    {
        try
        {
            await using var create = _db.CreateCommand("create extension if not exists pg_stat_statements");
            await create.ExecuteNonQueryAsync();
            await using var probe = _db.CreateCommand("select count(*) from pg_stat_statements");
            await probe.ExecuteScalarAsync();
            StatementsAvailable = true;
        }
        catch (PostgresException) { StatementsAvailable = false; }
    }

    public async Task<PgCounters> Sample()
    {
        await using var command = _db.CreateCommand("""
            select d.xact_commit, d.xact_rollback, d.tup_inserted, d.tup_updated, d.tup_deleted, d.tup_fetched,
                   d.tup_returned,
                   w.wal_records, w.wal_bytes::bigint, w.wal_sync, b.checkpoints_timed + b.checkpoints_req
            from pg_stat_database d cross join pg_stat_wal w cross join pg_stat_bgwriter b
            where d.datname = current_database()
            """);
        await using var r = await command.ExecuteReaderAsync();
        await r.ReadAsync();
        return new PgCounters(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5),
            r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9), r.GetInt64(10));
    }

    /// <summary>
    /// Writes every dirty page now, so that no checkpoint falls inside a timed run (bench/run.sh spaces them
    /// 30 min apart).
    /// </summary>
    public async Task Checkpoint()
    {
        await using var command = _db.CreateCommand("checkpoint");
        command.CommandTimeout = 300;
        await command.ExecuteNonQueryAsync();
    }

    public async Task ResetStatements()
    {
        if (!StatementsAvailable) return;
        await using var command = _db.CreateCommand("select pg_stat_statements_reset()");
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>This database's statements since the last reset, the costliest first.</summary>
    public async Task<IReadOnlyList<StatementStat>> Statements(int top = 12)
    {
        if (!StatementsAvailable) return [];
        await using var command = _db.CreateCommand("""
            select regexp_replace(query, '\s+', ' ', 'g'), calls, rows, total_exec_time, mean_exec_time
            from pg_stat_statements
            where dbid = (select oid from pg_database where datname = current_database())
              and query not like '%pg_stat_%'
            order by total_exec_time desc limit $1
            """);
        command.Parameters.AddWithValue(top);
        var list = new List<StatementStat>();
        await using var r = await command.ExecuteReaderAsync();
        while (await r.ReadAsync())
            list.Add(new StatementStat(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetDouble(3), r.GetDouble(4)));
        return list;
    }

    public ValueTask DisposeAsync() => _db.DisposeAsync();
}
