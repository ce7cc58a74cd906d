namespace BpClub.Api.Tests;

/// <summary>A front end on real loopback ports, so that its public and management listeners are real.</summary>
public sealed class KestrelFixture : IAsyncLifetime
{
    public BpClubApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await BpClubApp.Start(kestrel: true);

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class ManagementPortTests(KestrelFixture fixture) : IClassFixture<KestrelFixture>
{
    private readonly BpClubApp _app = fixture.App;

    [Fact]
    public async Task Metrics_are_served_on_the_management_port_and_not_on_the_public_one()
    {
        Assert.NotEqual(_app.BaseAddress.Port, _app.ManagementPort);
        using var management = _app.ManagementClient();
        var metrics = await management.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("http_server_request_duration_seconds", await metrics.Content.ReadAsStringAsync());

        using var publicPort = _app.Client();
        await publicPort.GetAsync("/metrics").ExpectProblem(HttpStatusCode.NotFound);
        // The public API keeps working on its own port.
        Assert.Equal(HttpStatusCode.OK, (await publicPort.GetAsync("/health/ready")).StatusCode);
    }
}
