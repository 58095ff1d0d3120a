using IntegrationHub.Functions.Consolidation;
using IntegrationHub.Functions.Intake;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.LocalHost.Tests.Orchestrations;

/// <summary>ProcessFeed on the in-memory Durable host: a landed feed from verdict to the data sets that include it.</summary>
public sealed class ProcessFeedOrchestrationTests
{
    // A power-grid month feed: it feeds the data sets of its quarter and its year (DatasetPeriods.AffectedBy).
    private static readonly FeedRef Feed = new("power-grid", "2024-06", "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8");
    private const string FeedId = "power-grid-2024-06-r0-5e884898da280471";
    private const string NormalisedBlob = "power-grid/2024-06/power-grid-2024-06-r0-5e884898da280471.json";
    private static readonly LedgerRecord Recorded = new(FeedId, 2024, 17, ["2024-Q2", "2024"]);
    private static readonly string InstanceId = InstanceIds.Feed(Feed.Source, Feed.Period, Feed.ContentHash);

    private static ScriptedActivities AcceptedFeed(Func<ConsolidationRequest, int, ConsolidationProgress> consolidation)
    {
        var asked = new Dictionary<string, int>(StringComparer.Ordinal);
        return new ScriptedActivities()
            .On<FeedRef, FeedVerdict>(nameof(ProcessFeedActivities.ValidateFeed), _ => new FeedVerdict(FeedId, true, 0, 2))
            .On<FeedRef, string>(nameof(ProcessFeedActivities.NormaliseFeed), _ => NormalisedBlob)
            .On<string, LedgerRecord>(nameof(ProcessFeedActivities.RecordInLedger), _ => Recorded)
            .On<ConsolidationRequest, ConsolidationProgress>(nameof(ConsolidationActivities.RequestConsolidation), request =>
            {
                lock (asked)
                {
                    asked[request.Period] = asked.GetValueOrDefault(request.Period) + 1;
                    return consolidation(request, asked[request.Period]);
                }
            })
            .On<ConsolidatedFeed>(nameof(ProcessFeedActivities.MarkConsolidated));
    }

    [Fact]
    public async Task ProcessFeed_FeedRejected_CompletesQuarantinedWithoutNormalisingOrRecording()
    {
        var activities = new ScriptedActivities()
            .On<FeedRef, FeedVerdict>(nameof(ProcessFeedActivities.ValidateFeed), _ => new FeedVerdict(FeedId, false, 3, 1))
            .On<FeedRef, string>(nameof(ProcessFeedActivities.NormaliseFeed), _ => NormalisedBlob)
            .On<string, LedgerRecord>(nameof(ProcessFeedActivities.RecordInLedger), _ => Recorded)
            .On<ConsolidationRequest, ConsolidationProgress>(
                nameof(ConsolidationActivities.RequestConsolidation), r => new ConsolidationProgress(r.Period, ConsolidationState.Included, 1, null))
            .On<ConsolidatedFeed>(nameof(ProcessFeedActivities.MarkConsolidated));
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(nameof(ProcessFeedOrchestration.ProcessFeed), Feed, InstanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        var result = run.ReadOutputAs<ProcessFeedResult>()!;
        Assert.Equal(FeedId, result.FeedId);
        Assert.Equal(FeedOutcome.Quarantined, result.Outcome);
        Assert.Empty(result.DatasetVersions);
        Assert.Equal("quarantined", HubOrchestrations.Stage(run));
        Assert.Equal([nameof(ProcessFeedActivities.ValidateFeed)], activities.Names);
    }

    [Fact]
    public async Task ProcessFeed_AcceptedFeed_WaitsOnDurableTimersUntilEveryPeriodIncludesItThenMarksItConsolidated()
    {
        // The year's data set already includes generation 17; the quarter's consolidation is still running twice.
        var activities = AcceptedFeed((request, asked) => request.Period switch
        {
            "2024" => new ConsolidationProgress("2024", ConsolidationState.Included, 4, null),
            _ when asked < 3 => new ConsolidationProgress(request.Period, ConsolidationState.Pending, null, null),
            _ => new ConsolidationProgress(request.Period, ConsolidationState.Included, 9, null),
        });
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(nameof(ProcessFeedOrchestration.ProcessFeed), Feed, InstanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        var result = run.ReadOutputAs<ProcessFeedResult>()!;
        Assert.Equal(FeedId, result.FeedId);
        Assert.Equal(FeedOutcome.Consolidated, result.Outcome);
        Assert.Equal(["2024/v4", "2024-Q2/v9"], result.DatasetVersions);
        Assert.Equal("consolidated", HubOrchestrations.Stage(run));

        Assert.Equal(
            [
                nameof(ProcessFeedActivities.ValidateFeed), nameof(ProcessFeedActivities.NormaliseFeed), nameof(ProcessFeedActivities.RecordInLedger),
                nameof(ConsolidationActivities.RequestConsolidation), nameof(ConsolidationActivities.RequestConsolidation),
                nameof(ConsolidationActivities.RequestConsolidation), nameof(ConsolidationActivities.RequestConsolidation),
                nameof(ProcessFeedActivities.MarkConsolidated),
            ],
            activities.Names);
        Assert.Equal(Feed, Assert.Single(activities.InputsOf<FeedRef>(nameof(ProcessFeedActivities.ValidateFeed))));
        Assert.Equal(Feed, Assert.Single(activities.InputsOf<FeedRef>(nameof(ProcessFeedActivities.NormaliseFeed))));
        Assert.Equal(NormalisedBlob, Assert.Single(activities.InputsOf<string>(nameof(ProcessFeedActivities.RecordInLedger))));

        // Each request asks for the feed's own ledger year and generation; the included year is not asked again.
        var requests = activities.InputsOf<ConsolidationRequest>(nameof(ConsolidationActivities.RequestConsolidation));
        Assert.Equal(
            [new("2024-Q2", 2024, 17), new("2024", 2024, 17), new("2024-Q2", 2024, 17), new("2024-Q2", 2024, 17)],
            requests);

        // Between the quarter's looks the run slept on durable timers of 1 s, then 2 s.
        var quarterLooks = activities.CallsOf(nameof(ConsolidationActivities.RequestConsolidation))
            .Where(c => ((ConsolidationRequest)c.Input!).Period == "2024-Q2").Select(c => c.At).ToList();
        Assert.InRange((quarterLooks[1] - quarterLooks[0]).TotalSeconds, 0.9, 10);
        Assert.InRange((quarterLooks[2] - quarterLooks[1]).TotalSeconds, 1.9, 10);

        var marked = Assert.Single(activities.InputsOf<ConsolidatedFeed>(nameof(ProcessFeedActivities.MarkConsolidated)));
        Assert.Equal(Feed.Source, marked.Source);
        Assert.Equal(Feed.ContentHash, marked.ContentHash);
        Assert.Equal(["2024/v4", "2024-Q2/v9"], marked.DatasetVersions);
    }

    [Fact]
    public async Task ProcessFeed_NewsOfTheVersionThatIncludesIt_FinishesThatPeriodWithoutLookingAgain()
    {
        // The quarter's data set never says "included" when asked: only the consolidation's news can finish the feed.
        var activities = AcceptedFeed((request, _) => request.Period == "2024"
            ? new ConsolidationProgress("2024", ConsolidationState.Included, 4, null)
            : new ConsolidationProgress(request.Period, ConsolidationState.Pending, null, null));
        await using var hub = await HubOrchestrations.StartAsync(activities);
        await hub.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ProcessFeedOrchestration.ProcessFeed), Feed, new StartOrchestrationOptions { InstanceId = InstanceId });

        // Three looks at the quarter: the feed now sleeps 4 s before the next one.
        var asked = await QuarterLooksAsync(activities, 3);
        await hub.Client.RaiseEventAsync(InstanceId, ProcessFeedOrchestration.IncludedEvent, "2024-Q2/v9");
        var run = await hub.WaitForEndAsync(InstanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(["2024/v4", "2024-Q2/v9"], run.ReadOutputAs<ProcessFeedResult>()!.DatasetVersions);
        Assert.Equal(asked, QuarterLooks(activities));
        Assert.Equal(["2024/v4", "2024-Q2/v9"], Assert.Single(activities.InputsOf<ConsolidatedFeed>(nameof(ProcessFeedActivities.MarkConsolidated))).DatasetVersions);
    }

    [Fact]
    public async Task ProcessFeed_NewsWithoutAVersion_MakesTheFeedLookAtOnce()
    {
        // A consolidation started before versions were sent says only the period: the feed asks the data set itself.
        var activities = AcceptedFeed((request, asked) => request.Period == "2024" || asked > 3
            ? new ConsolidationProgress(request.Period, ConsolidationState.Included, request.Period == "2024" ? 4 : 9, null)
            : new ConsolidationProgress(request.Period, ConsolidationState.Pending, null, null));
        await using var hub = await HubOrchestrations.StartAsync(activities);
        await hub.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ProcessFeedOrchestration.ProcessFeed), Feed, new StartOrchestrationOptions { InstanceId = InstanceId });

