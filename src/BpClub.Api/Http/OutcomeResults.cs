using System.Globalization;
using BpClub.Abstractions;
using BpClub.Domain.Validation;

namespace BpClub.Api.Http;

/// <summary>
/// The one mapping from how a command ended to HTTP: 201 when it happened now (200 for
/// non-creating commands), 200 with the first body for a replay, problem details otherwise.
/// </summary>
public static class OutcomeResults
{
    public static IResult Created<T, TBody>(Outcome<T> outcome, Func<T, TBody> body) =>
        outcome.Status switch
        {
            OutcomeStatus.Done => TypedResults.Json(body(outcome.Value!), statusCode: StatusCodes.Status201Created),
            OutcomeStatus.Replayed => TypedResults.Ok(body(outcome.Value!)),
            _ => Problem(outcome),
        };

    public static IResult Created<T>(Outcome<T> outcome) => Created(outcome, v => v);

    public static IResult Ok<T, TBody>(Outcome<T> outcome, Func<T, TBody> body) =>
        outcome.Succeeded ? TypedResults.Ok(body(outcome.Value!)) : Problem(outcome);

    public static IResult Ok<T>(Outcome<T> outcome) => Ok(outcome, v => v);

    public static IResult NoContent<T>(Outcome<T> outcome) => outcome.Succeeded ? TypedResults.NoContent() : Problem(outcome);

    public static IResult Problem<T>(Outcome<T> outcome) => outcome.Status switch
    {
        OutcomeStatus.Invalid => Invalid(outcome.Errors ?? [], outcome.Detail),
        OutcomeStatus.NotFound => Problem(StatusCodes.Status404NotFound, "Not found", outcome.Detail),
        OutcomeStatus.Conflict => Problem(StatusCodes.Status409Conflict, "Conflict", outcome.Detail),
        OutcomeStatus.Rejected => Problem(StatusCodes.Status422UnprocessableEntity, "Not allowed by the programme rules", outcome.Detail),
        OutcomeStatus.Unauthorized => Problem(StatusCodes.Status401Unauthorized, "Unauthorized", outcome.Detail),
        OutcomeStatus.Throttled => new WithRetryAfter(Problem(StatusCodes.Status429TooManyRequests, "Too many requests", outcome.Detail),
            outcome.RetryAfter ?? TimeSpan.FromSeconds(1)),
        _ => throw new InvalidOperationException($"{outcome.Status} is not a failure."),
    };

    public static IResult Invalid(IDictionary<string, string[]> errors, string? detail = null) =>
        TypedResults.ValidationProblem(errors, detail ?? "The request is not valid; nothing was changed.", title: "Invalid request");

    public static IResult Invalid(ValidationErrors errors) => Invalid(errors.ToDictionary());

    public static IResult Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult Problem(int status, string title, string? detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    /// <summary>A 429 or 503 tells the caller when to come back.</summary>
    public sealed class WithRetryAfter(IResult inner, TimeSpan retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(context);
        }
    }
}
