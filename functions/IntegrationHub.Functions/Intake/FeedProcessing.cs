using IntegrationHub.Functions.Durable;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Intake;

/// <summary>Starts a feed's <see cref="ProcessFeedOrchestration"/> under its deterministic instance id, once.</summary>
public sealed partial class FeedProcessing(OrchestrationStarter starter, ILogger<FeedProcessing> logger)
{
    /// <summary>Starts the run of a feed whose bytes the caller has just landed: nobody else starts it.</summary>
    public Task StartNewAsync(DurableTaskClient client, FeedRef feed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        return starter.ScheduleOwnedAsync(client, nameof(ProcessFeedOrchestration.ProcessFeed),
            InstanceIds.Feed(feed.Source, feed.Period, feed.ContentHash), feed, cancellationToken);
    }

    /// <param name="landedAt">When the feed's bytes were landed: their lander starts the run, and is waited for while that is recent.</param>
    /// <returns>True when this call started the run; false when a run of this feed exists or is being started.</returns>
    public async Task<bool> EnsureStartedAsync(DurableTaskClient client, FeedRef feed, DateTimeOffset landedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var instanceId = InstanceIds.Feed(feed.Source, feed.Period, feed.ContentHash);
        var outcome = await starter.StartAsync(
            client, nameof(ProcessFeedOrchestration.ProcessFeed), instanceId, feed, restartFinished: false, cancellationToken, claimedAt: landedAt)
            .ConfigureAwait(false);
        // The starter logs a start itself; the other outcomes are what a duplicate usually gets, said as they are.
        if (outcome != StartOutcome.Started)
        {
            LogNotStarted(logger, instanceId, outcome == StartOutcome.Running ? "running" : "finished");
        }

        return outcome == StartOutcome.Started;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{InstanceId} exists and is {State}; not started again")]
    private static partial void LogNotStarted(ILogger logger, string instanceId, string state);
}
