using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using BpClub.Abstractions;
using BpClub.Hosting;
using BpClub.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BpClub.Cluster.Tests;

/// <summary>A cluster of real processes in Production with mutual TLS: one silo, one front end, one card.</summary>
public sealed class TlsClusterFixture : IAsyncLifetime
{
    public LocalCluster Cluster { get; private set; } = null!;
    public ServerProcess Silo { get; private set; } = null!;
    public ServerProcess Front { get; private set; } = null!;
    public string StationKey { get; private set; } = null!;
    public string Card { get; } = Cards.NewNumber();
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Another CA, with a silo's and a front end's certificate that look right but are not the cluster's.
    /// </summary>
    public TestAuthority Stranger { get; } = TestAuthority.Create("stranger-ca");

    public async Task InitializeAsync()
    {
        Cluster = await LocalCluster.Start(new Dictionary<string, string>());
        Silo = Cluster.StartSilo();
        await LocalCluster.WaitReady(Silo, TimeSpan.FromSeconds(120));
        Front = Cluster.StartFront();
        await LocalCluster.WaitReady(Front, TimeSpan.FromSeconds(120));
        StationKey = (await Setup.Stations(Http, Front.Http, 1))["chaos-1"];
        await Setup.Issue(Http, [Front.Http], StationKey, [Card]);
    }

