using BpClub.Testing;

namespace BpClub.Grains.Tests;

/// <summary>One cluster (one silo, the real clock, 14-day hold) shared by the classes of its collection; every test
/// uses fresh cards.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public BpClubTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await BpClubTestCluster.Start();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class RealClockCluster : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Cluster on the real clock";
}
