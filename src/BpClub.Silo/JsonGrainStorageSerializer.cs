using System.Text.Json;
using BpClub.Grains.Cards;
using BpClub.Grains.Cards.Storage;
using Orleans.Storage;

namespace BpClub.Silo;

/// <summary>Grain state as JSON: readable in the database, and no Orleans attributes on domain types.</summary>
public sealed class JsonGrainStorageSerializer : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, LedgerJson.Options));

    /// <remarks>
    /// A card's snapshot that cannot be read is no reason for the card to stay unavailable: the ledger is the truth,
    /// so it reads as an unreadable snapshot and the card grain rebuilds from the ledger (and says so in the log).
    /// </remarks>
    public T Deserialize<T>(BinaryData input)
    {
        try
        {
            return input.ToObjectFromJson<T>(LedgerJson.Options)!;
        }
        catch (Exception e) when (typeof(T) == typeof(CardSnapshot) && e is JsonException or NotSupportedException
            or ArgumentException)
        {
            return (T)(object)new CardSnapshot { Unreadable = true };
        }
    }
}
