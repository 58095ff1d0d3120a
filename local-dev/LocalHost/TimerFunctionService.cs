using Microsoft.Azure.Functions.Worker;
using NCrontab;

namespace IntegrationHub.LocalHost;

/// <summary>
/// Fires timer-triggered functions from their NCRONTAB schedules (UTC, like the Functions host), resolving
/// <c>%Setting%</c> names from configuration. A schedule whose setting is missing disables that timer, loudly.
/// </summary>
public sealed partial class TimerFunctionService(
    IReadOnlyList<FunctionDescriptor> functions, IServiceProvider services, IConfiguration configuration, TimeProvider clock, ILogger<TimerFunctionService> logger)
    : BackgroundService
{
    /// <summary>The schedule text with <c>%Name%</c> replaced from configuration (<c>:</c> or <c>__</c> separators); null when the setting is missing.</summary>
    public static string? ResolveSchedule(string schedule, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(configuration);
        if (schedule.Length > 2 && schedule[0] == '%' && schedule[^1] == '%')
        {
            var name = schedule[1..^1];
            var value = configuration[name] ?? configuration[name.Replace("__", ":", StringComparison.Ordinal)];
            return string.IsNullOrWhiteSpace(value) ? null : value;
        }

        return schedule;
    }

    public static CrontabSchedule Parse(string expression) =>
        CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 });

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(functions.Where(f => f.Trigger == TriggerKind.Timer).Select(f => RunAsync(f, stoppingToken)));

    private async Task RunAsync(FunctionDescriptor function, CancellationToken stoppingToken)
    {
        var expression = ResolveSchedule(function.Timer.Schedule, configuration);
        if (expression is null)
        {
            LogDisabled(logger, function.Name, function.Timer.Schedule);
            return;
        }

        var schedule = Parse(expression);
        LogScheduled(logger, function.Name, expression, schedule.GetNextOccurrence(clock.GetUtcNow().UtcDateTime));
        if (function.Timer.RunOnStartup)
        {
            await FireAsync(function, stoppingToken).ConfigureAwait(false);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var next = schedule.GetNextOccurrence(now);
            try
            {
                await Task.Delay(next - now, clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await FireAsync(function, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task FireAsync(FunctionDescriptor function, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            await FunctionInvoker.InvokeAsync(function, scope.ServiceProvider, new TimerInfo(), null, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One failed firing must not stop the schedule; the Functions host behaves the same way.
            LogFailed(logger, ex, function.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer {Function} disabled: its schedule {Schedule} names a setting that is not configured")]
    private static partial void LogDisabled(ILogger logger, string function, string schedule);

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer {Function} on '{Schedule}', next at {Next:u}")]
    private static partial void LogScheduled(ILogger logger, string function, string schedule, DateTime next);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer {Function} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function);
}
