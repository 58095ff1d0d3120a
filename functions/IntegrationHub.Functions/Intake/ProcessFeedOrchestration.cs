using IntegrationHub.Functions.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace IntegrationHub.Functions.Intake;

/// <summary>
/// One accepted feed, from its landing to its consolidations: recorded in its year's ledger and handed to the
/// consolidation of every data set it feeds, in one step. It does not wait for them: the consolidation records what
/// it took in, and the feed's status is read from there. Deterministic: no clock, I/O or randomness here.
/// </summary>
public static class ProcessFeedOrchestration
{
    [Function(nameof(ProcessFeed))]
    public static async Task<ProcessFeedResult> ProcessFeed([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var feed = context.GetInput<FeedRef>() ?? throw new InvalidOperationException("ProcessFeed needs a FeedRef input.");

        context.SetCustomStatus(new { stage = "recording", feed.Source, feed.Period, feed.FeedId });
        var recorded = await context.CallActivityAsync<FeedRecorded>(nameof(ProcessFeedActivities.RecordFeed), feed, ActivityRetry.Default);
        if (recorded.Quarantined || recorded.Ledger is null)
        {
            // Only bytes an older build landed without judging them can get here and turn out invalid.
            context.SetCustomStatus(new { stage = "quarantined", recorded.FeedId });
            return new ProcessFeedResult(recorded.FeedId, FeedOutcome.Quarantined, []);
        }

        context.SetCustomStatus(new { stage = "handed to consolidation", recorded.FeedId, consolidations = recorded.Consolidations });
        return new ProcessFeedResult(recorded.FeedId, FeedOutcome.Recorded, [], recorded.Ledger.AffectedPeriods);
    }
}
