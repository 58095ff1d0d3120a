using IntegrationHub.Core.Feeds;
using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Intake;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Pull;

/// <summary>Starts pulls: the scheduled ones (which period is due) and the ones ops ask for.</summary>
public sealed partial class PullScheduler(IOptionsMonitor<PullOptions> options, OrchestrationStarter starter, ILogger<PullScheduler> logger)
{
    // Departments close their periods on China Standard Time (UTC+8, no daylight saving).
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    /// <summary>
    /// The periods a scheduled pull fetches at <paramref name="now"/>: the month just closed for monthly departments;
    /// for statistics the quarter just closed, and in the first quarter also the year just closed.
    /// </summary>
    public static IReadOnlyList<Period> DuePeriods(string source, DateTimeOffset now)
    {
        var local = now.ToOffset(ChinaStandardTime);
        var thisMonth = Period.OfMonth(local.Year, local.Month);
        if (source != FeedSource.Statistics)
        {
            return [local.Month == 1 ? Period.OfMonth(local.Year - 1, 12) : Period.OfMonth(local.Year, local.Month - 1)];
        }

        var quarter = ((thisMonth.Index - 1) / 3) + 1;
        return quarter == 1
            ? [Period.OfQuarter(local.Year - 1, 4), Period.OfYear(local.Year - 1)]
            : [Period.OfQuarter(local.Year, quarter - 1)];
    }

    public bool IsConfigured(string source) => options.CurrentValue.For(source).IsConfigured;

    /// <summary>Starts the pull of one period unless one is running; a finished earlier pull of the period is replaced.</summary>
    /// <returns>The instance id, and whether this call started it.</returns>
    public async Task<(string InstanceId, bool Started)> StartAsync(DurableTaskClient client, string source, string period, CancellationToken cancellationToken)
    {
        var instanceId = InstanceIds.Pull(source, period);
        var settings = options.CurrentValue;
        var outcome = await starter.StartAsync(
            client, nameof(PullFeedOrchestration.PullFeed), instanceId,
                new PullInput(source, period, settings.RetryMaxAttempts, settings.RetryFirstIntervalSeconds),
            restartFinished: true, cancellationToken).ConfigureAwait(false);
        return (instanceId, outcome == StartOutcome.Started);
    }

    /// <summary>What a timer does: pull every due period of a configured department.</summary>
    public async Task StartDueAsync(DurableTaskClient client, string source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!IsConfigured(source))
        {
            LogNotConfigured(logger, source);
            return;
        }

        foreach (var period in DuePeriods(source, now))
        {
            await StartAsync(client, source, period.ToString(), cancellationToken).ConfigureAwait(false);
        }
    }


    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled pull of {Source} skipped: no base URL configured")]
    private static partial void LogNotConfigured(ILogger logger, string source);
}
