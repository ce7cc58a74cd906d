namespace BpClub.Cluster.Tests;

/// <summary>What happened during a fault test, on the run's clock, for the judgement and the figures.</summary>
public sealed class FaultRun
{
    /// <summary>Acknowledged purchases a second in the closed-loop burst before the faults.</summary>
    public double Capacity { get; set; }

    public int CapacityTills { get; set; }

    public TimeSpan CapacityMeasuredFor { get; set; }

    /// <summary>The fault load's rate: half the capacity, within the test's floor and cap.</summary>
    public double Rate { get; set; }

    public TimeSpan LoadStart { get; set; }

    public TimeSpan LoadStoppedAt { get; set; }

    /// <summary>The stretch before the first fault, and what the tills saw in it.</summary>
    public FaultWindow Baseline { get; set; } = null!;

    public List<FaultWindow> Windows { get; } = [];

    /// <summary>From the SIGKILL until the others marked the silo Dead in the membership table.</summary>
    public TimeSpan DeclaredDeadAfter { get; set; }

    public TimeSpan OutageFrom { get; set; }

    public TimeSpan OutageUntil { get; set; }

    /// <summary>When PostgreSQL accepted connections again (its start script returned).</summary>
    public TimeSpan PostgresBackAt { get; set; }

    /// <summary>From <see cref="PostgresBackAt"/> to the next acknowledged purchase.</summary>
    public TimeSpan FirstSuccessAfterPostgresBack { get; set; }

    /// <summary>Purchases sent while PostgreSQL was down: each must come back as a quick 503.</summary>
    public List<(string Outcome, TimeSpan Took)> Probes { get; } = [];

    public List<Receipt> ProbeReceipts { get; } = [];

    public FaultWindow Window(string name) => Windows.Single(w => w.Name == name);
}
