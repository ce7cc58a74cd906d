using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace BpClub.Grains.Sms;

/// <summary>
/// The SMS gateway a silo sends codes with, chosen by Sms:Provider and validated at start: Production refuses
/// to start with the development outbox, or with an HTTP provider that is not HTTPS.
/// </summary>
public static partial class SmsSetup
{
    public const string HttpClientName = "sms";

    public static IServiceCollection AddBpClubSms(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SmsOptions.SectionName);
        services.AddOptions<SmsOptions>()
            .Bind(section)
            // BPCLUB_SMS_OUTBOX (set by ./bpclub up), else Sms:OutboxPath, else .data/sms-outbox.jsonl.
            .PostConfigure(o =>
            {
                if (configuration["BPCLUB_SMS_OUTBOX"] is { Length: > 0 } outbox) o.OutboxPath = outbox;
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmsOptions>, SmsOptionsValidator>();
        services.AddSingleton<SmsQuota>();

        if (!string.Equals(section["Provider"], SmsOptions.HttpProvider, StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<ISmsSender, OutboxSmsSender>();
            return services;
        }

        services.AddHttpClient<ISmsSender, HttpSmsSender>(HttpClientName, (provider, client) =>
            {
                // The resilience pipeline's total timeout is the real bound; this one only backs it up.
                var http = provider.GetRequiredService<IOptions<SmsOptions>>().Value.Http;
                client.Timeout = http.TotalTimeout + TimeSpan.FromSeconds(1);
            })
            // The factory's own request logging names the URL, which may carry a provider key.
            .RemoveAllLoggers()
            .AddResilienceHandler("sms-delivery", (pipeline, context) =>
            {
                var http = context.ServiceProvider.GetRequiredService<IOptions<SmsOptions>>().Value.Http;
                var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>()
                    .CreateLogger(typeof(HttpSmsSender));
                pipeline.AddTimeout(http.TotalTimeout);
                if (http.MaxAttempts > 1)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = http.MaxAttempts - 1,
                        Delay = http.RetryDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        OnRetry = retry =>
                        {
                            LogRetry(logger, retry.AttemptNumber + 1, Describe(retry.Outcome), retry.RetryDelay);
                            return ValueTask.CompletedTask;
                        },
                    });
                }
                pipeline.AddTimeout(http.AttemptTimeout);
            });
        return services;
    }

    private static string Describe(Polly.Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response ? ((int)response.StatusCode)
            .ToString(System.Globalization.CultureInfo.InvariantCulture)
            : outcome.Exception?.GetType().Name ?? "unknown";

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "SMS gateway attempt {Attempt} failed ({Failure}); the next in {Delay}")]
    private static partial void LogRetry(ILogger logger, int attempt, string failure, TimeSpan delay);
}

/// <summary>The SMS settings, checked before the silo starts.</summary>
public sealed class SmsOptionsValidator(IHostEnvironment environment) : IValidateOptions<SmsOptions>
{
    public ValidateOptionsResult Validate(string? name, SmsOptions options)
    {
        var failures = new List<string>();
        var provider = string.IsNullOrWhiteSpace(options.Provider) ? SmsOptions.OutboxProvider
            : options.Provider.ToLowerInvariant();
        if (provider == SmsOptions.OutboxProvider)
        {
            if (environment.IsProduction())
                failures.Add("Sms:Provider is 'outbox', the development file of codes, in Production: configure a real "
                    + "SMS provider (Sms:Provider=http, Sms:Http:Url, Sms:Http:AuthHeaderValue).");
        }
        else if (provider == SmsOptions.HttpProvider)
        {
            var http = options.Http;
            if (http.Url is not { IsAbsoluteUri: true })
                failures.Add("Sms:Http:Url must be the provider's absolute URL.");
            else if (environment.IsProduction() && http.Url.Scheme != Uri.UriSchemeHttps)
                failures.Add("Sms:Http:Url must be HTTPS in Production.");
            if (string.IsNullOrWhiteSpace(http.AuthHeaderName))
                failures.Add("Sms:Http:AuthHeaderName must name a header.");
            if (!http.BodyTemplate.Contains("{{to}}", StringComparison.Ordinal)
                || !http.BodyTemplate.Contains("{{text}}", StringComparison.Ordinal))
                failures.Add("Sms:Http:BodyTemplate must contain {{to}} and {{text}}.");
            else if (!IsJson(HttpSmsSender.Render(http.BodyTemplate, "+380670000000", "a \"text\"\n", "id")))
                failures.Add("Sms:Http:BodyTemplate must be JSON with its placeholders inside strings.");
            if (http.MaxAttempts is < 1 or > 10) failures.Add("Sms:Http:MaxAttempts must be 1 to 10.");
            if (http.RetryDelay <= TimeSpan.Zero || http.AttemptTimeout <= TimeSpan.Zero
                || http.TotalTimeout < http.AttemptTimeout)
                failures.Add("Sms:Http: RetryDelay and AttemptTimeout must be positive, TotalTimeout at least "
                    + "AttemptTimeout.");
        }
        else
        {
            failures.Add($"Sms:Provider must be '{SmsOptions.OutboxProvider}' or '{SmsOptions.HttpProvider}'.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsJson(string body)
    {
        try
        {
            using var _ = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
