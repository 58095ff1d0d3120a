using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Intake;

/// <summary>Starts a feed's <see cref="ProcessFeedOrchestration"/> under its deterministic instance id.</summary>
public sealed partial class FeedProcessing(ILogger<FeedProcessing> logger)
{
    /// <returns>True when this call started the run; false when a run of this feed exists already.</returns>
    public async Task<bool> EnsureStartedAsync(DurableTaskClient client, FeedRef feed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(feed);
        var instanceId = InstanceIds.Feed(feed.Source, feed.Period, feed.ContentHash);
        if (await client.GetInstanceAsync(instanceId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(ProcessFeedOrchestration.ProcessFeed), feed, new StartOrchestrationOptions(instanceId), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Grpc.Core.RpcException)
        {
            // A concurrent receiver of the same bytes started it first; the run is the same either way.
            LogAlreadyStarted(logger, instanceId, ex.Message);
            return false;
        }

        LogStarted(logger, instanceId);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Processing of feed started as {InstanceId}")]
    private static partial void LogStarted(ILogger logger, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Processing {InstanceId} was started by another receiver: {Reason}")]
    private static partial void LogAlreadyStarted(ILogger logger, string instanceId, string reason);
}
