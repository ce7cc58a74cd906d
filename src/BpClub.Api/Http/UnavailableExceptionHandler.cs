using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace BpClub.Api.Http;

/// <summary>
/// Turns failures into problem details: a cluster or database that cannot be reached is a 503
/// (safe to retry with the same operation id: commands are idempotent), a body the server will
/// not read is the status Kestrel chose (400, 413), anything else a 500 without internals.
/// </summary>
public sealed partial class UnavailableExceptionHandler(IProblemDetailsService problems, ILogger<UnavailableExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request too large" : "Bad request",
                bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is larger than this endpoint accepts." : bad.Message),
            _ when IsUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                "Storage or the cluster is unavailable for a moment. Retry with the same operation id; nothing is counted twice."),
            _ => (StatusCodes.Status500InternalServerError, "Unexpected error", "The error was logged. Retrying with the same operation id is safe."),
        };
        if (status == StatusCodes.Status503ServiceUnavailable) LogUnavailable(exception.GetType().Name, context.Request.Path);
        else if (status >= 500) LogUnexpected(exception, context.Request.Path);

        context.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = "1";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>Orleans, Npgsql, timeouts and sockets: the parts a request depends on, not a bug in it.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException or SocketException or OperationCanceledException or IOException) return true;
            var ns = e.GetType().Namespace ?? "";
            if (ns.StartsWith("Orleans", StringComparison.Ordinal) || ns.StartsWith("Npgsql", StringComparison.Ordinal)) return true;
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "503 for {Path}: {Exception}")]
    private partial void LogUnavailable(string exception, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "500 for {Path}")]
    private partial void LogUnexpected(Exception exception, string path);
}
