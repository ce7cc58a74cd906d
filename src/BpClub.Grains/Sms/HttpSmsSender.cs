using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace BpClub.Grains.Sms;

/// <summary>
/// A real SMS gateway: one JSON POST per message to the configured provider, with its credential in the
/// configured header. Retries, their back-off and the timeouts are the HTTP client's resilience pipeline
/// (<see cref="SmsSetup"/>); this class only builds the request and judges the last answer. The text (it holds
/// the code), the phone and the credential are never logged: a failure names the message id and the status.
/// </summary>
public sealed partial class HttpSmsSender(HttpClient http, IOptions<SmsOptions> options, ILogger<HttpSmsSender> logger)
    : ISmsSender
{
    public async Task Send(PhoneNumber to, string text, CancellationToken cancellationToken = default)
    {
        var settings = options.Value.Http;
        var id = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Url)
        {
            Content = new StringContent(Render(settings.BodyTemplate, to.Value, text, id), Encoding.UTF8,
                "application/json"),
        };
        if (!string.IsNullOrEmpty(settings.AuthHeaderValue))
            request.Headers.TryAddWithoutValidation(settings.AuthHeaderName, settings.AuthHeaderValue);

        HttpStatusCode status;
        try
        {
            using var response =
                await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            status = response.StatusCode;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
                                  && e is HttpRequestException or TimeoutException or OperationCanceledException
                                      or Polly.Timeout.TimeoutRejectedException)
        {
            // Not the exception itself: its message may quote the provider's URL, and with it a key in a query.
            LogUnreachable(id, e.GetType().Name);
            throw new SmsUnavailableException("The SMS gateway could not be reached.");
        }
        if ((int)status is < 200 or > 299)
        {
            LogRefused(id, (int)status);
            throw new SmsUnavailableException($"The SMS gateway refused the message ({(int)status}).");
        }
        LogSent(id);
    }

    /// <summary>The body: each placeholder replaced by its value escaped for the inside of a JSON string.</summary>
    public static string Render(string template, string to, string text, string id) => template
        .Replace("{{to}}", Escape(to), StringComparison.Ordinal)
        .Replace("{{text}}", Escape(text), StringComparison.Ordinal)
        .Replace("{{id}}", Escape(id), StringComparison.Ordinal);

    private static string Escape(string value)
    {
        var quoted = JsonSerializer.Serialize(value, EscapeOptions);
        return quoted[1..^1];
    }

    // Cyrillic stays itself; quotes, backslashes and control characters are escaped.
    private static readonly JsonSerializerOptions EscapeOptions =
        new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [LoggerMessage(Level = LogLevel.Debug, Message = "SMS {MessageId} accepted by the gateway")]
    private partial void LogSent(string messageId);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "SMS {MessageId} not delivered: the gateway answered {Status} to the last attempt")]
    private partial void LogRefused(string messageId, int status);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "SMS {MessageId} not delivered: the gateway was not reached ({Failure})")]
    private partial void LogUnreachable(string messageId, string failure);
}
