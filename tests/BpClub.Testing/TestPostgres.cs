using System.Diagnostics;
using Npgsql;

namespace BpClub.Testing;

/// <summary>
/// The PostgreSQL server the tests use: BPCLUB_TEST_PG when set (a connection string to a
/// server we may create databases on), otherwise a throwaway one started once per test run by
/// cluster-config/postgres.sh — the same script `./bpclub up` uses — and destroyed at exit.
/// Each caller gets a database of its own with the schema applied.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<string> Server = new(StartServer, LazyThreadSafetyMode.ExecutionAndPublication);
    private static string? _dataDirectory;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ServerConnectionString => Server.Value;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabase(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..40].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(Server.Value))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"create database \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(Server.Value) { Database = name }.ConnectionString;
    }

    private static string StartServer()
    {
        if (Environment.GetEnvironmentVariable("BPCLUB_TEST_PG") is { Length: > 0 } given) return given;

        _dataDirectory = Path.Combine(Path.GetTempPath(),
            $"bpclub-test-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..48]);
        var connectionString = RunScript("start", _dataDirectory, "0", "postgres");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RunScript("destroy", _dataDirectory);
        return new NpgsqlConnectionStringBuilder(connectionString) { Pooling = true,
            MaxPoolSize = 50 }.ConnectionString;
    }

    public static string RunScript(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "cluster-config", "postgres.sh"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"postgres.sh {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
        return stdout.Trim();
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BpClub.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (BpClub.sln) above "
            + AppContext.BaseDirectory);
    }
}
