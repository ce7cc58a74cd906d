using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace BpClub.Api.Http;

/// <summary>
/// The one problem factory: every error the front end answers is problem details made here, either as a
/// typed result an endpoint returns (<see cref="Result"/>, <see cref="Invalid(IDictionary{string, string[]},
/// string?)"/>,
/// <see cref="TooMany"/>) or written by middleware through the framework's <see cref="IProblemDetailsService"/>
/// (<see cref="Write"/>), with one title per status and Retry-After on 429 and 503.
/// </summary>
public static class Problems
{
    public const string InvalidDetail = "The request is not valid; nothing was changed.";

    /// <summary>The title of the 422 for a card that was replaced by another (or is being replaced).</summary>
    public const string CardReplacedTitle = "Card replaced";

    /// <summary>The framework's problem details, each with a detail, also its own (401, 403, 404, 405, 415).</summary>
    public static IServiceCollection AddBpClubProblemDetails(this IServiceCollection services) =>
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c => c.ProblemDetails.Detail ??=
            c.ProblemDetails.Status switch
            {
                StatusCodes.Status401Unauthorized =>
                    "Missing, expired or invalid credentials: an X-Api-Key or a member's bearer token or session.",
                StatusCodes.Status403Forbidden => "These credentials are of a kind that may not call this endpoint.",
                StatusCodes.Status404NotFound => "No such endpoint or resource.",
                StatusCodes.Status405MethodNotAllowed => "This endpoint does not take this method.",
                StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
                _ => c.ProblemDetails.Title,
            });

    /// <summary>The title of each status the contract uses.</summary>
    public static string Title(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "Invalid request",
        StatusCodes.Status401Unauthorized => "Unauthorized",
        StatusCodes.Status404NotFound => "Not found",
        StatusCodes.Status409Conflict => "Conflict",
        StatusCodes.Status413PayloadTooLarge => "Request too large",
        StatusCodes.Status422UnprocessableEntity => "Not allowed by the programme rules",
        StatusCodes.Status429TooManyRequests => "Too many requests",
        StatusCodes.Status503ServiceUnavailable => "Service unavailable",
        _ => "Unexpected error",
    };

    /// <summary>A problem an endpoint returns; the title is the status's unless given.</summary>
    public static ProblemHttpResult Result(int status, string? detail, string? title = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title ?? Title(status));

    /// <summary>A 400 naming the fields at fault.</summary>
    public static ValidationProblem Invalid(IDictionary<string, string[]> errors, string? detail = null) =>
        TypedResults.ValidationProblem(errors, detail ?? InvalidDetail, title: Title(StatusCodes.Status400BadRequest));

    public static ValidationProblem Invalid(ValidationErrors errors) => Invalid(errors.ToDictionary());

    public static ValidationProblem Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>A 429 that says when to come back.</summary>
    public static TooManyRequests TooMany(string? detail, TimeSpan retryAfter) =>
        new(Result(StatusCodes.Status429TooManyRequests, detail), retryAfter);

    /// <summary>
    /// For middleware and the exception handler, where no endpoint returns a result: the status, Retry-After
    /// when given, and the problem written by the framework's problem details service.
    /// </summary>
    public static async ValueTask<bool> Write(HttpContext http, int status, string detail, string? title = null,
        TimeSpan? retryAfter = null, IDictionary<string, string[]>? errors = null, Exception? exception = null)
    {
        http.Response.StatusCode = status;
        if (retryAfter is { } wait) SetRetryAfter(http, wait);
        var problem = new ProblemDetails { Status = status, Title = title ?? Title(status), Detail = detail };
        if (errors is not null) problem.Extensions["errors"] = errors;
        return await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(
            new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>Retry-After in whole seconds, at least one.</summary>
    public static void SetRetryAfter(HttpContext http, TimeSpan wait) => http.Response.Headers.RetryAfter =
        Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}

/// <summary>A 429 problem with Retry-After; its signature documents the 429 in OpenAPI.</summary>
public sealed class TooManyRequests(ProblemHttpResult problem, TimeSpan retryAfter)
    : IResult, IStatusCodeHttpResult, IValueHttpResult<ProblemDetails>, IValueHttpResult, IEndpointMetadataProvider
{
    public TimeSpan RetryAfter => retryAfter;

    public int? StatusCode => StatusCodes.Status429TooManyRequests;

    public ProblemDetails Value => problem.ProblemDetails;

    object? IValueHttpResult.Value => Value;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        Problems.SetRetryAfter(httpContext, retryAfter);
        return problem.ExecuteAsync(httpContext);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => builder.Metadata.Add(
        new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests, typeof(ProblemDetails),
            ["application/problem+json"]));
}
