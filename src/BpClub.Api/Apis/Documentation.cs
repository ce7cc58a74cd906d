using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace BpClub.Api.Apis;

/// <summary>Response metadata for the OpenAPI document: every endpoint lists its body and its problems.</summary>
public static class Documentation
{
    public static RouteHandlerBuilder Returns<T>(this RouteHandlerBuilder endpoint, int status = StatusCodes.Status200OK, params int[] problems)
    {
        endpoint.Produces<T>(status);
        if (status == StatusCodes.Status201Created) endpoint.Produces<T>(StatusCodes.Status200OK);
        return endpoint.Problems(problems);
    }

    public static TBuilder Problems<TBuilder>(this TBuilder endpoint, params int[] problems) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in problems)
        {
            var type = status == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
            endpoint.WithMetadata(new ProducesResponseTypeMetadata(status, type, ["application/problem+json"]));
        }
        return endpoint;
    }
}
