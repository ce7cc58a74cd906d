using BpClub.Domain.Earning;

namespace BpClub.Grains.Cards;

/// <summary>The wire views of a card's account.</summary>
internal static class CardViews
{
    public static CardSummary Summary(string card, CardAccount account, DateTimeOffset now) => new(
        card,
        account.Status.ToString().ToLowerInvariant(),
        account.SpendingEnabled,
        ToModel(account.BalanceAt(now)),
        ToModel(account.TierAt(now)),
        account.IssuedAt,
        account.TerminatedAt,
        ReplacedBy: account.ReplacedBy);

    public static BalanceModel ToModel(Balance b) => new(b.Available, b.Total, b.OnHold,
        b.NextRelease is { } next ? new NextReleaseModel(next.Points, next.At) : null, b.AsOf,
        b.Expiring is { } expiring ? new ExpiringModel(expiring.Points, expiring.On) : null);

    public static IReadOnlyList<BreakdownItem> ToModel(IEnumerable<EarningPart> breakdown) =>
        breakdown.Select(b => new BreakdownItem(b.Reason, b.Points)).ToList();

    public static TierModel ToModel(TierStatus t) =>
        new(t.Level, t.Name, t.QualifyingLitres, t.NextLevel, t.LitresToNextLevel, t.PeriodEndsAt,
            t.LitresToKeepLevel, t.LevelNextMonth);
}
