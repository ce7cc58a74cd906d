using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using BpClub.Api.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using Services = Microsoft.Extensions.DependencyInjection.ServiceCollection;

namespace BpClub.Api.Tests;

/// <summary>Two front ends (A and B) on one cluster and database, with the token-signing keys in the database and
/// the Data Protection key ring encrypted with a certificate; front end C on the same database re-reads keys only
/// hourly, so it refuses any rotation younger than that.</summary>
public sealed class KeyRingFixture : IAsyncLifetime
{
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    public BpClubApp A { get; private set; } = null!;
    public BpClubApp B { get; private set; } = null!;
    public BpClubApp C { get; private set; } = null!;

    private static Dictionary<string, string?> Settings(TimeSpan refresh) =>
        new(TestCertificates.DataProtectionSettings())
        {
            ["Cabinet:TokenKeyRefresh"] = refresh.ToString(),
        };

    public async Task InitializeAsync()
    {
        A = await BpClubApp.Start(
            siloSettings: new Dictionary<string, string?> { ["Cabinet:CodeResendInterval"] = "00:00:00" },
            apiSettings: Settings(Refresh));
        B = await BpClubApp.StartFrontEnd(A, Settings(Refresh));
        C = await BpClubApp.StartFrontEnd(A, Settings(TimeSpan.FromHours(1)));
    }

    public async Task DisposeAsync()
    {
        await C.DisposeAsync();
        await B.DisposeAsync();
        await A.DisposeAsync();
    }
}

/// <summary>
/// Token-signing key rotation and the shared Data Protection key ring. Who could abuse them: someone holding an old
/// key (it stops working after the second rotation, and after the overlap anyway), someone naming a key id of their
/// own (refused whatever the signature), someone reading the database (no usable key there).
/// </summary>
public sealed class KeyRingTests(KeyRingFixture fixture) : IClassFixture<KeyRingFixture>
{
    private readonly BpClubApp _a = fixture.A;
    private readonly BpClubApp _b = fixture.B;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>Rotates on <paramref name="app"/>, waiting out the refusals of a rotation too soon after another
    /// (another test's); returns the answer.</summary>
    private static async Task<JsonElement> Rotate(BpClubApp app)
    {
        var response = await Poll.Until(() => app.Operator().PostAsync("/api/admin/v1/token-keys/rotation", null),
            r => r.StatusCode != HttpStatusCode.TooManyRequests, Deadline, "a rotation to be allowed");
        return await response.Expect(HttpStatusCode.OK);
    }

    private static async Task<HttpStatusCode> Me(BpClubApp app, string token) =>
        (await app.Client(bearer: token).GetAsync("/api/cabinet/v1/me")).StatusCode;

    private static string Kid(string token) => new JsonWebToken(token).Kid;

    [Fact]
    public async Task A_token_signed_before_a_rotation_works_after_it_and_no_longer_after_a_second()
    {
        var member = await _a.NewMember(await _a.NewStationKey());
        var before = member.Token;
        var first = await Rotate(_a);
        Assert.Equal(Kid(before), first.GetProperty("previousKeyId").GetString());
        Assert.NotEqual(Kid(before), first.GetProperty("currentKeyId").GetString());
        Assert.Equal(HttpStatusCode.OK, await Me(_a, before));
        Assert.Equal(HttpStatusCode.OK, await Me(_b, before));
        var between = await _a.SignIn(member.Phone, member.Password);
        Assert.Equal(first.GetProperty("currentKeyId").GetString(), Kid(between));

        await Rotate(_a);
        // Its session is still open: only its key is gone.
        Assert.Equal(HttpStatusCode.Unauthorized, await Me(_a, before));
        await Poll.Until(() => Me(_b, before), s => s == HttpStatusCode.Unauthorized, Deadline,
            "front end B to refuse the retired key");
        Assert.Equal(HttpStatusCode.OK, await Me(_a, between));
        Assert.Equal(HttpStatusCode.OK, await Me(_b, between));
    }

