using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BpClub.Testing;

/// <summary>
/// Every log line the silos and front ends of a test process write, formatted as it would appear
/// (message, exception and scopes-free), so tests can assert that no secret ever reaches a log.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private static readonly ConcurrentQueue<string> Captured = new();

    public static IReadOnlyCollection<string> Lines => Captured;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName);

    public void Dispose() { }

    private sealed class Logger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState,
            Exception?, string> formatter)
        {
            if (Captured.Count > 200_000) return;
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            Captured.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {structured} {exception}");
        }
    }
}
