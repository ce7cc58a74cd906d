using System.Globalization;
using System.Text;

namespace BpClub.Cluster.Tests;

/// <summary>
/// A fault's window, what the tills saw in it and the longest silence the test allows (none: reported only).
/// The longest wait of a single receipt is reported, not bounded: it adds the till's own 10 s timeout and
/// back-off to whatever the cluster did.
/// </summary>
public sealed record GapJudgement(FaultWindow Window, SuccessGap Gap, TimeSpan? SilenceBound)
{
    public bool SilenceMet => SilenceBound is not { } b || Gap.LongestSilence <= b;
}

/// <summary>Latencies of acknowledged purchases whose whole life lay outside every fault window.</summary>
public sealed record SteadyLatency(int Receipts, TimeSpan ReceiptP50, TimeSpan ReceiptP99, TimeSpan ReceiptMax,
    int Requests, TimeSpan RequestP99, string Slowest);

/// <summary>The fault test's figures as text (printed, and kept in .data/test-results/chaos-figures.txt).</summary>
public static class FaultFigures
{
    public static string Write(FaultRun run, Tills tills, LedgerCheck ledger, Releases released, BalanceCheck balances,
        ServerProcess terminated, List<(int Port, string Status)> membership, SuccessGap baseline,
        IReadOnlyList<GapJudgement> gaps, SteadyLatency steady)
    {
        // Figures read the same on every machine: a decimal point, not a comma.
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var answers = tills.Answers.ToList();
        var receipts = tills.Receipts.Count;
        var errors = answers.Where(a => a.Outcome is not ("201" or "200")).GroupBy(a => a.Outcome).OrderBy(g => g.Key)
            .Select(g => $"{g.Key} × {g.Count()}");
        var duringOutage = answers.Where(a => a.At >= run.OutageFrom && a.At <= run.OutageUntil)
            .GroupBy(a => a.Outcome).OrderBy(g => g.Key)
            .Select(g => $"{g.Key} × {g.Count()} (slowest {g.Max(a => a.Took).TotalSeconds:F1} s)");
        var s = new StringBuilder();
        void Line(string label, string value) => s.AppendLine(CultureInfo.InvariantCulture, $"{label,-28}{value}");

        s.AppendLine("==== BpClub fault test ====");
        Line("capacity (closed loop):", $"{run.Capacity:F0} acknowledged purchases/s "
            + $"({run.CapacityTills} tills for {run.CapacityMeasuredFor.TotalSeconds:F0} s; 3 silos, 2 front ends)");
        Line("fault load (open loop):",
            $"{run.Rate:F0}/s = {run.Rate / run.Capacity:P0} of capacity; {receipts} receipts "
            + $"over {(run.LoadStoppedAt - run.LoadStart).TotalSeconds:F0} s, {balances.Cards} cards, 4 stations");
        Line("requests sent:", $"{tills.Sent}");
        Line("acknowledged:", $"{tills.Receipts.Count(r => r.Acknowledged)} "
            + $"({answers.Count(a => a.Outcome == "200")} of them as a replay's 200)");
        Line("retried:", $"{tills.Sent - receipts} requests, for {tills.Receipts.Count(r => r.Attempts > 1)} receipts "
            + $"(most attempts {tills.Receipts.Max(r => r.Attempts)})");
        Line("errors by status:", $"{string.Join(", ", errors)}");
        Line("lost:", $"{ledger.Lost}");
        Line("duplicated:", $"{ledger.Duplicated}");
        Line("unacknowledged:", $"{ledger.Unacknowledged} (credited once: {ledger.UnacknowledgedCredited})");
        Line("ledger vs receipts:",
            $"credited but never sent {ledger.Unknown}; points differing from the acknowledgement "
            + $"{ledger.PointsMismatch}; cards with sequence gaps {ledger.CardsWithSequenceGaps}; "
            + $"purchase rows {ledger.PurchaseRows} / operations {ledger.PurchaseOperations}"
            + (ledger.OperationsWithoutPurchase is "" ? ""
                : $" (without a purchase: {ledger.OperationsWithoutPurchase})")
            + (ledger.OtherKinds is "" ? "" : $"; entries of other kinds: {ledger.OtherKinds}"));
        Line("failure detection:", $"{MembershipSettings.NumMissedProbesLimit} missed probes × probe timeout ≤ "
            + $"{MembershipSettings.MaxProbeTimeout.TotalSeconds:F0} s = "
            + $"{MembershipSettings.DetectionTime.TotalSeconds:F0} s "
            + $"({MembershipSettings.TypicalDetectionTime.TotalSeconds:F0} s at the initial "
            + $"{MembershipSettings.ProbeTimeout.TotalSeconds:F0} s); silo-1 was marked Dead "
            + $"{run.DeclaredDeadAfter.TotalSeconds:F1} s after its SIGKILL");
        Line("before the faults:", $"{run.Baseline.From.TotalSeconds:F0}–{run.Baseline.Until.TotalSeconds:F0} s: "
            + $"longest stretch without an acknowledgement {Ms(baseline.LongestSilence)}, "
            + $"longest wait of a receipt {Ms(baseline.LongestWait)}");
        s.AppendLine("success gaps after each fault (silence: no till got an acknowledgement; wait: one receipt's):");
        foreach (var g in gaps)
        {
            var w = g.Window;
            s.AppendLine(CultureInfo.InvariantCulture,
                $"  {w.Name,-16} {w.From.TotalSeconds,5:F1}–{w.Until.TotalSeconds,5:F1} s: "
                + $"first success after {Ms(g.Gap.FirstSuccess)}, "
                + $"longest silence {Ms(g.Gap.LongestSilence)}{Bound(g.SilenceBound, g.SilenceMet)}, "
                + $"longest wait of a receipt {Ms(g.Gap.LongestWait)}");
            if (g.Gap.LongestWait > TimeSpan.FromSeconds(1))
                s.AppendLine(CultureInfo.InvariantCulture, $"  {"",-16} slowest: {g.Gap.SlowestReceipt}");
        }
        Line("latency outside faults:", $"receipts (first send to acknowledgement) p50 {Ms(steady.ReceiptP50)}, "
            + $"p99 {Ms(steady.ReceiptP99)}, max {Ms(steady.ReceiptMax)} of {steady.Receipts}; "
            + $"single requests p99 {Ms(steady.RequestP99)} of {steady.Requests}");
        if (steady.ReceiptMax > TimeSpan.FromSeconds(1)) Line("", $"slowest: {steady.Slowest}");
        var probes = string.Join(", ", run.Probes.GroupBy(p => p.Outcome).Select(g => $"{g.Key} × {g.Count()}"));
        Line("PostgreSQL down:",
            $"{(run.OutageUntil - run.OutageFrom).TotalSeconds:F1} s from {run.OutageFrom.TotalSeconds:F0} s; "
            + $"probes {probes}, slowest {run.Probes.Max(p => p.Took).TotalSeconds:F2} s; first acknowledgement "
            + $"{Ms(run.FirstSuccessAfterPostgresBack)} after it accepted connections again");
        Line("  tills' answers meanwhile:", $"{string.Join(", ", duringOutage)}");
        Line("SIGTERM silo-2:", $"exit code {terminated.ExitCode} after {terminated.StopDuration.TotalSeconds:F1} s");
        Line("membership at the end:",
            $"{string.Join(", ", membership.GroupBy(m => m.Status).Select(g => $"{g.Key} × {g.Count()}"))}");
        Line("holds (ledger):",
            $"{released.Lots} lots, {released.Unreleased} without a release; releases with wrong points "
            + $"{released.WrongPoints}, twice {released.ReleasedTwice}, without a lot {released.WithoutLot}");
        Line("  by reminders:",
            $"{released.ByReminder} releases ({released.ByReminderAfterKill} due after the SIGKILL); "
            + $"lots only a reminder could release {released.ReminderOnlyLots}, released by one "
            + $"{released.ReminderOnlyByReminder}; latest {released.MaxLateness.TotalSeconds:F1} s after due "
            + $"(by a reminder {released.MaxLatenessByReminder.TotalSeconds:F1} s)");
        Line("balances (API vs ledger):", $"{balances.Cards - balances.Disagreeing} of {balances.Cards} agree "
            + $"(total differs {balances.TotalMismatched}, available differs {balances.AvailableMismatched}, "
            + $"unanswered {balances.Unanswered})"
            + $"{(balances.FirstMismatch is null ? "" : "; first " + balances.FirstMismatch)}");
        return s.ToString();
    }

    private static string Ms(TimeSpan t) =>
        t < TimeSpan.FromSeconds(1) ? $"{t.TotalMilliseconds:F0} ms" : $"{t.TotalSeconds:F1} s";

    private static string Bound(TimeSpan? bound, bool met) =>
        bound is { } b ? $" (≤ {Ms(b)}: {(met ? "met" : "NOT MET")})" : "";
}
