using System.Net.Sockets;
using BpClub.Abstractions;
using BpClub.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
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
        { "PostgreSQL unreachable",
            new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)), true },
        { "PostgreSQL shutting down", new PostgresException("terminating connection", "FATAL", "FATAL", "57P01"),
            true },
        { "too many connections", new PostgresException("too many clients", "FATAL", "FATAL", "53300"), true },
        { "PostgreSQL out of memory", new PostgresException("out of memory", "ERROR", "ERROR", "53200"), true },
        { "PostgreSQL starting up",
            new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03"), true },
        { "PostgreSQL crashed", new PostgresException("crash shutdown", "FATAL", "FATAL", "57P02"), true },
        { "a connection failure", new PostgresException("connection failure", "FATAL", "FATAL", "08006"), true },
        { "a connection refused by the server", new PostgresException("rejected", "FATAL", "FATAL", "08004"), true },
        { "an Npgsql timeout", new NpgsqlException("Timeout during reading", new TimeoutException()), true },
        { "a cancelled call", new OperationCanceledException(), true },
        { "a gateway too busy", new GatewayTooBusyException(), true },
        { "a connection to a silo that failed", new Orleans.Runtime.Messaging.ConnectionFailedException("gone"), true },
        { "a timeout inside an aggregate", new AggregateException(new TimeoutException()), true },
        { "a PostgreSQL error whose SQLSTATE was lost on the way", new PostgresException("lost", "ERROR", "ERROR", ""),
            true },
        { "a silo that is gone", new SiloUnavailableException("silo gone"), true },
        { "a stale card activation", new StaleActivationException("stale"), true },
        { "storage failure wrapped by Orleans",
            new OrleansException("storage", new NpgsqlException("io", new TimeoutException())), true },
        { "a unique violation in our SQL", new PostgresException("duplicate key", "ERROR", "ERROR", "23505"), false },
        { "a syntax error in our SQL", new PostgresException("syntax error", "ERROR", "ERROR", "42601"), false },
        { "a missing table", new PostgresException("relation does not exist", "ERROR", "ERROR", "42P01"), false },
        { "a deadlock in our SQL", new PostgresException("deadlock detected", "ERROR", "ERROR", "40P01"), false },
        { "a check constraint", new PostgresException("violates check", "ERROR", "ERROR", "23514"), false },
        { "an Npgsql error that is not transient", new NpgsqlException("bad parameter"), false },
        { "our SQL's error wrapped by Orleans",
            new OrleansException("storage", new PostgresException("syntax error", "ERROR", "ERROR", "42601")), false },
        { "an argument out of range", new ArgumentOutOfRangeException("limit"), false },
        { "a bug in our code", new InvalidOperationException("bug"), false },
        { "an Orleans error that is not about reachability", new OrleansException("a grain threw"), false },
        { "a null reference", new NullReferenceException(), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Only_unavailability_is_a_503(string what, Exception exception, bool unavailable) =>
        Assert.True(UnavailableExceptionHandler.IsUnavailable(exception) == unavailable,
            $"{what}: expected {(unavailable ? "503" : "500")}");

    /// <summary>The answer itself: 503 with Retry-After, or 500 without; neither tells the exception's words.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_answer_says_whether_to_retry_and_leaks_nothing(bool unavailable)
    {
        const string secret = "select * from members where password = 'hunter2'";
        Exception exception = unavailable
            ? new NpgsqlException(secret, new SocketException((int)SocketError.ConnectionRefused))
            : new PostgresException(secret, "ERROR", "ERROR", "42601");
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new());
        builder.Services.AddBpClubProblemDetails();
        using var host = builder.Build();
        var http = new DefaultHttpContext { RequestServices = host.Services };
        http.Response.Body = new MemoryStream();

        var handled = await new UnavailableExceptionHandler(NullLogger<UnavailableExceptionHandler>.Instance)
            .TryHandleAsync(http, exception, CancellationToken.None);

        Assert.True(handled);
        Assert.Equal(unavailable ? 503 : 500, http.Response.StatusCode);
        Assert.Equal(unavailable ? "1" : "", http.Response.Headers.RetryAfter.ToString());
        Assert.StartsWith("application/problem+json", http.Response.ContentType);
        http.Response.Body.Position = 0;
        var body = await new StreamReader(http.Response.Body).ReadToEndAsync();
        Assert.DoesNotContain("hunter2", body);
        Assert.DoesNotContain(nameof(PostgresException), body);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(unavailable ? "Service unavailable" : "Unexpected error",
            problem.RootElement.GetProperty("title").GetString());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("detail").GetString()));
    }
}
