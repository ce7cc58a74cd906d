using System.Diagnostics;
using Npgsql;

namespace BpClub.Testing;

/// <summary>pg_dump of a whole database as text, to search it for data that must not be there.</summary>
public static class DatabaseDump
{
    public static async Task<string> Of(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(PgDump()) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--no-owner", "-h", settings.Host!, "-p",
            settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "-U", settings.Username ?? "postgres", "-d", settings.Database! })
            start.ArgumentList.Add(argument);
        if (settings.Password is { } password) start.Environment["PGPASSWORD"] = password;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"pg_dump failed: {await errors}");
        var dump = await output;
        if (!dump.Contains("card_ledger", StringComparison.Ordinal))
            throw new InvalidOperationException("The dump has no card_ledger: not the service's database.");
        return dump;
    }

    /// <summary>The pg_dump next to the newest installed PostgreSQL (the one cluster-config/postgres.sh
    /// finds).</summary>
    private static string PgDump()
    {
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin", "pg_dump")).FirstOrDefault(File.Exists)
            : null;
        return installed ?? "pg_dump";
    }
}
