using System.Security.Cryptography.X509Certificates;
using BpClub.Hosting;
using BpClub.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BpClub.Cluster.Tests;

/// <summary>
/// Orleans:Tls without processes: Production refuses to start a silo or a client without it, a half-set or broken
/// section is refused everywhere, and the rules a peer's certificate is judged by (<see cref="ClusterTls"/>).
/// </summary>
public sealed class ClusterTlsOptionsTests
{
    private static readonly TestAuthority Authority = TestCertificates.Cluster.Value;

    [Theory]
    [InlineData("silo")]
    [InlineData("client")]
    public async Task Production_without_certificates_refuses_to_start(string side)
    {
        using var host = Build(side, Environments.Production, new Dictionary<string, string?>());
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Production needs mutual TLS", refused.Message);
        Assert.Contains("Orleans:Tls:CertificatePath", refused.Message);
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("client")]
    public void Development_runs_without_TLS_unless_configured(string side)
    {
        using var host = Build(side, Environments.Development, new Dictionary<string, string?>());
        Assert.False(host.Services.GetRequiredService<IOptions<ClusterTlsOptions>>().Value.Configured);
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("client")]
    public void Production_with_the_clusters_certificates_is_valid(string side)
    {
        using var host = Build(side, Environments.Production, TestCertificates.SiloTlsSettings());
        Assert.True(host.Services.GetRequiredService<IOptions<ClusterTlsOptions>>().Value.Configured);
        Assert.Equal(TestAuthority.SiloName, host.Services.GetRequiredService<ClusterTls>().Certificate
            .GetNameInfo(X509NameType.SimpleName, false));
    }

    public static TheoryData<string, string, string> Broken => new()
    {
        { "Orleans:Tls:KeyPath", "", "KeyPath is not set" },
        { "Orleans:Tls:CaPath", "/nonexistent/ca.crt", "no file at /nonexistent/ca.crt" },
        { "Orleans:Tls:FrontEndName", TestAuthority.SiloName, "SiloName and FrontEndName must differ" },
        { "Orleans:Tls:HandshakeTimeout", "00:00:00", "HandshakeTimeout" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_broken_section_is_refused_in_any_environment(string key, string value, string message)
    {
        var settings = TestCertificates.SiloTlsSettings();
        settings[key] = value;
        using var host = Build("client", Environments.Development, settings);
        var refused = Assert.Throws<OptionsValidationException>(() =>
            host.Services.GetRequiredService<IOptions<ClusterTlsOptions>>().Value);
        Assert.Contains(message, refused.Message);
    }

    [Fact]
    public void A_certificate_from_another_CA_than_CaPath_is_refused_at_start()
    {
        var settings = TestCertificates.SiloTlsSettings();
        settings["Orleans:Tls:CaPath"] = TestAuthority.Create("other-ca").Silo.Authority;
        using var host = Build("silo", Environments.Production, settings);
        var refused = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<ClusterTls>());
        Assert.Contains("not usable with the CA of CaPath", refused.Message);
    }

    [Fact]
    public void Peers_are_judged_by_the_clusters_CA_their_use_their_role_and_their_dates()
    {
        using var host = Build("silo", Environments.Production, TestCertificates.SiloTlsSettings());
        var tls = host.Services.GetRequiredService<ClusterTls>();
        var client = new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2");
        var server = new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1");
        string[] silo = [TestAuthority.SiloName];
        var stranger = TestAuthority.Create("stranger-ca");

        Assert.Null(tls.Check(Authority.Silo.Leaf, null, client, silo));
        Assert.Null(tls.Check(Authority.Silo.Leaf, null, server, silo));
        Assert.Null(tls.Check(Authority.FrontEnd.Leaf, null, client, [TestAuthority.FrontEndName]));
        // A front end's certificate is neither a silo's nor one a server may present.
        Assert.Contains("names none of", tls.Check(Authority.FrontEnd.Leaf, null, client, silo));
        Assert.NotNull(tls.Check(Authority.FrontEnd.Leaf, null, server, [TestAuthority.FrontEndName]));
        // Another CA's, however well named, and a self-signed one.
        Assert.NotNull(tls.Check(stranger.Silo.Leaf, null, client, silo));
        var self = TestCertificates.Make(TestAuthority.SiloName);
        Assert.NotNull(tls.Check(X509Certificate2.CreateFromPemFile(self.Certificate, self.Key), null, client, silo));
        // Expired, and not valid yet.
        Assert.Contains("NotTimeValid", tls.Check(Authority.Issue(TestAuthority.SiloName, server: true,
            from: DateTimeOffset.UtcNow.AddDays(-30), lifetime: TimeSpan.FromDays(1)).Leaf, null, client, silo));
        Assert.Contains("NotTimeValid", tls.Check(Authority.Issue(TestAuthority.SiloName, server: true,
            from: DateTimeOffset.UtcNow.AddDays(5), lifetime: TimeSpan.FromDays(10)).Leaf, null, client, silo));
    }

    private static IHost Build(string side, string environment, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = environment, DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Nothing listens there: validation happens before any connection.
            [BpClubPostgres.ConnectionStringKey] = "Host=127.0.0.1;Port=9;Database=none;Username=none",
            ["Cluster:Kubernetes"] = "false",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        if (side == "silo") builder.UseOrleans(silo => silo.AddBpClubCluster(builder.Configuration));
        else builder.UseOrleansClient(client => client.AddBpClubCluster(builder.Configuration));
        return builder.Build();
    }
}
