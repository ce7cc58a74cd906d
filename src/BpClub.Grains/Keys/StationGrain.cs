using BpClub.Grains.Keys.Storage;

namespace BpClub.Grains.Keys;

/// <summary>A station: its name, address and till key.</summary>
public sealed class StationGrain(KeyHolderStore store, TimeProvider time) : KeyHolderGrain(store, time), IStationGrain
{
    protected override KeyKind Kind => KeyKind.Station;

    public async Task<Outcome<StationModel>> Save(string name, string address)
    {
        var errors = new ValidationErrors();
        errors.RequireId("address", address, 200);
        return Model(await Save(name, address ?? "", 0m, errors));
    }

    public async Task<Outcome<StationModel>> RotateKey() => Model(await Rotate());

    private static Outcome<StationModel> Model(Outcome<(KeyHolderRecord Record, string? Key)> saved) =>
        Model(saved, (r, key) => new StationModel(r.Id, r.Name, r.Detail, key));
}