        await QuarterLooksAsync(activities, 3);
        var raised = DateTimeOffset.UtcNow;
        await hub.Client.RaiseEventAsync(InstanceId, ProcessFeedOrchestration.IncludedEvent, "2024-Q2");
        var run = await hub.WaitForEndAsync(InstanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(["2024/v4", "2024-Q2/v9"], run.ReadOutputAs<ProcessFeedResult>()!.DatasetVersions);
        Assert.Equal(4, QuarterLooks(activities));

        // The fourth look came with the news, not with the 4 s timer the feed was sleeping on.
        var fourth = activities.CallsOf(nameof(ConsolidationActivities.RequestConsolidation)).Where(c => ((ConsolidationRequest)c.Input!).Period == "2024-Q2").Last();
        Assert.InRange((fourth.At - raised).TotalSeconds, -1, 2.5);
    }

    private static int QuarterLooks(ScriptedActivities activities) =>
        activities.InputsOf<ConsolidationRequest>(nameof(ConsolidationActivities.RequestConsolidation)).Count(r => r.Period == "2024-Q2");

    private static async Task<int> QuarterLooksAsync(ScriptedActivities activities, int atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (QuarterLooks(activities) < atLeast)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The feed looked at its quarter {QuarterLooks(activities)} time(s) in 30 s.");
            await Task.Delay(20);
        }

        return QuarterLooks(activities);
    }

    [Fact]
    public async Task ProcessFeed_ConsolidationFailed_FailsNamingThePeriodAndTheFeed()
    {
        const string Detail = "Data set 2024-Q2 v9 does not conform to its schema";
        var activities = AcceptedFeed((request, _) => request.Period == "2024-Q2"
            ? new ConsolidationProgress(request.Period, ConsolidationState.Failed, null, Detail)
            : new ConsolidationProgress(request.Period, ConsolidationState.Included, 4, null));
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(nameof(ProcessFeedOrchestration.ProcessFeed), Feed, InstanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        var failure = run.FailureDetails!;
        Assert.Contains("2024-Q2", failure.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(FeedId, failure.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(Detail, failure.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(activities.CallsOf(nameof(ProcessFeedActivities.MarkConsolidated)));
    }
}
