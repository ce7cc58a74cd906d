using BpClub.Abstractions;
using BpClub.Domain.Validation;
using BpClub.Grains.Keys.Storage;

namespace BpClub.Grains.Keys;

/// <summary>A station: its name, address and till key.</summary>
public sealed class StationGrain(KeyHolderStore store, TimeProvider time) : KeyHolderGrain(time), IStationGrain
{
    protected override KeyKind Kind => KeyKind.Station;

    protected override Task<KeyHolderRecord?> Load() => store.LoadStation(Id);

    protected override Task Store(KeyHolderRecord record, bool newKey, DateTimeOffset now)
        => store.SaveStation(record, newKey, now);

    public async Task<Outcome<StationModel>> Save(string name, string address)
    {
        var errors = new ValidationErrors();
        errors.RequireId("address", address, 200);
        return Model(await Save(name, address ?? "", 0m, errors));
    }

    public async Task<Outcome<StationModel>> RotateKey() => Model(await Rotate());

    private static Outcome<StationModel> Model(Outcome<(KeyHolderRecord Record, string? Key)> saved) => saved.Succeeded
        ? Outcome<StationModel>.Done(
            new StationModel(saved.Value.Record.Id, saved.Value.Record.Name, saved.Value.Record.Detail,
                saved.Value.Key))
        : saved.As<StationModel>();
}
