namespace BpClub.Cluster.Tests;

/// <summary>A stretch of the run that a fault disturbs: from its instant until the cluster should have
/// settled.</summary>
public sealed record FaultWindow(string Name, TimeSpan From, TimeSpan Until)
{
    public bool Overlaps(TimeSpan from, TimeSpan until) => from < Until && until > From;
}

/// <summary>
/// What the tills saw in a window. <see cref="FirstSuccess"/>: from its start to the next acknowledged
/// purchase (any till). <see cref="LongestSilence"/>: the longest stretch without any acknowledgement that
/// began in the window (the stretch from its start included). <see cref="LongestWait"/>: the longest a single
/// receipt waited, from the window's start or its first sending, whichever is later, to its acknowledgement:
/// what one customer at one till saw. It counts the receipts sent in the window and those sent shortly
/// before it (in the steady stretch between two windows) and still unanswered at its start; a receipt
/// held up since an earlier fault is that fault's.
/// </summary>
public sealed record SuccessGap(TimeSpan FirstSuccess, TimeSpan LongestSilence, TimeSpan LongestWait,
    string SlowestReceipt);

public static class SuccessGaps
{
    /// <param name="successes">When acknowledgements came, in order.</param>
    /// <param name="sentSince">The earliest first sending of a receipt that counts.</param>
    /// <param name="end">When the load ended: a silence or a wait not over by then lasts until then.</param>
    public static SuccessGap In(TimeSpan from, TimeSpan until, IReadOnlyList<TimeSpan> successes,
        IEnumerable<Receipt> receipts, TimeSpan sentSince, TimeSpan end)
    {
        var first = successes.FirstOrDefault(s => s >= from, end) - from;
        var silence = TimeSpan.Zero;
        var previous = from;
        foreach (var at in successes.Where(s => s >= from).Append(end))
        {
            if (at - previous > silence) silence = at - previous;
            previous = at;
            if (at >= until) break;
        }
        var wait = TimeSpan.Zero;
        var slowest = "none";
        var counted = receipts.Where(r => r.Attempts > 0 && r.FirstSentAt >= sentSince && r.FirstSentAt < until);
        foreach (var r in counted.Where(r => (r.AcknowledgedAt ?? end) > from))
        {
            var waited = (r.AcknowledgedAt ?? end) - (r.FirstSentAt > from ? r.FirstSentAt : from);
            if (waited <= wait) continue;
            wait = waited;
            slowest = $"{r.Id} (card {r.Card}, sent at {r.FirstSentAt.TotalSeconds:F1} s, {r.Attempts} attempts)";
        }
        return new SuccessGap(first, silence, wait, slowest);
    }

    /// <summary>
    /// The same for a stretch without faults, counting only what began and ended inside it (so that the
    /// first fault after it does not leak in): the normal stretch between acknowledgements, the normal wait.
    /// </summary>
    public static SuccessGap Steady(TimeSpan from, TimeSpan until, IReadOnlyList<TimeSpan> successes,
        IEnumerable<Receipt> receipts)
    {
        var inside = successes.Where(s => s >= from && s <= until).ToList();
        var silence = inside.Zip(inside.Skip(1), (a, b) => b - a).DefaultIfEmpty(until - from).Max();
        var slowest = receipts.Where(r => r.Attempts > 0 && r.FirstSentAt >= from && r.AcknowledgedAt <= until)
            .MaxBy(r => r.AcknowledgedAt!.Value - r.FirstSentAt);
        return new SuccessGap(inside.Count > 0 ? inside[0] - from : until - from, silence,
            slowest is null ? until - from : slowest.AcknowledgedAt!.Value - slowest.FirstSentAt,
            slowest is null ? "none" : $"{slowest.Id} (card {slowest.Card}, {slowest.Attempts} attempts)");
    }

    /// <summary>The <paramref name="p"/>-th percentile (0..100) by nearest rank; zero when there is nothing.</summary>
    public static TimeSpan Percentile(IReadOnlyList<TimeSpan> sorted, double p) =>
        sorted.Count == 0 ? TimeSpan.Zero
            : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
