using System.Buffers.Binary;
using BpClub.Abstractions;
using BpClub.Domain.Cards;
using BpClub.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BpClub.Grains.Tests;

/// <summary>Identity's V3 hash (PBKDF2-HMAC-SHA512, 100 000+ iterations), and an older hash renewed at
/// sign-in.</summary>
[Collection(RealClockCluster.Name)]
public sealed class PasswordHashTests(ClusterFixture fixture)
{
    private const string Password = "Sunflower-2026";

    [Fact]
    public async Task A_weaker_stored_hash_is_replaced_by_a_v3_sha512_one_when_the_member_signs_in()
    {
        var card = (await fixture.Cluster.Grains.Issued()).GetPrimaryKeyString();
        var phone = PhoneNumber.Parse(BpClubApp.NewPhone());
        // What an older deployment stored: Identity V3 with 10 000 iterations (its default before .NET 7).
        var old = new PasswordHasher<object>(Options.Create(new PasswordHasherOptions { IterationCount = 10_000 }));
        var weak = old.HashPassword(new object(), Password);
        Assert.Equal(10_000, Parameters(weak).Iterations);
        var member = fixture.Cluster.Grains.GetGrain<IMemberGrain>(card);
        Assert.True((await member.Register(phone, weak)).Succeeded);

        Assert.True((await member.SignIn(phone, Password)).Succeeded);

        var stored = await StoredHash(card);
        Assert.NotEqual(weak, stored);
        var (prf, iterations, _) = Parameters(stored);
        Assert.Equal(2, prf); // HMACSHA512
        Assert.True(iterations >= 100_000, $"{iterations} iterations");
        // The renewed hash still signs in, and is not renewed again.
        Assert.True((await fixture.Cluster.Grains.GetGrain<IPhoneGrain>(phone.Value).SignIn(Password, "test"))
            .Succeeded);
        Assert.Equal(stored, await StoredHash(card));
    }

    private async Task<string> StoredHash(string card) =>
        await fixture.Cluster.Database.Scalar<string>("select password_hash from members where card_number = @card",
            card);

    /// <summary>A V3 hash: format byte 0x01, then the PRF, the iteration count and the salt length,
    /// big-endian.</summary>
    private static (int Prf, int Iterations, int Format) Parameters(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        return ((int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1)),
            (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)), bytes[0]);
    }
}
