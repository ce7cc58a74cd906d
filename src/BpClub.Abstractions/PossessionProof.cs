namespace BpClub.Abstractions;

/// <summary>How someone proved they hold a card: the phone the till recorded with it is theirs, or they know the
/// code printed on it.</summary>
[GenerateSerializer]
public enum PossessionProof
{
    RecordedPhone,
    CardCode,
}