    [Fact]
    public async Task Two_front_ends_agree_on_the_keys()
    {
        var member = await _a.NewMember(await _a.NewStationKey());
        var rotated = await Rotate(_a);
        var current = rotated.GetProperty("currentKeyId").GetString();
        var everyReplicaBy = rotated.GetProperty("everyReplicaBy").GetDateTimeOffset();
        Assert.True(everyReplicaBy <= DateTimeOffset.UtcNow + KeyRingFixture.Refresh + TimeSpan.FromSeconds(5));

        // A's new key is accepted by B at once: B re-reads the keys when a token names one it does not know.
        var fromA = await _a.SignIn(member.Phone, member.Password);
        Assert.Equal(current, Kid(fromA));
        Assert.Equal(HttpStatusCode.OK, await Me(_b, fromA));
        // B signs with it within the refresh interval, and A accepts what B signs.
        var fromB = await Poll.Until(() => _b.SignIn(member.Phone, member.Password), t => Kid(t) == current,
            KeyRingFixture.Refresh + TimeSpan.FromSeconds(10), "front end B to sign with the new key");
        Assert.Equal(HttpStatusCode.OK, await Me(_a, fromB));
    }

    [Fact]
    public async Task A_forged_key_id_fails()
    {
        var member = await _a.NewMember(await _a.NewStationKey());
        var genuine = new JsonWebToken(member.Token);
        Assert.Equal(HttpStatusCode.OK, await Me(_a, member.Token));

        // The attacker's own key under the genuine kid.
        var ownKey = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "bpclub", Audience = "bpclub-cabinet",
            Subject = new ClaimsIdentity([new Claim("sub", member.Card),
                new Claim("sid", genuine.GetClaim("sid").Value)]),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))
                { KeyId = genuine.Kid }, SecurityAlgorithms.HmacSha256),
        });
        Assert.Equal(HttpStatusCode.Unauthorized, await Me(_a, ownKey));
        // The genuine token with another kid in its header, with none, with the old tokens' "legacy".
        foreach (var kid in new string?[] { "0123456789abcdef", "../../etc/passwd", null, "legacy", "cfg-x" })
        {
            var header = JsonNode.Parse(Base64UrlEncoder.Decode(genuine.EncodedHeader))!.AsObject();
            if (kid is null) header.Remove("kid");
            else header["kid"] = kid;
            var forged = $"{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(header.ToJsonString()))}."
                + $"{genuine.EncodedPayload}.{genuine.EncodedSignature}";
            Assert.Equal(HttpStatusCode.Unauthorized, await Me(_a, forged));
            Assert.Equal(HttpStatusCode.Unauthorized, await Me(_b, forged));
        }
    }

    [Fact]
    public async Task A_database_reader_finds_no_usable_key()
    {
        var member = await _a.NewMember(await _a.NewStationKey());
        var kid = Kid(member.Token);
        byte[] stored;
        await using (var command = _a.Cluster.Database.CreateCommand(
            "select protected_key from token_signing_keys where kid = @kid"))
        {
            command.Parameters.AddWithValue("kid", kid);
            stored = (byte[])(await command.ExecuteScalarAsync())!;
        }
        // The row holds the key protected by Data Protection: signing with those bytes makes no genuine token, while
        // the front end's own protector recovers the key that signed the member's token.
        Assert.Equal(HttpStatusCode.Unauthorized, await Me(_a, Resigned(member.Token, stored)));
        var key = _a.ApiServices.GetRequiredService<IDataProtectionProvider>()
            .CreateProtector("BpClub.TokenSigningKeys.v1").Unprotect(stored);
        Assert.Equal(HttpStatusCode.OK, await Me(_a, Resigned(member.Token, key)));

        // The key ring's keys are encrypted with the certificate: no key material in clear.
        var rows = new List<string>();
        await using (var command = _a.Cluster.Database.CreateCommand("select xml from data_protection_keys"))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        Assert.NotEmpty(rows);
        Assert.All(rows, xml =>
        {
            Assert.Contains("EncryptedData", xml);
            Assert.DoesNotContain("<value>", xml);
        });
        // Retired keys are wiped.
        await Rotate(_a);
        await Rotate(_a);
        await using (var command = _a.Cluster.Database.CreateCommand(
            "select protected_key is null, retired_at is not null from token_signing_keys where kid = @kid"))
        {
            command.Parameters.AddWithValue("kid", kid);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.True(reader.GetBoolean(0));
            Assert.True(reader.GetBoolean(1));
        }
    }

    /// <summary>The token's header and payload signed again with <paramref name="key"/> (HMAC-SHA256).</summary>
    private static string Resigned(string token, byte[] key)
    {
        var jwt = new JsonWebToken(token);
        var signed = Encoding.ASCII.GetBytes(jwt.EncodedHeader + "." + jwt.EncodedPayload);
        var signature = System.Security.Cryptography.HMACSHA256.HashData(key, signed);
        return $"{jwt.EncodedHeader}.{jwt.EncodedPayload}.{Base64UrlEncoder.Encode(signature)}";
    }

    [Fact]
    public async Task A_rotation_too_soon_after_the_last_is_refused_and_every_rotation_is_audited()
    {
        await Rotate(_a);
        // C re-reads keys hourly, so it will not retire a key younger than that: a replica might still sign with it.
        var refused = await fixture.C.Operator().PostAsync("/api/admin/v1/token-keys/rotation", null);
        await refused.ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(30));

        var lines = (await _a.Operator().GetAsync("/api/admin/v1/audit?kind=tokenKeys.rotated&limit=100")
            .Expect(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(lines, l => l.GetProperty("status").GetInt32() == 200
            && l.GetProperty("actor").GetString() == "operator:" + BpClubApp.OperatorId(BpClubApp.OperatorKey));
        Assert.Contains(lines, l => l.GetProperty("status").GetInt32() == 429);
    }

    [Fact]
    public async Task What_one_front_end_protects_another_unprotects()
    {
        var payload = _a.ApiServices.GetRequiredService<IDataProtectionProvider>().CreateProtector("test")
            .Protect("a payload");
        Assert.Equal("a payload",
            _b.ApiServices.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(payload));

        // The web cabinet's anti-forgery token from A is good at B, with the session cookie from A.
        var member = await _a.NewMember(await _a.NewStationKey());
        var signedIn = await _a.Client().PostAsJsonAsync("/api/cabinet/v1/sessions",
            new { phone = member.Phone, password = member.Password });
        var cookie = signedIn.Headers.GetValues("Set-Cookie")
            .Single(c => c.StartsWith("bpclub_session=", StringComparison.Ordinal)).Split(';')[0];
        var web = _a.Client();
        web.DefaultRequestHeaders.Add("Cookie", cookie);
        var antiforgery = await web.GetAsync("/api/cabinet/v1/antiforgery");
        var token = (await antiforgery.Expect(HttpStatusCode.OK)).GetProperty("token").GetString();
        var antiforgeryCookie = antiforgery.Headers.GetValues("Set-Cookie")
            .Single(c => c.StartsWith("bpclub_antiforgery=", StringComparison.Ordinal)).Split(';')[0];
        var change = new HttpRequestMessage(HttpMethod.Put, "/api/cabinet/v1/spending")
        {
            Content = JsonContent.Create(new { enabled = true, password = member.Password }),
        };
        change.Headers.Add("Cookie", $"{cookie}; {antiforgeryCookie}");
        change.Headers.Add("X-CSRF-TOKEN", token);
        Assert.True((await (await _b.Client().SendAsync(change)).Expect(HttpStatusCode.OK)).GetProperty("enabled")
            .GetBoolean());
    }
}

