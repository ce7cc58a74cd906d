using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace BpClub.Api.Tests;

/// <summary>
/// The security audit log: sign-ins, their failures and lock-outs, and every operator action are written with who,
/// what, when and from where, never with a secret or personal data, and the database refuses to change a line.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class AuditLogTests(AppFixture fixture)
{
    private readonly BpClubApp _app = fixture.App;

    private HttpClient NamedOperator() => _app.Client(BpClubApp.NamedOperatorKey);

    /// <summary>Every line matching the query, following nextBefore page by page.</summary>
    private async Task<List<JsonElement>> Audit(string query)
    {
        var lines = new List<JsonElement>();
        string? before = null;
        do
        {
            var page = await _app.Operator()
                .GetAsync($"/api/admin/v1/audit?limit=100&{query}{(before is null ? "" : "&before=" + before)}")
                .Expect(HttpStatusCode.OK);
            lines.AddRange(page.GetProperty("items").EnumerateArray());
            var next = page.GetProperty("nextBefore");
            before = next.ValueKind == JsonValueKind.Null
                ? null
                : next.GetInt64().ToString(CultureInfo.InvariantCulture);
        } while (before is not null);
        return lines;
    }

    private async Task<string> WholeLog()
    {
        await using var connection = new NpgsqlConnection(_app.Cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select coalesce(string_agg(a::text, E'\\n'), '') from audit_log a", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static string Since(DateTimeOffset at) =>
        "from=" + Uri.EscapeDataString(at.AddSeconds(-1).ToString("O", CultureInfo.InvariantCulture));

    private static string PhoneHash(string phone) =>
        "phone:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(phone)));

    [Fact]
    public async Task Sign_ins_their_failures_and_a_lock_out_are_recorded_with_the_source_and_never_the_phone()
    {
        var started = DateTimeOffset.UtcNow;
        var member = await _app.NewMember(await _app.NewStationKey());
        var from = _app.ClientFrom(IPAddress.Parse("198.51.100.23"));
        await from.PostAsJsonAsync("/api/cabinet/v1/sessions", new { phone = member.Phone, password = member.Password })
            .Expect(HttpStatusCode.OK);
        for (var i = 0; i < 4; i++)
            await from.PostAsJsonAsync("/api/cabinet/v1/sessions",
                new { phone = member.Phone, password = "Wrong-pass-1" }).ExpectProblem(HttpStatusCode.Unauthorized);
        await from.PostAsJsonAsync("/api/cabinet/v1/sessions", new { phone = member.Phone, password = "Wrong-pass-1" })
            .ExpectProblem(HttpStatusCode.TooManyRequests);
        // Locked: even the right password is refused, and that refusal is recorded too.
        await from.PostAsJsonAsync("/api/cabinet/v1/sessions", new { phone = member.Phone, password = member.Password })
            .ExpectProblem(HttpStatusCode.TooManyRequests);

        var signIns = await Audit($"kind=member.signIn&subject={member.Card}&{Since(started)}");
        var fromThere = Assert.Single(signIns, l => l.GetProperty("source").GetString() == "198.51.100.23");
        Assert.Equal(("member:" + member.Card, 200),
            (fromThere.GetProperty("actor").GetString(), fromThere.GetProperty("status").GetInt32()));
        var refusals = (await Audit($"kind=member.signInFailed,member.signInLocked&{Since(started)}"))
            .Where(l => l.GetProperty("actor").GetString() == PhoneHash(member.Phone)).Reverse().ToList();
        Assert.Equal([.. Enumerable.Repeat("member.signInFailed", 4), "member.signInLocked", "member.signInLocked"],
            refusals.Select(l => l.GetProperty("kind").GetString()));
        Assert.All(refusals, l => Assert.Equal("198.51.100.23", l.GetProperty("source").GetString()));
        Assert.Equal([401, 401, 401, 401, 429, 429], refusals.Select(l => l.GetProperty("status").GetInt32()));

        var log = await WholeLog();
        Assert.DoesNotContain(member.Phone, log);
        Assert.DoesNotContain(member.Phone[1..], log);
        Assert.DoesNotContain(member.Password, log);
        Assert.DoesNotContain("Wrong-pass-1", log);
        Assert.DoesNotContain(member.Token, log);
    }

    [Fact]
    public async Task Every_operator_action_is_attributed_to_the_named_operator_without_a_key_a_reason_or_a_reference()
    {
        var started = DateTimeOffset.UtcNow;
        var stationId = "st-" + Guid.NewGuid().ToString("N")[..8];
        var created = await NamedOperator().PutAsJsonAsync($"/api/admin/v1/stations/{stationId}",
            new { name = "Audit", address = "Kyiv" }).Expect(HttpStatusCode.Created);
        var rotated = await NamedOperator().PostAsync($"/api/admin/v1/stations/{stationId}/key", null)
            .Expect(HttpStatusCode.OK);
        var stationKey = rotated.GetProperty("apiKey").GetString()!;
        var partnerId = "pa-" + Guid.NewGuid().ToString("N")[..8];
        var partner = await NamedOperator().PutAsJsonAsync($"/api/admin/v1/partners/{partnerId}",
            new { name = "Coffee", pointsPerUah = 0.5m }).Expect(HttpStatusCode.Created);
        var partnerKey = (await NamedOperator().PostAsync($"/api/admin/v1/partners/{partnerId}/key", null)
            .Expect(HttpStatusCode.OK)).GetProperty("apiKey").GetString()!;
        var promotionId = "audit-" + Guid.NewGuid().ToString("N")[..8];
        await NamedOperator().PutAsJsonAsync($"/api/admin/v1/promotions/{promotionId}", new
        {
            name = "Audit week", startsAt = DateTimeOffset.UtcNow, endsAt = DateTimeOffset.UtcNow.AddDays(1),
            multiplier = 2m,
        }).Expect(HttpStatusCode.Created);
        await NamedOperator().DeleteAsync($"/api/admin/v1/promotions/{promotionId}").Expect(HttpStatusCode.OK);

        var card = await _app.IssueCard(stationKey, "Taras", "Audytenko");
        await _app.Client(stationKey).Purchase(Http.FuelPurchase("aud-1", card, litres: 20m, amount: 1000m));
        await NamedOperator().PostAsJsonAsync($"/api/admin/v1/cards/{card}/adjustments",
            new { adjustmentId = "adj-aud", points = 15, reason = "Pump 7 unreadable-reason-marker" })
            .Expect(HttpStatusCode.Created);
        await NamedOperator().PostAsJsonAsync($"/api/admin/v1/cards/{card}/holds/release",
            new { releaseId = "rel-aud", points = 5 }).Expect(HttpStatusCode.Created);
        var lookup = await NamedOperator().GetAsync($"/api/admin/v1/cards/{card}?operations=5")
            .Expect(HttpStatusCode.OK);
        await NamedOperator().PostAsJsonAsync($"/api/admin/v1/cards/{card}/termination",
            new { applicationReceivedAt = DateTimeOffset.UtcNow.AddDays(-1),
                reference = "Application of Taras Audytenko" }).Expect(HttpStatusCode.OK);

        // The ledger names the named operator as the audit log does.
        Assert.Equal(["olena", "olena"], lookup.GetProperty("lastOperations").EnumerateArray()
            .Where(o => o.GetProperty("kind").GetString() is "adjustment" or "releasedEarly")
            .Select(o => o.GetProperty("by").GetString()));

        var lines = await Audit(Since(started));
        JsonElement Line(string kind, string subject) => Assert.Single(lines, l =>
            l.GetProperty("kind").GetString() == kind && l.GetProperty("subject").GetString() == subject);
        var expected = new (string Kind, string Subject, int Status)[]
        {
            ("station.saved", stationId, 201), ("station.keyRotated", stationId, 200),
            ("partner.saved", partnerId, 201), ("partner.keyRotated", partnerId, 200),
            ("promotion.saved", promotionId, 201), ("promotion.ended", promotionId, 200),
            ("card.adjusted", card, 201), ("card.holdsReleased", card, 201), ("card.lookedUp", card, 200),
            ("card.terminated", card, 200),
        };
        foreach (var (kind, subject, status) in expected)
        {
            var line = Line(kind, subject);
            Assert.Equal(("operator:" + BpClubApp.NamedOperatorId, status, "unknown"),
                (line.GetProperty("actor").GetString(), line.GetProperty("status").GetInt32(),
                    line.GetProperty("source").GetString()));
        }
        var adjusted = Line("card.adjusted", card).GetProperty("details");
        Assert.Equal(("adj-aud", 15L), (adjusted.GetProperty("adjustmentId").GetString(),
            adjusted.GetProperty("points").GetInt64()));
        Assert.Equal(5L, Line("card.holdsReleased", card).GetProperty("details").GetProperty("points").GetInt64());
        Assert.Equal(4, (await Audit($"subject={card}&{Since(started)}")).Count(l =>
            l.GetProperty("kind").GetString()!.StartsWith("card.", StringComparison.Ordinal)));

        var log = await WholeLog();
        foreach (var secret in new[] { created.GetProperty("apiKey").GetString()!, stationKey,
            partner.GetProperty("apiKey").GetString()!, partnerKey, BpClubApp.NamedOperatorKey, BpClubApp.OperatorKey,
            "unreadable-reason-marker", "Audytenko" })
            Assert.DoesNotContain(secret, log);
    }

    [Fact]
    public async Task The_database_refuses_to_change_or_remove_a_line()
    {
        await _app.Operator().GetAsync("/api/admin/v1/cards/4000001234567899").ExpectProblem(HttpStatusCode.NotFound);
        await using var connection = new NpgsqlConnection(_app.Cluster.ConnectionString);
        await connection.OpenAsync();
        async Task<int> Count()
        {
            await using var command = new NpgsqlCommand("select count(*) from audit_log", connection);
            return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        var before = await Count();
        Assert.True(before > 0);
        foreach (var sql in new[] { "update audit_log set actor = 'someone else'", "delete from audit_log",
            "truncate audit_log" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Contains("append-only", refused.MessageText);
        }
        Assert.Equal(before, await Count());
        await using var check = new NpgsqlCommand(
            "select count(*) from audit_log where actor = 'someone else'", connection);
        Assert.Equal(0L, (long)(await check.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Pages_go_back_in_time_by_before_and_the_filters_narrow_them()
    {
        var started = DateTimeOffset.UtcNow;
        var card = await _app.IssueCard(await _app.NewStationKey());
        for (var i = 0; i < 5; i++)
            await _app.SecondOperator().GetAsync($"/api/admin/v1/cards/{card}").Expect(HttpStatusCode.OK);

        var first = await _app.Operator().GetAsync($"/api/admin/v1/audit?kind=card.lookedUp&subject={card}&limit=2")
            .Expect(HttpStatusCode.OK);
        var firstIds = first.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(2, firstIds.Count);
        Assert.True(firstIds[0] > firstIds[1], "newest first");
        var next = first.GetProperty("nextBefore").GetInt64();
        Assert.Equal(firstIds[1], next);
        var rest = await Audit($"kind=card.lookedUp&subject={card}&before={next}");
        Assert.Equal(3, rest.Count);
        Assert.All(rest, l => Assert.True(l.GetProperty("id").GetInt64() < next));
        Assert.All(rest, l => Assert.Equal("operator:" + BpClubApp.OperatorId(BpClubApp.SecondOperatorKey),
            l.GetProperty("actor").GetString()));

        var spaced = card[..4] + " " + card[4..8] + " " + card[8..12] + " " + card[12..];
        Assert.Equal(5, (await Audit($"subject={Uri.EscapeDataString(spaced)}&kind=card.lookedUp")).Count);
        var to = Uri.EscapeDataString(started.AddSeconds(-1).ToString("O", CultureInfo.InvariantCulture));
        Assert.Empty(await Audit($"subject={card}&to={to}"));
        Assert.Empty(await Audit($"subject={card}&kind=card.adjusted"));
    }

    [Fact]
    public async Task A_refused_action_is_recorded_with_its_status_even_when_its_ids_are_unprintable()
    {
        var card = await _app.IssueCard(await _app.NewStationKey());
        await _app.Operator().PostAsync($"/api/admin/v1/cards/{card}/holds/release",
            Http.Raw("""{"releaseId":"bad\u0000id\u0007"}""")).ExpectProblem(HttpStatusCode.BadRequest);
        await _app.Operator().PostAsJsonAsync($"/api/admin/v1/cards/{card}/adjustments",
            new { adjustmentId = new string('a', 300), points = 1, reason = "Goodwill" })
            .ExpectProblem(HttpStatusCode.BadRequest);

        var lines = await Audit($"subject={card}");
        var release = Assert.Single(lines, l => l.GetProperty("kind").GetString() == "card.holdsReleased");
        Assert.Equal((400, "bad\uFFFDid\uFFFD"), (release.GetProperty("status").GetInt32(),
            release.GetProperty("details").GetProperty("releaseId").GetString()));
        var adjustment = Assert.Single(lines, l => l.GetProperty("kind").GetString() == "card.adjusted");
        Assert.Equal(new string('a', 64),
            adjustment.GetProperty("details").GetProperty("adjustmentId").GetString());
    }

    [Fact]
    public async Task A_members_own_replacement_and_leaving_are_recorded_as_the_members_and_an_operators_as_theirs()
    {
        var station = await _app.NewStationKey();
        var member = await _app.NewMember(station);
        var fresh = await _app.IssueCard(station);
        var replaced = await member.Client().PostAsJsonAsync("/api/cabinet/v1/card-replacements",
            new { newCardNumber = fresh, cardCode = _app.CardCode(fresh) }).Expect(HttpStatusCode.Created);
        var onNew = _app.Client(bearer: replaced.GetProperty("session").GetProperty("accessToken").GetString()!);
        await onNew.PostAsJsonAsync("/api/cabinet/v1/termination", new { password = member.Password })
            .Expect(HttpStatusCode.OK);
        var other = await _app.IssueCard(station);
        var spare = await _app.IssueCard(station);
        await NamedOperator().PostAsJsonAsync($"/api/admin/v1/cards/{other}/replacement",
            new { newCardNumber = spare }).Expect(HttpStatusCode.Created);

        var move = Assert.Single(await Audit($"subject={member.Card}&kind=card.replaced"));
        Assert.Equal(("member:" + member.Card, 201, fresh), (move.GetProperty("actor").GetString(),
            move.GetProperty("status").GetInt32(),
            move.GetProperty("details").GetProperty("newCardNumber").GetString()));
        var left = Assert.Single(await Audit($"subject={fresh}&kind=member.terminated"));
        Assert.Equal(("member:" + fresh, 200), (left.GetProperty("actor").GetString(), left.GetProperty("status")
            .GetInt32()));
        var support = Assert.Single(await Audit($"subject={other}&kind=card.replaced"));
        Assert.Equal("operator:" + BpClubApp.NamedOperatorId, support.GetProperty("actor").GetString());
        // Leaving erases the member; the log keeps neither their phone nor their password.
        var log = await WholeLog();
        Assert.DoesNotContain(member.Phone, log);
        Assert.DoesNotContain(member.Password, log);
    }

    [Fact]
    public async Task Only_operators_read_the_log()
    {
        var stationKey = await _app.NewStationKey();
        await _app.Client(stationKey).GetAsync("/api/admin/v1/audit").ExpectProblem(HttpStatusCode.Forbidden);
        await _app.Client().GetAsync("/api/admin/v1/audit").ExpectProblem(HttpStatusCode.Unauthorized);
        await NamedOperator().GetAsync("/api/admin/v1/audit").Expect(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("olena", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", true)]
    [InlineData("olena", "not-a-hash", false)]
    [InlineData("olena", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0", false)]
    [InlineData("key-0123456789", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", false)]
    [InlineData("no spaces", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", false)]
    public void Named_operator_keys_are_an_id_and_a_SHA256(string name, string hash, bool usable)
    {
        var options = new BpClub.Api.Security.OperatorOptions { Named = { [name] = hash } };
        Assert.Equal(usable, options.Problem() is null);
    }
}
