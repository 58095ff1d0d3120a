using IntegrationHub.Functions.Durable;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.Functions.Intake;

/// <summary>Starts a feed's <see cref="ProcessFeedOrchestration"/> under its deterministic instance id, once.</summary>
public sealed class FeedProcessing(OrchestrationStarter starter)
{
    /// <returns>True when this call started the run; false when a run of this feed exists or is being started.</returns>
    public async Task<bool> EnsureStartedAsync(DurableTaskClient client, FeedRef feed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var outcome = await starter.StartAsync(
            client, nameof(ProcessFeedOrchestration.ProcessFeed), InstanceIds.Feed(feed.Source, feed.Period, feed.ContentHash), feed, restartFinished: false, cancellationToken)
            .ConfigureAwait(false);
        return outcome == StartOutcome.Started;
    }
}
