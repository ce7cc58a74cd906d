using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace BpClub.Abstractions;

/// <summary>
/// Lets Npgsql's exceptions (PostgreSQL down, restarting, the pool exhausted) travel from a grain to its
/// caller. Orleans serializes only exception types from namespaces it knows; without this a grain's
/// NpgsqlException — or a storage provider's OrleansException wrapping one — cannot be sent back, the
/// response is dropped, and the caller hangs until the response timeout (30 s) instead of getting a
/// quick 503. Silos and clients both need it (one serializes, the other reads).
/// </summary>
public static class StorageExceptions
{
    public const string NamespacePrefix = "Npgsql";
    /// <summary>Our own: <see cref="StaleActivationException"/>.</summary>
    public const string OwnPrefix = "BpClub.Abstractions";

    public static IServiceCollection AddStorageExceptionSerialization(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(o =>
        {
            if (!o.SupportedNamespacePrefixes.Contains(NamespacePrefix)) o.SupportedNamespacePrefixes.Add(
                NamespacePrefix);
            if (!o.SupportedNamespacePrefixes.Contains(OwnPrefix)) o.SupportedNamespacePrefixes.Add(OwnPrefix);
        });
}
