using BpClub.Testing;

namespace BpClub.Api.Tests;

/// <summary>One running service (cluster, database, front end) shared by a test class; tests use fresh cards and phones.</summary>
public sealed class AppFixture : IAsyncLifetime
{
    public BpClubApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await BpClubApp.Start();

    public async Task DisposeAsync() => await App.DisposeAsync();
}
