using BpClub.Domain.Programme;
using BpClub.Domain.Units;

namespace BpClub.Domain.Earning;

/// <summary>What one receipt line earned, kept unrounded so a later partial refund can reverse it exactly.</summary>
public sealed record LineEarning(decimal BasePoints, decimal PaymentCardPoints, decimal PromotionPoints,
    string? PromotionId)
{
    public decimal Total => BasePoints + PaymentCardPoints + PromotionPoints;
}

public sealed record EarningPart(string Reason, Points Points);

public sealed record PurchaseEarning(IReadOnlyList<LineEarning> Lines, Points Total,
    IReadOnlyList<EarningPart> Breakdown);

/// <summary>The earning rules of docs/rules.md: fuel by level, shop goods, payment-card bonus, promotions.</summary>
public sealed class EarningCalculator(ProgrammeRules rules)
{
    public PurchaseEarning Rate(Purchase purchase, LevelRule level, IEnumerable<Promotion> promotions)
    {
        var active = promotions.Where(p => p.IsActiveAt(purchase.OccurredAt)).ToList();
        var lines = new List<LineEarning>(purchase.Lines.Count);
        foreach (var line in purchase.Lines)
        {
            var basePoints = line.Type == LineType.Fuel
                ? line.Litres.Value * level.PointsPerLitre
                : line.Amount.Uah / rules.ShopUahPerPoint;
            var cardPoints = line.Type == LineType.Fuel && purchase.PaymentMethod == PaymentMethod.BpClubCard
                ? line.Litres.Value * rules.PaymentCardPointsPerLitre
                : 0m;

            // The best matching promotion per line applies, not all of them.
            Promotion? best = null;
            var bestExtra = 0m;
            foreach (var promotion in active)
            {
                if (!promotion.Matches(line, purchase.StationId, purchase.OccurredAt, level.Level)) continue;
                var extra = promotion.ExtraPoints(basePoints);
                if (extra > bestExtra) (best, bestExtra) = (promotion, extra);
            }
            lines.Add(new LineEarning(basePoints, cardPoints, bestExtra, best?.Id));
        }

        var total = Points.RoundDown(lines.Sum(l => l.Total));
        return new PurchaseEarning(lines, total, Breakdown(purchase, lines, total));
    }

    public Points Rate(PartnerPurchase purchase) => Points.RoundDown(purchase.Amount.Uah * purchase.PointsPerUah);

    /// <summary>
    /// Points to take back when the given lines are returned: what the receipt earned minus what
    /// the lines that remain would earn, both rounded once — so refunding every line, in any
    /// number of steps, takes back exactly what was earned.
    /// </summary>
    public static Points Reversal(IReadOnlyList<LineEarning> lines, IReadOnlySet<int> refundedBefore,
        IReadOnlySet<int> refundedNow)
    {
        decimal Remaining(Func<int, bool> gone) => lines.Where((_, i) => !gone(i)).Sum(l => l.Total);
        var before = Points.RoundDown(Remaining(refundedBefore.Contains));
        var after = Points.RoundDown(Remaining(i => refundedBefore.Contains(i) || refundedNow.Contains(i)));
        return before - after;
    }

    private static List<EarningPart> Breakdown(Purchase purchase, List<LineEarning> lines, Points total)
    {
        var parts = new List<(string Reason, decimal Points)>();
        void Add(string reason, decimal points)
        {
            if (points <= 0m) return;
            var i = parts.FindIndex(p => p.Reason == reason);
            if (i < 0) parts.Add((reason, points));
            else parts[i] = (reason, parts[i].Points + points);
        }
        for (var i = 0; i < lines.Count; i++)
        {
            Add(purchase.Lines[i].Type == LineType.Fuel ? "fuel" : "shop", lines[i].BasePoints);
            Add("bpClubCard", lines[i].PaymentCardPoints);
            if (lines[i].PromotionId is { } id) Add($"promotion:{id}", lines[i].PromotionPoints);
        }

        // Largest remainder: whole points per reason that add up to the receipt's rounded total.
        var floors = parts.Select(p
            => (p.Reason, Whole: decimal.Floor(p.Points), Fraction: p.Points - decimal.Floor(p.Points))).ToList();
        var missing = total.Value - (long)floors.Sum(f => f.Whole);
        var result = floors.Select(f => (f.Reason, Points: (long)f.Whole)).ToList();
        foreach (var index in floors.Select((f, i) => (Remainder: f.Fraction, Index: i))
            .OrderByDescending(x => x.Remainder).Select(x => x.Index).Take((int)Math.Max(0, missing)))
            result[index] = (result[index].Reason, result[index].Points + 1);
        return result.Where(r => r.Points > 0).Select(r => new EarningPart(r.Reason, new Points(r.Points))).ToList();
    }
}
