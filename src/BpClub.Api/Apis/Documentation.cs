using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace BpClub.Api.Apis;

/// <summary>
/// Response metadata for the OpenAPI document that no signature can tell: the statuses a problem may
/// carry (an outcome's 404, 409, 422, 401) and those of the pipeline around the endpoints (401, 403 of
/// authorization, 429 of the rate limits, 503 of the exception handler). Bodies come from the typed results.
/// </summary>
public static class Documentation
{
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder endpoint, params int[] problems)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in problems)
        {
            var type = status == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails)
                : typeof(ProblemDetails);
            endpoint.WithMetadata(new ProducesResponseTypeMetadata(status, type, ["application/problem+json"]));
        }
        return endpoint;
    }
}
