namespace BpClub.Abstractions;

/// <summary>How a card command ended; the HTTP edge maps each to one status code.</summary>
[GenerateSerializer]
public enum OutcomeStatus
{
    /// <summary>Done now (201 for creations, 200 otherwise).</summary>
    Done,
    /// <summary>The operation id was seen before with the same payload: this is the first result (200).</summary>
    Replayed,
    /// <summary>Bad input; nothing changed (400).</summary>
    Invalid,
    /// <summary>Unknown card, receipt, ... (404).</summary>
    NotFound,
    /// <summary>Operation id reused with another payload, or already issued (409).</summary>
    Conflict,
    /// <summary>A programme rule forbids it (422).</summary>
    Rejected,
    /// <summary>Wrong credentials: password or code (401).</summary>
    Unauthorized,
    /// <summary>Too many attempts or too soon; <see cref="Outcome{T}.RetryAfter"/> says when to try again
    /// (429).</summary>
    Throttled,
    /// <summary>The card was replaced by another and is closed, or is being replaced (422, titled "Card
    /// replaced").</summary>
    CardReplaced,
}

[GenerateSerializer, Immutable]
public sealed record Outcome<T>(
    [property: Id(0)] OutcomeStatus Status,
    [property: Id(1)] T? Value,
    [property: Id(2)] string? Detail = null,
    [property: Id(3)] Dictionary<string, string[]>? Errors = null,
    [property: Id(4)] TimeSpan? RetryAfter = null)
{
    public bool Succeeded => Status is OutcomeStatus.Done or OutcomeStatus.Replayed;

    public static Outcome<T> Done(T value) => new(OutcomeStatus.Done, value);
    public static Outcome<T> Replayed(T value) => new(OutcomeStatus.Replayed, value);
    public static Outcome<T> Invalid(Dictionary<string, string[]> errors)
        => new(OutcomeStatus.Invalid, default, "The request is not valid.", errors);
    public static Outcome<T> Fail(OutcomeStatus status, string detail) => new(status, default, detail);
    public static Outcome<T> Throttled(TimeSpan retryAfter, string detail)
        => new(OutcomeStatus.Throttled, default, detail, null, retryAfter);
    public static Outcome<T> Invalid(string field, string message) => Invalid(new() { [field] = [message] });

    /// <summary>The same failure carrying another result type.</summary>
    public Outcome<TOther> As<TOther>() => Succeeded
        ? throw new InvalidOperationException("Only a failure can change its result type.")
        : new(Status, default, Detail, Errors, RetryAfter);
}
