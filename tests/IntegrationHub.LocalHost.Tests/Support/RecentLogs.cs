using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.LocalHost.Tests.Support;

/// <summary>
/// Keeps the hub's last log lines in memory instead of writing them to the console, so a failing end-to-end test can
/// show what the hub was doing (failed activities, retries, publishing) in its message.
/// </summary>
public sealed class RecentLogs : ILoggerProvider
{
    private const int Capacity = 400;

    private readonly ConcurrentQueue<string> lines = new();

    public void Add(string line)
    {
        lines.Enqueue(line);
        while (lines.Count > Capacity && lines.TryDequeue(out _))
        {
        }
    }

    /// <summary>The last <paramref name="count"/> lines, oldest first.</summary>
    public string Last(int count = 40)
    {
        var all = lines.ToArray();
        return string.Join(Environment.NewLine, all.Skip(Math.Max(0, all.Length - count)));
    }

    /// <summary>The kept lines that contain <paramref name="text"/>, oldest first.</summary>
    public IReadOnlyList<string> Containing(string text) => [.. lines.Where(l => l.Contains(text, StringComparison.Ordinal))];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(RecentLogs sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var shortCategory = category[(category.LastIndexOf('.') + 1)..];
            var text = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel.ToString()[..4]} {shortCategory}: {formatter(state, exception)}";
            if (exception is not null)
            {
                text += $" [{exception.GetType().Name}: {exception.Message}]";
            }

            sink.Add(text);
        }
    }
}
