using BpClub.Grains.Keys.Storage;

namespace BpClub.Grains.Keys;

/// <summary>
/// What stations and partners share: a row with a name and the hash of one key, a new key on
/// creation and on rotation (shown once, never stored), and checking a presented secret. <typeparamref name="T"/>:
/// the wire model a holder is answered as.
/// </summary>
public abstract class KeyHolderGrain<T>(KeyHolderStore store, TimeProvider time) : Grain
{
    private KeyHolderRecord? _record;

    protected abstract KeyKind Kind { get; }

    protected string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _record = await store.Load(Kind, Id);

    public Task<KeyHolder?> Authenticate(string secret) =>
        Task.FromResult(_record is { } r && ApiKeys.Matches(r.KeyHash, secret)
            ? new KeyHolder(r.Id, r.Name, r.PointsPerUah) : null);

    /// <summary>Creates with a new key, or updates the details and keeps the key (then no key is returned).</summary>
    protected async Task<Outcome<T>> Save(string name, string detail, decimal pointsPerUah, ValidationErrors errors)
    {
        if (!ApiKeys.IsValidId(Id)) errors.Add("id", ApiKeys.InvalidId);
        errors.RequireId("name", name, 100);
        if (!errors.IsEmpty) return Outcome<T>.Invalid(errors.ToDictionary());

        var secret = _record is null ? ApiKeys.NewSecret() : null;
        var record = new KeyHolderRecord(Id, name.Trim(), detail.Trim(), pointsPerUah,
            secret is null ? _record!.KeyHash : ApiKeys.Hash(secret));
        await store.Save(Kind, record, newKey: secret is not null, time.GetUtcNow());
        _record = record;
        return Outcome<T>.Done(View(record, secret is null ? null : ApiKeys.Compose(Kind, Id, secret)));
    }

    public async Task<Outcome<T>> RotateKey()
    {
        if (_record is null) return Outcome<T>.Fail(OutcomeStatus.NotFound,
            $"Unknown {Kind.ToString().ToLowerInvariant()} {Id}.");
        var secret = ApiKeys.NewSecret();
        var record = _record with { KeyHash = ApiKeys.Hash(secret) };
        await store.Save(Kind, record, newKey: true, time.GetUtcNow());
        _record = record;
        return Outcome<T>.Done(View(record, ApiKeys.Compose(Kind, Id, secret)));
    }

    /// <summary>The wire model of a saved or rotated holder; the key only when a new one was made.</summary>
    protected abstract T View(KeyHolderRecord record, string? key);
}
