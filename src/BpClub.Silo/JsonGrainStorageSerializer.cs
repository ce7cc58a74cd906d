using System.Text.Json;
using BpClub.Grains.Cards.Storage;
using Orleans.Storage;

namespace BpClub.Silo;

/// <summary>Grain state as JSON: readable in the database, and no Orleans attributes on domain types.</summary>
public sealed class JsonGrainStorageSerializer : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, LedgerJson.Options));

    public T Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>(LedgerJson.Options)!;
}
