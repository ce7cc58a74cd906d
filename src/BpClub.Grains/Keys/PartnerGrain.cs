using BpClub.Grains.Keys.Storage;

namespace BpClub.Grains.Keys;

/// <summary>A partner: its name, earning rate and key.</summary>
public sealed class PartnerGrain(KeyHolderStore store, TimeProvider time)
    : KeyHolderGrain<PartnerModel>(store, time), IPartnerGrain
{
    protected override KeyKind Kind => KeyKind.Partner;

    public Task<Outcome<PartnerModel>> Save(string name, decimal pointsPerUah)
    {
        var errors = new ValidationErrors();
        if (pointsPerUah is < 0m or > 100m) errors.Add("pointsPerUah", "Must be between 0 and 100.");
        else if (decimal.Round(pointsPerUah, 4) != pointsPerUah) errors.Add("pointsPerUah", "At most four decimals.");
        return Save(name, "", pointsPerUah, errors);
    }

    protected override PartnerModel View(KeyHolderRecord r, string? key) => new(r.Id, r.Name, r.PointsPerUah, key);
}
