using System.Net.Sockets;
using Orleans.Runtime;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace BpClub.Api.Http;

/// <summary>
/// Turns failures into problem details: a cluster or database that cannot be reached is a 503
/// (safe to retry with the same operation id: commands are idempotent), a body the server will
/// not read is the status Kestrel chose (400, 413), anything else a 500 without internals.
/// </summary>
public sealed partial class UnavailableExceptionHandler(ILogger<UnavailableExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception,
        CancellationToken cancellationToken)
    {
        // A value of the wrong type names its field, as validation errors do.
        var field = exception is BadHttpRequestException unreadable ? Field(unreadable) : null;
        var (status, detail) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (
                StatusCodes.Status413PayloadTooLarge, "The request body is larger than this endpoint accepts."),
            BadHttpRequestException bad => (bad.StatusCode, Unreadable(bad, field)),
            _ when Find<SmsUnavailableException>(exception) is not null => (StatusCodes.Status503ServiceUnavailable,
                "The text with the code could not be sent just now; nothing was changed. Ask again in a moment."),
            _ when IsUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable,
                "Storage or the cluster is unavailable for a moment. Retry with the same operation id; "
                + "nothing is counted twice."),
            _ => (StatusCodes.Status500InternalServerError,
                "The error was logged. Retrying with the same operation id is safe."),
        };
        if (status == StatusCodes.Status503ServiceUnavailable) LogUnavailable(exception.GetType().Name,
            context.Request.Path);
        else if (status >= 500) LogUnexpected(exception, context.Request.Path);

        var errors = field is null ? null
            : new Dictionary<string, string[]> { [field] = ["Not a value of the expected type or format."] };
        return await Problems.Write(context, status, detail,
            // Whatever status Kestrel chose for a body it would not read, the title says the request was at fault.
            title: exception is BadHttpRequestException && status != StatusCodes.Status413PayloadTooLarge
                ? Problems.Title(StatusCodes.Status400BadRequest) : null,
            retryAfter: status == StatusCodes.Status503ServiceUnavailable ? TimeSpan.FromSeconds(1) : null,
            errors: errors, exception: exception);
    }

    /// <summary>What was wrong with a request the framework could not bind, without naming our types.</summary>
    private static string Unreadable(BadHttpRequestException bad, string? field) => bad.InnerException switch
    {
        JsonException when field is not null
            => $"The body is not valid here: {field} does not have the expected type or format; nothing was changed.",
        JsonException => "The body is not valid JSON of the expected shape; nothing was changed.",
        _ when field is not null
            => $"The parameter {field} does not have the expected type or format; nothing was changed.",
        _ when bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase)
            => "The request needs a JSON body; nothing was changed.",
        _ => "The request could not be read; nothing was changed.",
    };

    /// <summary>The field at fault: a JSON path in the body ("lines[0].litres") or a query/route parameter
    /// ("limit").</summary>
    private static string? Field(BadHttpRequestException bad) => bad.InnerException switch
    {
        JsonException { Path: { Length: > 2 } path } => path[2..],
        JsonException => null,
        _ => BindFailure().Match(bad.Message) is { Success: true } match ? match.Groups[1].Value : null,
    };

    // The framework's words for a parameter it could not convert: Failed to bind parameter "int? limit" from "many".
    [System.Text.RegularExpressions.GeneratedRegex("""^Failed to bind parameter "[^"]*?(\w+)" from""")]
    private static partial System.Text.RegularExpressions.Regex BindFailure();

    private static T? Find<T>(Exception exception) where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is T found) return found;
        return null;
    }

    /// <summary>
    /// The failures that mean "not reachable now, try again": a timeout, a connection that failed, a silo or
    /// gateway that is gone or busy, a card activation that lost to a newer one, Npgsql's own transient
    /// failures (it could not connect, the connection broke, a timeout), and a PostgreSQL error of the
    /// classes that say the server cannot serve now (<see cref="IsUnavailableState"/>). Anything else,
    /// including a PostgreSQL error in our own SQL, is a bug and a 500: a till must not retry it forever.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case TimeoutException or SocketException or OperationCanceledException or StaleActivationException:
                case SiloUnavailableException or OrleansMessageRejectionException or GatewayTooBusyException:
                case Orleans.Runtime.Messaging.ConnectionFailedException:
                    return true;
                case Npgsql.PostgresException postgres:
                    // The server answered: its SQLSTATE says whether it is unavailable or our SQL is wrong.
                    return IsUnavailableState(postgres.SqlState);
                case Npgsql.NpgsqlException { IsTransient: true }:
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// 08xxx (connection exception), 53xxx (insufficient resources: too many connections, out of memory,
    /// disk full), 57P0x (operator intervention: shutting down, crash, cannot connect now); and a SQLSTATE
    /// that did not survive the trip from the silo, most likely PostgreSQL going away under a grain's
    /// connection (retrying is safe, commands are idempotent).
    /// </summary>
    public static bool IsUnavailableState(string? sqlState) =>
        string.IsNullOrEmpty(sqlState)
        || sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState.StartsWith("57P0", StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "503 for {Path}: {Exception}")]
    private partial void LogUnavailable(string exception, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "500 for {Path}")]
    private partial void LogUnexpected(Exception exception, string path);
}
