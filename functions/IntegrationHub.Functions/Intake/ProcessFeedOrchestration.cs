using IntegrationHub.Functions.Consolidation;
using IntegrationHub.Functions.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace IntegrationHub.Functions.Intake;

/// <summary>
/// One landed feed, from verdict to data set: validate (or quarantine), normalise, record in the period ledger,
/// then make sure every data set it feeds into includes it. Deterministic: no clock, I/O or randomness here.
/// </summary>
public static class ProcessFeedOrchestration
{
    /// <summary>How often a feed looks whether its data sets include it (waits of 1, 2, 4 ... 64 s, then 120 s: about 16 minutes in all) before its run fails for ops to look at.</summary>
    public const int MaxPolls = 14;

    /// <summary>
    /// The longest wait between two looks. The consolidation wakes the feeds it includes (<see cref="IncludedEvent"/>),
    /// so later looks are only the safety net. Every look is an activity in the one work-item queue the consolidation's
    /// own steps wait in: with a backlog of a thousand waiting feeds, waits of 10 or even 30 s made more looks a second
    /// than the worker runs activities, and the consolidation they waited for never got its turn (local-dev/perf/load.sh).
    /// </summary>
    public static readonly TimeSpan MaxPollInterval = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Raised to a waiting feed by the consolidation that included it (<see cref="ConsolidationActivities.WakeIncludedFeeds"/>):
    /// it looks at once instead of at the end of its wait. The looks stay, for an event that comes too early or never.
    /// </summary>
    public const string IncludedEvent = "included";

    [Function(nameof(ProcessFeed))]
    public static async Task<ProcessFeedResult> ProcessFeed([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var feed = context.GetInput<FeedRef>() ?? throw new InvalidOperationException("ProcessFeed needs a FeedRef input.");

        context.SetCustomStatus(new { stage = "validating", feed.Source, feed.Period });
        var verdict = await context.CallActivityAsync<FeedVerdict>(nameof(ProcessFeedActivities.ValidateFeed), feed, ActivityRetry.Default);
        if (!verdict.Accepted)
        {
            context.SetCustomStatus(new { stage = "quarantined", verdict.FeedId, verdict.Errors });
            return new ProcessFeedResult(verdict.FeedId, FeedOutcome.Quarantined, []);
        }

        context.SetCustomStatus(new { stage = "normalising", verdict.FeedId });
        var normalised = await context.CallActivityAsync<string>(nameof(ProcessFeedActivities.NormaliseFeed), feed, ActivityRetry.Default);
        var record = await context.CallActivityAsync<LedgerRecord>(nameof(ProcessFeedActivities.RecordInLedger), normalised, ActivityRetry.Default);

        context.SetCustomStatus(new { stage = "consolidating", verdict.FeedId, periods = record.AffectedPeriods });
        var versions = await WaitUntilIncludedAsync(context, record);
        await context.CallActivityAsync(nameof(ProcessFeedActivities.MarkConsolidated), new ConsolidatedFeed(feed.Source, feed.ContentHash, versions), ActivityRetry.Default);

        context.SetCustomStatus(new { stage = "consolidated", verdict.FeedId, datasets = versions });
        return new ProcessFeedResult(verdict.FeedId, FeedOutcome.Consolidated, versions);
    }

    /// <summary>
    /// Starts (or joins) each period's consolidation and looks until the period's data set includes this feed's ledger
    /// generation, waking early when the consolidation says so. Looking at the data set's own record, rather than
    /// trusting the event alone, means no notification can be lost between a consolidation finishing and the next one
    /// being asked for.
    /// </summary>
    private static async Task<IReadOnlyList<string>> WaitUntilIncludedAsync(TaskOrchestrationContext context, LedgerRecord record)
    {
        var pending = new List<string>(record.AffectedPeriods);
        var included = new List<string>();
        var delay = TimeSpan.FromSeconds(1);
        for (var poll = 1; poll <= MaxPolls; poll++)
        {
            foreach (var period in pending.ToList())
            {
                var progress = await context.CallActivityAsync<ConsolidationProgress>(
                    nameof(ConsolidationActivities.RequestConsolidation), new ConsolidationRequest(period, record.Year, record.Generation), ActivityRetry.Default);
                switch (progress.State)
                {
                    case ConsolidationState.Included:
                        included.Add($"{period}/v{progress.Version}");
                        pending.Remove(period);
                        break;
                    case ConsolidationState.Failed:
                        throw new InvalidOperationException($"Consolidation of {period} failed, so feed {record.FeedId} is not in its data set: {progress.Detail}");
                }
            }

            if (pending.Count == 0)
            {
                return included;
            }

            if (poll == MaxPolls)
            {
                break;
            }

            // News naming a data-set version comes from the consolidation that moved `latest` to it, which includes this
            // feed: the period is done without asking. Waiting for the rest goes on within the same wait, so news
            // about one period does not cost a look at every other.
            var waitUntil = context.CurrentUtcDateTime + delay;
            while (pending.Count > 0 && context.CurrentUtcDateTime < waitUntil)
            {
                string news;
                try
                {
                    news = await context.WaitForExternalEvent<string>(IncludedEvent, waitUntil - context.CurrentUtcDateTime);
                }
                catch (OperationCanceledException)
                {
                    // The wait ran out without news: look anyway.
                    break;
                }

                if (!IncludedNews.TryRead(news, out var period, out var version))
                {
                    // News without a version, from a run from before versions were sent: look now.
                    break;
                }

                // News about a period found included by a look already is old news.
                if (pending.Remove(period))
                {
                    included.Add(IncludedNews.Of(period, version));
                }
            }

            if (pending.Count == 0)
            {
                return included;
            }

            delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, MaxPollInterval.TotalSeconds));
        }

        throw new TimeoutException($"Feed {record.FeedId} is still not in the data sets of {string.Join(", ", pending)} after {MaxPolls} looks.");
    }
}
