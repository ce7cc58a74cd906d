using BpClub.Testing;

namespace BpClub.Grains.Tests;

/// <summary>One cluster (one silo, 14-day hold) shared by a test class; every test uses fresh cards.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public BpClubTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await BpClubTestCluster.Start();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
