namespace BpClub.Grains.Keys.Storage;

/// <summary>A station's or partner's row: who it is and the hash of its current key.</summary>
public sealed record KeyHolderRecord(string Id, string Name, string Detail, decimal PointsPerUah, byte[] KeyHash);
