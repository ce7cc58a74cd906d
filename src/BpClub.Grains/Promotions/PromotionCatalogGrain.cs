using BpClub.Domain.Earning;
using BpClub.Domain.Programme;
using BpClub.Grains.Promotions.Storage;

namespace BpClub.Grains.Promotions;

/// <summary>
/// Operators' promotions. Every silo reads the table through a cache of a few seconds, so a
/// promotion reaches every till within that time of being saved.
/// </summary>
public sealed class PromotionCatalogGrain(PromotionStore store, ActivePromotions active, TimeProvider time,
    IOptions<ProgrammeRules> rules) : Grain, IPromotionCatalogGrain
{
    private readonly int[] _levels = rules.Value.Levels.Select(l => l.Level).ToArray();

    public async Task<Outcome<PromotionModel>> Save(PromotionModel promotion)
    {
        var errors = PromotionValidator.Validate(
            new Promotion(promotion.PromotionId, promotion.Name, promotion.StartsAt, promotion.EndsAt,
            promotion.StationIds?.ToHashSet(), promotion.ProductCodes?.ToHashSet(), promotion.Categories?.ToHashSet(),
            promotion.Multiplier, promotion.BonusPoints, promotion.Levels?.ToHashSet()), _levels);
        if (!errors.IsEmpty) return Outcome<PromotionModel>.Invalid(errors.ToDictionary());

        var created = await store.Save(promotion);
        active.Invalidate();
        return created ? Outcome<PromotionModel>.Done(promotion) : Outcome<PromotionModel>.Replayed(promotion);
    }

    public Task<IReadOnlyList<PromotionModel>> List() => store.List();

    public async Task<Outcome<PromotionModel>> End(string promotionId)
    {
        if (!await store.End(promotionId, time.GetUtcNow()))
            return Outcome<PromotionModel>.Fail(OutcomeStatus.NotFound, $"Unknown promotion {promotionId}.");
        active.Invalidate();
        return Outcome<PromotionModel>.Done((await store.List(promotionId))[0]);
    }
}
