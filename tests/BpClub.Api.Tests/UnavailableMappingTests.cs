using System.Net.Sockets;
using BpClub.Abstractions;
using BpClub.Api.Http;
using Npgsql;
using Orleans.Runtime;

namespace BpClub.Api.Tests;

/// <summary>503 ("retry with the same operation id") only for what really means unavailable; a bug is a 500.</summary>
public sealed class UnavailableMappingTests
{
    public static TheoryData<string, Exception, bool> Cases() => new()
    {
        { "a grain call that timed out", new TimeoutException("Response did not arrive on time"), true },
        { "a refused socket", new SocketException((int)SocketError.ConnectionRefused), true },
        { "PostgreSQL unreachable", new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)), true },
        { "PostgreSQL shutting down", new PostgresException("terminating connection", "FATAL", "FATAL", "57P01"), true },
        { "too many connections", new PostgresException("too many clients", "FATAL", "FATAL", "53300"), true },
        { "a PostgreSQL error whose SQLSTATE was lost on the way", new PostgresException("lost", "ERROR", "ERROR", ""), true },
        { "a silo that is gone", new SiloUnavailableException("silo gone"), true },
        { "a stale card activation", new StaleActivationException("stale"), true },
        { "storage failure wrapped by Orleans", new OrleansException("storage", new NpgsqlException("io", new TimeoutException())), true },
        { "a unique violation in our SQL", new PostgresException("duplicate key", "ERROR", "ERROR", "23505"), false },
        { "a syntax error in our SQL", new PostgresException("syntax error", "ERROR", "ERROR", "42601"), false },
        { "a bug in our code", new InvalidOperationException("bug"), false },
        { "an Orleans error that is not about reachability", new OrleansException("a grain threw"), false },
        { "a null reference", new NullReferenceException(), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Only_unavailability_is_a_503(string what, Exception exception, bool unavailable) =>
        Assert.True(UnavailableExceptionHandler.IsUnavailable(exception) == unavailable,
            $"{what}: expected {(unavailable ? "503" : "500")}");
}
