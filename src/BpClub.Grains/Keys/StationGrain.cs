using BpClub.Grains.Keys.Storage;

namespace BpClub.Grains.Keys;

/// <summary>A station: its name, address and till key.</summary>
public sealed class StationGrain(KeyHolderStore store, TimeProvider time)
    : KeyHolderGrain<StationModel>(store, time), IStationGrain
{
    protected override KeyKind Kind => KeyKind.Station;

    public Task<Outcome<StationModel>> Save(string name, string address)
    {
        var errors = new ValidationErrors();
        errors.RequireId("address", address, 200);
        return Save(name, address ?? "", 0m, errors);
    }

    protected override StationModel View(KeyHolderRecord r, string? key) => new(r.Id, r.Name, r.Detail, key);
}
