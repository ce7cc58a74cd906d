using System.Globalization;
using System.Collections.Concurrent;
using BpClub.Abstractions;
using BpClub.Domain.Cards;
using BpClub.Grains.Sms;
using BpClub.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BpClub.Grains.Tests;

/// <summary>
/// The HTTP SMS gateway against a local provider (Kestrel): the body from the template, the credential header,
/// retries with back-off, failures logged without the code; and Production refusing the development outbox.
/// </summary>
public sealed class SmsGatewayTests : IAsyncLifetime
{
    private const string Credential = "Bearer sms-provider-secret-4711";
    private const string Phone = "+380671234567";
    private FakeSmsProvider _provider = null!;
    private readonly ConcurrentQueue<string> _log = new();

    public async Task InitializeAsync() => _provider = await FakeSmsProvider.Start();

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    [Fact]
    public async Task A_text_is_posted_as_the_template_says_with_the_credential_header()
    {
        await using var services = Gateway(new()
        {
            ["Sms:Http:AuthHeaderName"] = "X-Provider-Key",
            ["Sms:Http:BodyTemplate"] =
                """{"sender":"BPCLUB","msisdn":"{{to}}","message":{"body":"{{text}}"},"ref":"{{id}}"}""",
        });
        var text = "BP CLUB: код 123456 \"в лапках\"\\ і\nрядок";
        await services.GetRequiredService<ISmsSender>().Send(PhoneNumber.Parse(Phone), text);

        var request = Assert.Single(_provider.Requests);
        Assert.Equal(Credential, request.Headers["X-Provider-Key"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"]);
        Assert.Equal("BPCLUB", request.Json.GetProperty("sender").GetString());
        Assert.Equal(Phone, request.Json.GetProperty("msisdn").GetString());
        Assert.Equal(text, request.Json.GetProperty("message").GetProperty("body").GetString());
        Assert.Equal(32, request.Json.GetProperty("ref").GetString()!.Length);
    }

    [Fact]
    public async Task Failed_attempts_are_retried_with_growing_delays_and_the_same_message_id()
    {
        await using var services =
            Gateway(new() { ["Sms:Http:MaxAttempts"] = "6", ["Sms:Http:RetryDelay"] = "00:00:00.050" });
        _provider.AnswerNext(503, 500, 429, 503, 500);
        await services.GetRequiredService<ISmsSender>().Send(PhoneNumber.Parse(Phone), "BP CLUB: код 654321");

        var requests = _provider.Requests.ToList();
        Assert.Equal([503, 500, 429, 503, 500, 200], requests.Select(r => r.AnsweredWith));
        Assert.Single(requests.Select(r => r.Json.GetProperty("messageId").GetString()).Distinct());
        // Exponential back-off with (decorrelated) jitter: single delays are random, but five of them add up to more
        // than 11 times the configured delay; a constant back-off with its jitter stays under 6.3 times.
        var delays = _log.Select(l => System.Text.RegularExpressions.Regex.Match(l, @"the next in (\S+)"))
            .Where(m => m.Success).Select(m => TimeSpan.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal(5, delays.Count);
        Assert.True(delays.Sum(d => d.TotalMilliseconds) > 10 * 50, $"delays {string.Join(", ", delays)}");
        Assert.Equal(5, _log.Count(l => l.Contains("SMS gateway attempt", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_text_the_provider_keeps_refusing_fails_and_the_log_holds_neither_code_nor_phone_nor_credential()
    {
        await using var services = Gateway(new() { ["Sms:Http:MaxAttempts"] = "3" });
        _provider.DefaultStatus = 502;
        await Assert.ThrowsAsync<SmsUnavailableException>(() =>
            services.GetRequiredService<ISmsSender>().Send(PhoneNumber.Parse(Phone), "BP CLUB: код 987654"));

        Assert.Equal(3, _provider.Requests.Count);
        var failure = Assert.Single(_log, l => l.Contains("not delivered", StringComparison.Ordinal));
        Assert.Contains("502", failure);
        Assert.All(_log, line =>
        {
            Assert.DoesNotContain("987654", line);
            Assert.DoesNotContain("1234567", line);
            Assert.DoesNotContain("sms-provider-secret", line);
        });
    }

    [Fact]
    public async Task A_provider_that_cannot_be_reached_fails_within_the_total_timeout()
    {
        var closed = _provider.Url;
        await _provider.DisposeAsync();
        await using var services = Gateway(new()
        {
            ["Sms:Http:Url"] = closed.ToString(),
            ["Sms:Http:TotalTimeout"] = "00:00:02",
            ["Sms:Http:AttemptTimeout"] = "00:00:01",
        });
        var started = DateTime.UtcNow;
        await Assert.ThrowsAsync<SmsUnavailableException>(() =>
            services.GetRequiredService<ISmsSender>().Send(PhoneNumber.Parse(Phone), "BP CLUB: код 111222"));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.Contains(_log, l => l.Contains("not delivered: the gateway was not reached", StringComparison.Ordinal));
        _provider = await FakeSmsProvider.Start();
    }

    [Theory]
    [InlineData("outbox", null, "Sms:Provider is 'outbox'")]
    [InlineData(null, null, "Sms:Provider is 'outbox'")]
    [InlineData("http", "http://sms.example.net/send", "must be HTTPS in Production")]
    [InlineData("http", null, "absolute URL")]
    [InlineData("carrier-pigeon", null, "must be 'outbox' or 'http'")]
    public async Task Production_refuses_to_start_without_a_real_provider(string? provider, string? url,
        string expected)
    {
        var settings = new Dictionary<string, string?> { ["Sms:Provider"] = provider, ["Sms:Http:Url"] = url };
        using var host = Host("Production", settings);
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(expected, refused.Message);
    }

    [Fact]
    public async Task Production_starts_with_an_https_provider_and_development_with_the_outbox()
    {
        using var production =
            Host("Production", new() { ["Sms:Provider"] = "http", ["Sms:Http:Url"] = "https://sms.example.net/send" });
        await production.StartAsync();
        Assert.IsType<HttpSmsSender>(production.Services.GetRequiredService<ISmsSender>());
        await production.StopAsync();

        using var development = Host("Development", new());
        await development.StartAsync();
        Assert.IsType<OutboxSmsSender>(development.Services.GetRequiredService<ISmsSender>());
        await development.StopAsync();
    }

    [Theory]
    [InlineData("""{"to":"{{to}}"}""", "must contain")]
    [InlineData("""{"to":{{to}},"text":"{{text}}"}""", "must be JSON")]
    public async Task A_body_template_that_cannot_carry_a_text_is_refused(string template, string expected)
    {
        using var host = Host("Development", new()
        {
            ["Sms:Provider"] = "http", ["Sms:Http:Url"] = "https://sms.example.net/send",
                ["Sms:Http:BodyTemplate"] = template,
        });
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(expected, refused.Message);
    }

    private static IHost Host(string environment, Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = environment,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddBpClubSms(builder.Configuration);
        return builder.Build();
    }

    private ServiceProvider Gateway(Dictionary<string, string?> overrides)
    {
        var settings = _provider.SiloSettings(Credential);
        foreach (var (key, value) in overrides) settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(new ListLogger(_log)))
            .AddSingleton<IHostEnvironment>(
                new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Testing" })
            .AddBpClubSms(configuration)
            .BuildServiceProvider();
        return services;
    }

    private sealed class ListLogger(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(lines);

        public void Dispose() { }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
                Func<TState, Exception?, string> formatter)
                    => lines.Enqueue($"{logLevel} {formatter(state, exception)} {exception}");
        }
    }
}
