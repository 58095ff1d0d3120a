using System.Collections.Concurrent;
using IntegrationHub.LocalHost.Tests.Support;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.LocalHost.Tests.Access;

/// <summary>
/// The end-to-end hub of the access tests: a small feed limit (so a 413 needs little traffic), and every log line of
/// every category and level recorded while a test asks, for a scan for key text.
/// </summary>
public sealed class AccessHub : EndToEndHub
{
    public const int MaxFeedBytes = 65536;

    public LogScan Scan { get; } = new();

    protected override void AddSettings(IDictionary<string, string?> values) => values["Intake:MaxFeedBytes"] =
        MaxFeedBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);

    protected override void ConfigureLogging(ILoggingBuilder logging)
    {
        base.ConfigureLogging(logging);

        // A rule for this provider alone wins over the host's per-category minimums: it sees Trace of everything.
        logging.AddProvider(Scan).AddFilter<LogScan>(null, LogLevel.Trace);
    }
}

/// <summary>
/// Every log entry, of any level and category, while <see cref="Record"/> is on: the formatted message, each value of
/// its structured state (what a telemetry sink stores besides the message) and the exception.
/// </summary>
public sealed class LogScan : ILoggerProvider
{
    private readonly ConcurrentQueue<string> entries = new();
    private volatile bool recording;

    public IReadOnlyList<string> Entries => [.. entries];

    /// <summary>Clears what was recorded and records until the result is disposed.</summary>
    public IDisposable Record()
    {
        entries.Clear();
        recording = true;
        return new Stop(this);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Stop(LogScan scan) : IDisposable
    {
        public void Dispose() => scan.recording = false;
    }

    private sealed class Logger(LogScan scan, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => scan.recording;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!scan.recording)
            {
                return;
            }

            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" | ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            scan.entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}
