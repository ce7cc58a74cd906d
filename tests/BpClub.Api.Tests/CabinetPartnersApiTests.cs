namespace BpClub.Api.Tests;

[Collection(ServiceCollection.Name)]
public sealed class CabinetPartnersApiTests(AppFixture fixture)
{
    private readonly BpClubApp _app = fixture.App;

    private async Task<(string Id, string Key)> NewPartner(string name, decimal pointsPerUah)
    {
        var id = "pa-" + Guid.NewGuid().ToString("N")[..8];
        var created = await _app.Operator()
            .PutAsJsonAsync($"/api/admin/v1/partners/{id}", new { name, pointsPerUah })
            .Expect(HttpStatusCode.Created);
        return (id, created.GetProperty("apiKey").GetString()!);
    }

    [Fact]
    public async Task A_member_sees_the_partners_names_and_rates_and_nothing_of_their_ids_or_keys()
    {
        var name = "Pharmacy " + Guid.NewGuid().ToString("N")[..6];
        var (id, key) = await NewPartner(name, 0.05m);
        var (idleId, _) = await NewPartner("Idle " + name, 0m);
        var member = await _app.NewMember(await _app.NewStationKey());

        var response = await member.Client().GetAsync("/api/cabinet/v1/partners");
        var text = await response.Content.ReadAsStringAsync();
        var body = await response.Expect(HttpStatusCode.OK);

        var listed = body.GetProperty("partners").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == name);
        Assert.Equal(0.05m, listed.GetProperty("pointsPerUah").GetDecimal());
        Assert.Equal(["name", "pointsPerUah"], listed.EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain(id, text);
        Assert.DoesNotContain(idleId, text);
        Assert.DoesNotContain(key.Split('.')[^1], text);
        Assert.DoesNotContain("Idle " + name, text);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_rate_changed_by_an_operator_shows_at_once()
    {
        var name = "Bakery " + Guid.NewGuid().ToString("N")[..6];
        var (id, _) = await NewPartner(name, 0.1m);
        var member = (await _app.NewMember(await _app.NewStationKey())).Client();
        await _app.Operator().PutAsJsonAsync($"/api/admin/v1/partners/{id}", new { name, pointsPerUah = 0.2m })
            .Expect(HttpStatusCode.OK);

        var body = await member.GetFromJsonAsync<JsonElement>("/api/cabinet/v1/partners");

        Assert.Equal(0.2m, body.GetProperty("partners").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == name).GetProperty("pointsPerUah").GetDecimal());
    }
}
