namespace BpClub.Api.Http;

/// <summary>
/// The one mapping from how a command ended to HTTP: 201 when it happened now (200 for non-creating
/// commands), 200 with the first body for a replay, a problem otherwise. The results are typed, so an
/// endpoint's signature tells OpenAPI its bodies; the statuses a problem may carry (404, 409, 422) are
/// listed on the route.
/// </summary>
public static class OutcomeResults
{
    /// <summary>201 with the body when the command happened now (or when <paramref name="isNew"/> says it
    /// made something new), 200 with it otherwise (a replay, an update).</summary>
    public static Results<Created<TBody>, Ok<TBody>, ValidationProblem, ProblemHttpResult, TooManyRequests>
        Created<T, TBody>(Outcome<T> outcome, Func<T, TBody> body, Func<T, bool>? isNew = null) => outcome.Status switch
        {
            OutcomeStatus.Done or OutcomeStatus.Replayed
                when isNew?.Invoke(outcome.Value!) ?? outcome.Status == OutcomeStatus.Done
                => TypedResults.Created((string?)null, body(outcome.Value!)),
            OutcomeStatus.Done or OutcomeStatus.Replayed => TypedResults.Ok(body(outcome.Value!)),
            OutcomeStatus.Invalid => Invalid(outcome),
            OutcomeStatus.Throttled => TooMany(outcome),
            _ => Problem(outcome),
        };

    public static Results<Created<T>, Ok<T>, ValidationProblem, ProblemHttpResult, TooManyRequests>
        Created<T>(Outcome<T> outcome) => Created(outcome, v => v);

    /// <summary>The success result made from the value, or the failure's problem.</summary>
    public static Results<TSuccess, ValidationProblem, ProblemHttpResult, TooManyRequests>
        Map<T, TSuccess>(Outcome<T> outcome, Func<T, TSuccess> success) where TSuccess : IResult
            => outcome.Status switch
        {
            OutcomeStatus.Done or OutcomeStatus.Replayed => success(outcome.Value!),
            OutcomeStatus.Invalid => Invalid(outcome),
            OutcomeStatus.Throttled => TooMany(outcome),
            _ => Problem(outcome),
        };

    /// <summary>As <see cref="Map"/>, for a success that has more to do (start a session, read more).</summary>
    public static async Task<Results<TSuccess, ValidationProblem, ProblemHttpResult, TooManyRequests>>
        MapAsync<T, TSuccess>(Outcome<T> outcome, Func<T, Task<TSuccess>> success) where TSuccess : IResult =>
        outcome.Succeeded ? await success(outcome.Value!) : Map<T,
            TSuccess>(outcome, _ => throw new InvalidOperationException());

    /// <summary>A failed outcome's problem, for an endpoint whose success is made of more than this outcome.</summary>
    public static Results<TSuccess, ValidationProblem, ProblemHttpResult, TooManyRequests>
        Failure<T, TSuccess>(Outcome<T> failed) where TSuccess : IResult =>
        Map<T, TSuccess>(failed, _ => throw new InvalidOperationException("The outcome succeeded."));

    public static Results<Ok<TBody>, ValidationProblem, ProblemHttpResult, TooManyRequests>
        Ok<T, TBody>(Outcome<T> outcome, Func<T, TBody> body) => Map(outcome, v => TypedResults.Ok(body(v)));

    public static Results<Ok<T>, ValidationProblem, ProblemHttpResult, TooManyRequests> Ok<T>(Outcome<T> outcome) =>
        Map(outcome, TypedResults.Ok);

    public static Results<NoContent, ValidationProblem, ProblemHttpResult, TooManyRequests>
        NoContent<T>(Outcome<T> outcome) => Map(outcome, _ => TypedResults.NoContent());

    /// <summary>A failure's 400 with its fields.</summary>
    private static ValidationProblem Invalid<T>(Outcome<T> outcome) =>
        Problems.Invalid(outcome.Errors ?? [], outcome.Detail);

    /// <summary>A throttled command's 429 with Retry-After.</summary>
    private static TooManyRequests TooMany<T>(Outcome<T> outcome) =>
        Problems.TooMany(outcome.Detail, outcome.RetryAfter ?? TimeSpan.FromSeconds(1));

    /// <summary>Any other failure: 404, 409, 422 or 401.</summary>
    private static ProblemHttpResult Problem<T>(Outcome<T> outcome) => outcome.Status switch
    {
        OutcomeStatus.NotFound => Problems.Result(StatusCodes.Status404NotFound, outcome.Detail),
        OutcomeStatus.Conflict => Problems.Result(StatusCodes.Status409Conflict, outcome.Detail),
        OutcomeStatus.Rejected => Problems.Result(StatusCodes.Status422UnprocessableEntity, outcome.Detail),
        OutcomeStatus.CardReplaced => Problems.Result(StatusCodes.Status422UnprocessableEntity, outcome.Detail,
            Problems.CardReplacedTitle),
        OutcomeStatus.Unauthorized => Problems.Result(StatusCodes.Status401Unauthorized, outcome.Detail),
        _ => throw new InvalidOperationException($"{outcome.Status} is not a failure."),
    };
}
