using BpClub.Abstractions;
using BpClub.Domain.Validation;
using BpClub.Grains.Keys.Storage;

namespace BpClub.Grains.Keys;

/// <summary>A partner: its name, earning rate and key.</summary>
public sealed class PartnerGrain(KeyHolderStore store, TimeProvider time) : KeyHolderGrain(time), IPartnerGrain
{
    protected override KeyKind Kind => KeyKind.Partner;

    protected override Task<KeyHolderRecord?> Load() => store.LoadPartner(Id);

    protected override Task Store(KeyHolderRecord record, bool newKey, DateTimeOffset now)
        => store.SavePartner(record, newKey, now);

    public async Task<Outcome<PartnerModel>> Save(string name, decimal pointsPerUah)
    {
        var errors = new ValidationErrors();
        if (pointsPerUah is < 0m or > 100m) errors.Add("pointsPerUah", "Must be between 0 and 100.");
        else if (decimal.Round(pointsPerUah, 4) != pointsPerUah) errors.Add("pointsPerUah", "At most four decimals.");
        return Model(await Save(name, "", pointsPerUah, errors));
    }

    public async Task<Outcome<PartnerModel>> RotateKey() => Model(await Rotate());

    private static Outcome<PartnerModel> Model(Outcome<(KeyHolderRecord Record, string? Key)> saved) => saved.Succeeded
        ? Outcome<PartnerModel>.Done(
            new PartnerModel(saved.Value.Record.Id, saved.Value.Record.Name, saved.Value.Record.PointsPerUah,
                saved.Value.Key))
        : saved.As<PartnerModel>();
}
