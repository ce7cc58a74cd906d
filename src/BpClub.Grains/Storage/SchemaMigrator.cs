using System.Reflection;
using Npgsql;

namespace BpClub.Grains.Storage;

/// <summary>
/// Applies cluster-config/migrations/*.sql (embedded at build) in order, each once, each in its
/// own transaction, recording them in schema_migrations. An advisory lock lets several silos
/// start at once: one migrates, the others wait and then find nothing to do.
/// </summary>
public sealed partial class SchemaMigrator(NpgsqlDataSource database, ILogger<SchemaMigrator> logger)
{
    private const long LockKey = 0x42_70_43_6C_75_62; // "BpClub"

    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("migrations/", StringComparison.Ordinal)
                && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n["migrations/".Length..^".sql".Length];
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (int.Parse(name[..name.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture), name,
                    reader.ReadToEnd());
            })
            .OrderBy(m => m.Item1)
            .ToList();
    }

    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await Execute(connection, null, "select pg_advisory_lock(@key)", cancellationToken, ("key", LockKey));
        try
        {
            await Execute(connection, null, """
                create table if not exists schema_migrations (
                    version    integer     primary key,
                    name       text        not null,
                    applied_at timestamptz not null default now())
                """, cancellationToken);
            var applied = new HashSet<int>();
            await using (var command = new NpgsqlCommand("select version from schema_migrations", connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken)) applied.Add(reader.GetInt32(0));

            var count = 0;
            foreach (var (version, name, sql) in Migrations().Where(m => !applied.Contains(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await Execute(connection, transaction, sql, cancellationToken);
                await Execute(connection, transaction, "insert into schema_migrations (version, name) values (@v, @n)",
                    cancellationToken, ("v", version), ("n", name));
                await transaction.CommitAsync(cancellationToken);
                LogApplied(name);
                count++;
            }
            if (count == 0) LogUpToDate(applied.Count);
            return count;
        }
        finally
        {
            await Execute(connection, null, "select pg_advisory_unlock(@key)", CancellationToken.None,
                ("key", LockKey));
        }
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Name}")]
    private partial void LogApplied(string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema up to date ({Count} migrations applied earlier)")]
    private partial void LogUpToDate(int count);
}
