using System.Diagnostics.Metrics;
using BpClub.Domain.Cards;
using BpClub.Grains.Sms;
using BpClub.Grains.Storage;
using BpClub.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace BpClub.Grains.Tests;

/// <summary>The caps against SMS pumping, on a database of their own and a fake clock.</summary>
public sealed class SmsQuotaTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 10, 15, 0, TimeSpan.Zero));
    private NpgsqlDataSource _database = null!;
    private ServiceProvider _meters = null!;

    public async Task InitializeAsync()
    {
        _database = NpgsqlDataSource.Create(await TestPostgres.CreateDatabase("bpclub_sms"));
        await new SchemaMigrator(_database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await _meters.DisposeAsync();
    }

    private SmsQuota Quota(int perPhone = 100, int perSource = 100, int budget = 100) => new(_database,
        Options.Create(new SmsOptions { MaxPerPhonePerDay = perPhone, MaxPerSourcePerHour = perSource,
            DailyBudget = budget }),
        _clock, new GrainMetrics(_meters.GetRequiredService<IMeterFactory>()));

    private static PhoneNumber NewPhone() => PhoneNumber.Parse(BpClubApp.NewPhone());

    [Fact]
    public async Task A_phone_gets_its_daily_number_of_texts_then_none_until_the_next_utc_day()
    {
        var quota = Quota(perPhone: 3);
        var phone = NewPhone();
        for (var i = 0; i < 3; i++) Assert.Null((await quota.TryTake(phone, $"10.0.0.{i}")).Refusal);

        var refused = await quota.TryTake(phone, "10.0.0.9");
        Assert.Equal(SmsRefusal.PhoneDailyCap, refused.Refusal);
        Assert.Equal(TimeSpan.FromHours(13.75), refused.RetryAfter);
        Assert.Null((await quota.TryTake(NewPhone(), "10.0.0.9")).Refusal); // another phone is not held back

        _clock.Advance(TimeSpan.FromHours(14));
        Assert.Null((await quota.TryTake(phone, "10.0.0.9")).Refusal);
    }

    [Fact]
    public async Task A_source_asks_for_its_hourly_number_of_texts_to_any_phones_then_waits_for_the_next_hour()
    {
        var quota = Quota(perSource: 2);
        Assert.Null((await quota.TryTake(NewPhone(), "192.0.2.7")).Refusal);
        Assert.Null((await quota.TryTake(NewPhone(), "192.0.2.7")).Refusal);
        var refused = await quota.TryTake(NewPhone(), "192.0.2.7");
        Assert.Equal((SmsRefusal.SourceHourlyCap, TimeSpan.FromMinutes(45)), (refused.Refusal, refused.RetryAfter));
        Assert.Null((await quota.TryTake(NewPhone(), "192.0.2.8")).Refusal);

        _clock.Advance(TimeSpan.FromMinutes(45));
        Assert.Null((await quota.TryTake(NewPhone(), "192.0.2.7")).Refusal);
    }

    [Fact]
    public async Task The_daily_budget_stops_every_text_and_the_refusal_is_counted_for_an_alert()
    {
        var refusals = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GrainMetrics.MeterName
                && instrument.Name == "bpclub.sms.refused") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags) if (tag.Key == "reason") refusals.Add((string)tag.Value!);
        });
        listener.Start();

        var quota = Quota(budget: 4);
        for (var i = 0; i < 4; i++) Assert.Null((await quota.TryTake(NewPhone(), $"198.51.100.{i}")).Refusal);
        Assert.Equal(SmsRefusal.DailyBudget, (await quota.TryTake(NewPhone(), "198.51.100.200")).Refusal);
        Assert.Equal(SmsRefusal.DailyBudget, (await quota.TryTake(NewPhone(), "198.51.100.201")).Refusal);
        Assert.Equal(["daily_budget", "daily_budget"], refusals);

        // Refused texts are not counted, and nothing identifies a phone or an address in clear.
        Assert.Equal(4L, await Scalar("select sum(sent) from sms_counters where scope = 'global'"));
        Assert.Equal(0L, await Scalar(
            "select count(*) from sms_counters where key like '%198.51%' or key like '+380%'"));
    }

    [Theory]
    [InlineData("+380671234567", true)]
    [InlineData("+380991234567", true)]
    [InlineData("+380441234567", false)] // a Kyiv landline
    [InlineData("+48601234567", false)]
    [InlineData("+447700900123", false)]
    public void Texts_go_to_ukrainian_mobiles_by_default(string phone, bool allowed) =>
        Assert.Equal(allowed, Quota().MayReceive(PhoneNumber.Parse(phone)));

    [Fact]
    public void Other_countries_can_be_allowed() =>
        Assert.True(SmsQuota.Allowed(PhoneNumber.Parse("+48601234567"), "380, 48"));

    private async Task<long> Scalar(string sql)
    {
        await using var command = _database.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
