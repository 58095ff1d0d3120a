using IntegrationHub.Functions.Consolidation;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Functions.Pull;
using Microsoft.DurableTask.Client;
using IntegrationHub.Functions.Durable;
using IntegrationHub.Integration.Tests.Durable;

namespace IntegrationHub.LocalHost.Tests.Hosting;

/// <summary>
/// The registrar hands orchestrators their input as raw JSON and converts it when they call GetInput&lt;T&gt;: a record
/// started through the client must reach the orchestrator, and so its activities, with the same values.
/// </summary>
public sealed class OrchestratorInputTests
{
    [Fact]
    public async Task GetInput_FeedRefStartedThroughTheClient_ReachesTheActivitiesUnchanged()
    {
        var feed =
            new FeedRef(
            "environment", "2023-Q4", "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb", "environment-2023-Q4-r1-ca978112ca1bbdca");
        var activities = new ScriptedActivities()
            .On<FeedRef, FeedRecorded>(
                nameof(ProcessFeedActivities.RecordFeed), f => new FeedRecorded(f.FeedId!, true, null, new Dictionary<string, string>()));
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(
            nameof(ProcessFeedOrchestration.ProcessFeed), feed, InstanceIds.Feed(feed.Source, feed.Period, feed.ContentHash));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        // The input travelled as the local host's camelCase JSON; GetInput<FeedRef> still bound every value.
        Assert.Contains("\"contentHash\":", run.SerializedInput, StringComparison.Ordinal);
        Assert.Equal(feed, Assert.Single(activities.InputsOf<FeedRef>(nameof(ProcessFeedActivities.RecordFeed))));
    }

    [Fact]
    public async Task GetInput_PullInputStartedThroughTheClient_ReachesTheActivitiesUnchanged()
    {
        var activities = new ScriptedActivities()
            .On<FetchRequest, FetchedFeed>(nameof(PullActivities.FetchFeed), r => new FetchedFeed(r.Source, r.Period, new string('0', 64), true));
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(nameof(PullFeedOrchestration.PullFeed), new PullInput("statistics", "2024", 3, 2), InstanceIds.Pull("statistics", "2024"));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(new FetchRequest("statistics", "2024"), Assert.Single(activities.InputsOf<FetchRequest>(nameof(PullActivities.FetchFeed))));
    }

    [Fact]
    public async Task GetInput_ConsolidationInputStartedThroughTheClient_ReachesTheActivitiesUnchanged()
    {
        var generations = new Dictionary<string, long>(StringComparer.Ordinal) { ["2020"] = 5 };
        var activities = new ScriptedActivities()
            .On<string, ConsolidationStart>(nameof(ConsolidationActivities.BeginConsolidation), _ => new ConsolidationStart(4, generations))
            .On<ConsolidationFinish, long?>(nameof(ConsolidationActivities.FinishConsolidation), _ => null)
            .On<BuildRequest, BuiltDataset>(
                nameof(ConsolidationActivities.BuildDataset), r => new BuiltDataset(r.Period, 1, new string('a', 64), false, null, 0))
            .On<PointerMove, Dictionary<string, long>>(nameof(ConsolidationActivities.MoveLatest), _ => [])
            .On<FeedsIncluded>(nameof(ConsolidationActivities.RecordInclusion));
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run =
            await hub.RunAsync(
            nameof(ConsolidatePeriodOrchestration.ConsolidatePeriod), new ConsolidationInput("2020-03"), InstanceIds.Consolidation("2020-03"));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal("2020-03", Assert.Single(activities.InputsOf<string>(nameof(ConsolidationActivities.BeginConsolidation))));
        Assert.Equal(
            new ConsolidationFinish("2020-03", 4),
            Assert.Single(activities.InputsOf<ConsolidationFinish>(nameof(ConsolidationActivities.FinishConsolidation))));
        Assert.Equal("2020-03", Assert.Single(activities.InputsOf<BuildRequest>(nameof(ConsolidationActivities.BuildDataset))).Period);
    }

    [Fact]
    public async Task GetInput_NoInput_FailsSayingWhatTheOrchestratorNeeds()
    {
        var activities = new ScriptedActivities()
            .On<FeedRef, FeedRecorded>(nameof(ProcessFeedActivities.RecordFeed), _ => new FeedRecorded("unused", true, null, new Dictionary<string, string>()));
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(nameof(ProcessFeedOrchestration.ProcessFeed), null, "feed:no-input");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Contains("ProcessFeed needs a FeedRef input.", run.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(activities.Calls);
    }
}