    /// <summary>The card's balance as the front end answers it.</summary>
    public async Task<long> Balance()
    {
        using var response = await Setup.Send(Http, () => Setup.Json(HttpMethod.Get,
            new Uri(Front.Http, $"api/pos/v1/cards/{Card}/balance"), StationKey, null), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var balance = await LocalCluster.Json<JsonElement>(response);
        return balance.GetProperty("total").GetInt64();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Cluster.DisposeAsync();
    }
}

/// <summary>
/// Orleans mutual TLS between real processes (issue 15, "Transport and the cluster"): a silo and a front end with
/// certificates of the cluster's CA serve a purchase; a connection to the gateway or the silo port without a
/// certificate, with one from another CA, with an expired one, or (on the silo port) with a front end's, is refused;
/// an Orleans client without the cluster's certificate reaches no grain; a second silo with the right certificate
/// joins, one with another CA's does not.
/// </summary>
public sealed class ClusterTlsTests(TlsClusterFixture fixture) : IClassFixture<TlsClusterFixture>
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_silo_and_a_front_end_with_the_cluster_CA_serve_a_purchase_over_mutual_TLS()
    {
        var before = await fixture.Balance();
        using var response = await Setup.Send(fixture.Http, () => Setup.Json(HttpMethod.Post,
            new Uri(fixture.Front.Http, "api/pos/v1/purchases"), fixture.StationKey, Purchase()),
            TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var earned = (await LocalCluster.Json<JsonElement>(response)).GetProperty("pointsEarned").GetInt64();
        Assert.True(earned > 0, $"the purchase earned {earned}");
        Assert.Equal(before + earned, await fixture.Balance());
    }

    public static TheoryData<string, string, bool> Peers => new()
    {
        // port, certificate, accepted
        { "gateway", "front end", true },
        { "gateway", "silo", true },
        { "gateway", "none", false },
        { "gateway", "another CA's front end", false },
        { "gateway", "another CA's silo", false },
        { "gateway", "expired front end", false },
        { "silo", "silo", true },
        { "silo", "front end", false },
        { "silo", "none", false },
        { "silo", "another CA's silo", false },
        { "silo", "self-signed silo", false },
    };

    [Theory]
    [MemberData(nameof(Peers))]
    public async Task Only_the_cluster_CAs_certificates_of_the_right_role_open_the_silos_ports(string port,
        string certificate, bool accepted)
    {
        var number = port == "gateway" ? fixture.Silo.GatewayPort : fixture.Silo.SiloPort;
        // An accepted connection stays open; a refused one is dropped at once (given 20 s on a busy machine).
        var refusal = await Handshake(number, Certificate(certificate),
            accepted ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(20));
        if (accepted) Assert.True(refusal is null, refusal);
        else Assert.True(refusal is not null, $"the {port} port kept a connection with {certificate} open");
    }

    [Theory]
    [InlineData("no TLS")]
    [InlineData("another CA's front end")]
    [InlineData("another CA's silo")]
    public async Task An_Orleans_client_without_the_clusters_certificate_reaches_no_grain(string who)
    {
        var before = await fixture.Balance();
        var files = who switch
        {
            "no TLS" => null,
            "another CA's front end" => fixture.Stranger.FrontEnd,
            _ => fixture.Stranger.Silo,
        };
        var minted = await TryMint(files);
        Assert.False(minted, $"a client with {who} recorded a purchase on the card directly");
        Assert.Equal(before, await fixture.Balance());
    }

    [Fact]
    public async Task An_Orleans_client_with_the_clusters_front_end_certificate_reaches_the_grains()
    {
        // The control of the test above: the same client, with the cluster's certificate, does reach the card.
        var before = await fixture.Balance();
        Assert.True(await TryMint(TestCertificates.Cluster.Value.FrontEnd), "the client reached no grain");
        Assert.True(await fixture.Balance() > before);
    }

    [Fact]
    public async Task A_second_silo_with_the_cluster_certificate_joins_and_one_with_another_CAs_does_not()
    {
        var second = fixture.Cluster.StartSilo();
        await LocalCluster.WaitReady(second, TimeSpan.FromSeconds(120));
        await Poll.Until(fixture.Cluster.Membership, rows => rows.Any(r => r.Port == second.SiloPort
            && r.Status == "Active"), TimeSpan.FromSeconds(60), "the second silo to be Active");

        var stranger = fixture.Cluster.StartSilo(TestCertificates.TlsEnvironment(fixture.Stranger.Silo));
        // It cannot reach the silos it must see before it becomes Active, and they do not let it in.
        await Poll.Until(async () => stranger.HasExited || (await fixture.Cluster.Membership()).Any(r
                => r.Port == stranger.SiloPort && r.Status == "Dead"), gone => gone, TimeSpan.FromSeconds(180),
            "the stranger silo to give up");
        var rows = await fixture.Cluster.Membership();
        Assert.DoesNotContain(rows, r => r.Port == stranger.SiloPort && r.Status == "Active");
        Assert.Contains(rows, r => r.Port == fixture.Silo.SiloPort && r.Status == "Active");
        Assert.Contains(rows, r => r.Port == second.SiloPort && r.Status == "Active");
        second.Terminate();
        await second.WaitForExit(TimeSpan.FromSeconds(60));
    }

    [Theory]
    [InlineData("BpClub.Silo")]
    [InlineData("BpClub.Api")]
    public async Task In_production_a_silo_or_a_front_end_without_TLS_refuses_to_start(string project)
    {
        var none = new Dictionary<string, string>
        {
            ["Orleans__Tls__CertificatePath"] = "", ["Orleans__Tls__KeyPath"] = "", ["Orleans__Tls__CaPath"] = "",
        };
        var process = project == "BpClub.Silo" ? fixture.Cluster.StartSilo(none) : fixture.Cluster.StartFront(none);
        Assert.True(await process.WaitForExit(TimeSpan.FromSeconds(120)), $"{project} runs without TLS");
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Production needs mutual TLS in the Orleans cluster", process.LogTail(200));
    }

    private object Purchase() => new
    {
        receiptId = "tls-" + Guid.NewGuid().ToString("N")[..12],
        cardNumber = fixture.Card,
        paymentMethod = "cash",
        lines = new[] { new { type = "fuel", productCode = "A95", litres = 20m, amount = 1100m } },
    };

    private X509Certificate2? Certificate(string name) => name switch
    {
        "none" => null,
        "front end" => TestCertificates.Cluster.Value.FrontEnd.Leaf,
        "silo" => TestCertificates.Cluster.Value.Silo.Leaf,
        "another CA's front end" => fixture.Stranger.FrontEnd.Leaf,
        "another CA's silo" => fixture.Stranger.Silo.Leaf,
        "expired front end" => TestCertificates.Cluster.Value.Issue(TestAuthority.FrontEndName, server: false,
            from: DateTimeOffset.UtcNow.AddDays(-30), lifetime: TimeSpan.FromDays(1)).Leaf,
        "self-signed silo" => SelfSigned(TestAuthority.SiloName),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static X509Certificate2 SelfSigned(string name)
    {
        var files = TestCertificates.Make(name);
        return X509Certificate2.CreateFromPemFile(files.Certificate, files.Key);
    }

    /// <summary>
    /// A TLS connection to the port as a client with <paramref name="certificate"/>: null when the silo kept it open
    /// for <paramref name="quiet"/> after the handshake, or sent Orleans bytes, else how it ended. The silo may judge
    /// the client's certificate after the client's side of the handshake has completed, and then drops the
    /// connection: so a refusal shows as a failed handshake or as the connection closed.
    /// </summary>
    private static async Task<string?> Handshake(int port, X509Certificate2? certificate, TimeSpan quiet)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        using var deadline = new CancellationTokenSource(HandshakeTimeout);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = TestAuthority.SiloName,
                ClientCertificates = certificate is null ? null : [certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate!,
                // The test does not judge the silo; the silo judges the test.
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }, deadline.Token);
            using var silence = new CancellationTokenSource(quiet);
            // A silo port greets a silo with its Orleans preamble; a gateway waits for the client's.
            var read = await tls.ReadAsync(new byte[64], silence.Token);
            return read > 0 ? null : "the silo closed the connection after the handshake";
        }
        catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    /// <summary>
    /// An Orleans client in this process, as any pod of the namespace could run one, with <paramref name="files"/>
    /// (null: no TLS), recording a purchase on the card straight at its grain. True when the grain took it.
    /// </summary>
    private async Task<bool> TryMint(TlsFiles? files)
    {
        var settings = new Dictionary<string, string?>
        {
            [BpClubPostgres.ConnectionStringKey] = fixture.Cluster.ConnectionString,
            ["Cluster:ClusterId"] = fixture.Cluster.ClusterId,
            ["Cluster:ServiceId"] = fixture.Cluster.ServiceId,
        };
        if (files is not null)
            foreach (var (key, value) in TestCertificates.Settings(files)) settings[key] = value;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Development, DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.UseOrleansClient(client => client.AddBpClubCluster(builder.Configuration)
            .Configure<Orleans.Configuration.ClientMessagingOptions>(
                o => o.ResponseTimeout = TimeSpan.FromSeconds(10)));
        using var host = builder.Build();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await host.StartAsync(deadline.Token);
            var card = host.Services.GetRequiredService<IClusterClient>().GetGrain<ICardGrain>(fixture.Card);
            var outcome = await card.Accrue(Cards.Fuel("mint-" + Guid.NewGuid().ToString("N")[..12], 500m,
                station: "chaos-1"), deadline.Token);
            return outcome.Status == OutcomeStatus.Done;
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            return false;
        }
        finally
        {
            try { await host.StopAsync(CancellationToken.None); } catch (Exception) { /* never connected */ }
        }
    }
}
