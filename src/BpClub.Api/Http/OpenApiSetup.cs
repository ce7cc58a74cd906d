using BpClub.Domain.Cards;
using BpClub.Domain.Units;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BpClub.Api.Http;

/// <summary>
/// The served OpenAPI document: the two security schemes (X-Api-Key for machines, bearer token
/// for members), each operation marked with the one it needs, and unit types shown as the bare
/// numbers and strings they are on the wire.
/// </summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddBpClubOpenApi(this IServiceCollection services)
        => services.AddOpenApi(options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "BpClub HTTP API",
                Version = "v1",
                Description =
                    "The loyalty programme's contract for stations (POS), partners, the member cabinet and operators.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                [Callers.ApiKeyScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = Callers.ApiKeyHeader,
                    Description = "A station's, partner's or operator's key.",
                },
                [Callers.MemberScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "A member's accessToken from sign-in "
                        + "(the web cabinet sends the same token as its session cookie).",
                },
            };
            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, _) =>
        {
            var policy = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>()
                .Select(a => a.Policy).LastOrDefault(p => p is not null);
            var scheme = policy switch
            {
                Callers.Station or Callers.Partner or Callers.Operator => Callers.ApiKeyScheme,
                Callers.Member => Callers.MemberScheme,
                _ => null,
            };
            if (scheme is null) return Task.CompletedTask;
            operation.Security =
                [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] =
                    [] }];
            operation.Description = (operation.Description is null ? "" : operation.Description + " ")
                + $"Caller: {policy}.";
            return Task.CompletedTask;
        });

        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
            (JsonSchemaType? json, string? format) = type switch
            {
                _ when type == typeof(Points) => (JsonSchemaType.Integer, "int64"),
                _ when type == typeof(Litres) => (JsonSchemaType.Number, "decimal"),
                _ when type == typeof(Money) => (JsonSchemaType.Number, "decimal"),
                _ when type == typeof(CardNumber) => (JsonSchemaType.String, null),
                _ when type == typeof(PhoneNumber) => (JsonSchemaType.String, null),
                _ => ((JsonSchemaType?)null, (string?)null),
            };
            if (json is null) return Task.CompletedTask;
            schema.Type = json;
            schema.Format = format;
            schema.Properties?.Clear();
            schema.Required?.Clear();
            return Task.CompletedTask;
        });
    });
}
