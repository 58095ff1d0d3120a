using IntegrationHub.Functions.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace IntegrationHub.Functions.Pull;

/// <summary>Fetches one department period with retries, lands it, and hands it to the same processing as a push.</summary>
public static class PullFeedOrchestration
{
    [Function(nameof(PullFeed))]
    public static async Task<PullResult> PullFeed([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<PullInput>() ?? throw new InvalidOperationException("PullFeed needs a PullInput.");

        // A refusal (not configured, host not allowed, too large) will not change by asking again.
        var retry = ActivityRetry.WithBackoff(input.MaxAttempts, input.FirstRetryIntervalSeconds, typeof(PullRefusedException));

        context.SetCustomStatus(new { stage = "fetching", input.Source, input.Period });
        var fetched = await context.CallActivityAsync<FetchedFeed>(
            nameof(PullActivities.FetchFeed), new FetchRequest(input.Source, input.Period), retry);
        if (fetched.AlreadyDecided)
        {
            context.SetCustomStatus(new { stage = "unchanged", input.Source, input.Period });
            return new PullResult(input.Source, input.Period, PullOutcome.Unchanged, fetched.ContentHash, null);
        }

        // The fetch went the way a push goes, so the feed's processing does not depend on how it arrived and ops see
        // one kind of run per feed: judged, landed, and (when accepted) its own ProcessFeed run started.
        if (fetched.Accepted == false)
        {
            context.SetCustomStatus(new { stage = "quarantined", input.Source, input.Period, fetched.FeedId });
            return new PullResult(input.Source, input.Period, PullOutcome.Quarantined, fetched.ContentHash, null);
        }

        context.SetCustomStatus(new { stage = "handed to processing", input.Source, input.Period, processing = fetched.ProcessingInstanceId });
        return new PullResult(input.Source, input.Period, PullOutcome.Received, fetched.ContentHash, fetched.ProcessingInstanceId);
    }
}