/// <summary>The pieces without a running service: the Production rule, the ring in clear without a certificate, the
/// previous key's overlap, configured keys.</summary>
public sealed class KeyRingRulesTests
{
    private static IHostEnvironment Environment(string name) =>
        new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = name };

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    [Fact]
    public void Production_refuses_to_start_without_a_certificate_for_the_key_ring()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => new Services()
            .AddBpClubDataProtection(Configuration([]), Environment("Production")));
        Assert.Contains("DataProtection:CertificatePath", refused.Message);
        // A certificate without its key is refused anywhere.
        var (certificate, _) = TestCertificates.Make("bpclub-dp-half");
        Assert.Throws<InvalidOperationException>(() => new Services().AddBpClubDataProtection(
            Configuration(new() { ["DataProtection:CertificatePath"] = certificate }), Environment("Development")));
        new Services().AddBpClubDataProtection(Configuration(TestCertificates.DataProtectionSettings()),
            Environment("Production"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_key_ring_is_in_clear_only_without_a_certificate(bool encrypted)
    {
        var connectionString = await TestPostgres.CreateDatabase("bpclub_dp");
        await using var database = NpgsqlDataSource.Create(connectionString);
        await new BpClub.Grains.Storage.SchemaMigrator(database,
            NullLogger<BpClub.Grains.Storage.SchemaMigrator>.Instance).MigrateAsync();
        var services = new Services().AddLogging().AddSingleton(TimeProvider.System).AddSingleton(database);
        services.AddBpClubDataProtection(Configuration(encrypted ? TestCertificates.DataProtectionSettings() : []),
            Environment("Development"));
        await using var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>()) await hosted.StartAsync(CancellationToken.None);
        await using var command = database.CreateCommand("select string_agg(xml, '') from data_protection_keys");
        var xml = (string)(await command.ExecuteScalarAsync())!;
        Assert.Equal(!encrypted, xml.Contains("<value>", StringComparison.Ordinal));
        Assert.Equal(encrypted, xml.Contains("EncryptedData", StringComparison.Ordinal));
    }

    [Fact]
    public void The_previous_key_is_accepted_only_during_its_overlap()
    {
        var now = DateTimeOffset.UtcNow;
        var keys = new TokenKeySet(new SigningKey("new", new byte[32]), now, new SigningKey("old", new byte[32]),
            now.AddDays(30));
        Assert.Equal("new", keys.Find("new", now.AddDays(40))?.Kid);
        Assert.Equal("old", keys.Find("old", now.AddDays(29))?.Kid);
        Assert.Null(keys.Find("old", now.AddDays(30)));
        Assert.Null(keys.Find("other", now));
        Assert.Null(keys.Find(null, now));
    }

    [Fact]
    public async Task Configured_keys_sign_with_the_current_and_accept_the_previous_and_are_not_rotated_here()
    {
        var current = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var previous = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var options = Options.Create(new TokenKeyOptions
        {
            TokenSigningKey = Convert.ToBase64String(current),
            PreviousTokenSigningKey = Convert.ToBase64String(previous),
        });
        Assert.Null(options.Value.Problem());
        await using var database = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1");
        var keys = new TokenSigningKeys(options, database, new EphemeralDataProtectionProvider(), TimeProvider.System,
            NullLogger<TokenSigningKeys>.Instance);
        var set = await keys.Current();
        Assert.Equal(TokenSigningKeys.ConfiguredKeyId(current), set.Current.Kid);
        Assert.Equal(previous, set.Find(TokenSigningKeys.ConfiguredKeyId(previous), DateTimeOffset.UtcNow)?.Bytes);
        Assert.IsType<RotationResult.Configured>(await keys.Rotate("operator:test"));
        Assert.NotNull(new TokenKeyOptions { TokenSigningKey = Convert.ToBase64String(new byte[16]) }.Problem());
        Assert.NotNull(new TokenKeyOptions { PreviousTokenSigningKey = Convert.ToBase64String(previous) }.Problem());
    }
}
