using Orleans.Concurrency;

namespace BpClub.Abstractions;

/// <summary>A station (its tills share one key), keyed by station id. The key is stored only hashed.</summary>
public interface IStationGrain : IGrainWithStringKey
{
    /// <summary>Creates the station with a new key, or updates name and address (then no key is shown).</summary>
    Task<Outcome<StationModel>> Save(string name, string address);

    Task<Outcome<StationModel>> RotateKey();

    /// <summary>Null when the secret is not this station's current key.</summary>
    [AlwaysInterleave]
    Task<KeyHolder?> Authenticate(string secret);
}

/// <summary>A partner earning points at its own rate, keyed by partner id.</summary>
public interface IPartnerGrain : IGrainWithStringKey
{
    Task<Outcome<PartnerModel>> Save(string name, decimal pointsPerUah);

    Task<Outcome<PartnerModel>> RotateKey();

    [AlwaysInterleave]
    Task<KeyHolder?> Authenticate(string secret);
}

/// <summary>The programme's promotions (one catalogue, key 0); silos read the table they write.</summary>
public interface IPromotionCatalogGrain : IGrainWithIntegerKey
{
    Task<Outcome<PromotionModel>> Save(PromotionModel promotion);

    [AlwaysInterleave]
    Task<IReadOnlyList<PromotionModel>> List();

    Task<Outcome<PromotionModel>> End(string promotionId);
}
