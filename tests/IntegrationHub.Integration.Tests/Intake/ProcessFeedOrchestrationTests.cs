using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Integration.Tests.Durable;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask;

namespace IntegrationHub.Integration.Tests.Intake;

/// <summary>ProcessFeed on the in-memory Durable host: a judged feed recorded and handed to its consolidations, once.</summary>
public sealed class ProcessFeedOrchestrationTests
{
    // A power-grid month feed: it feeds the data sets of its quarter and its year (DatasetPeriods.AffectedBy).
    private const string FeedId = "power-grid-2024-06-r0-5e884898da280471";
    private static readonly FeedRef Feed = new("power-grid", "2024-06", "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8", FeedId);
    private static readonly LedgerRecord Recorded = new(FeedId, 2024, 17, ["2024-Q2", "2024"]);
    private static readonly string InstanceId = InstanceIds.Feed(Feed.Source, Feed.Period, Feed.ContentHash);

    [Fact]
    public async Task ProcessFeed_AcceptedFeed_RecordsAndHandsOverInOneStepAndEndsWithoutWaitingForTheDataSets()
    {
        var activities = new ScriptedActivities().On<FeedRef, FeedRecorded>(
            nameof(ProcessFeedActivities.RecordFeed),
            _ => new FeedRecorded(FeedId, false, Recorded, new Dictionary<string, string> { ["2024-Q2"] = "Started", ["2024"] = "Joined" }));
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(nameof(ProcessFeedOrchestration.ProcessFeed), Feed, InstanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        var result = run.ReadOutputAs<ProcessFeedResult>()!;
        Assert.Equal(FeedOutcome.Recorded, result.Outcome);
        Assert.Equal(["2024-Q2", "2024"], result.Periods);
        Assert.Equal("handed to consolidation", HubOrchestrations.Stage(run));
        // No validation, no looks, no timers: one activity, with the feed as intake judged it.
        Assert.Equal([nameof(ProcessFeedActivities.RecordFeed)], activities.Names);
        Assert.Equal(Feed, Assert.Single(activities.InputsOf<FeedRef>(nameof(ProcessFeedActivities.RecordFeed))));
    }

    [Fact]
    public async Task ProcessFeed_BytesOfAnOlderBuildTurnOutInvalid_EndsQuarantined()
    {
        var activities = new ScriptedActivities().On<FeedRef, FeedRecorded>(
            nameof(ProcessFeedActivities.RecordFeed), _ => new FeedRecorded(FeedId, true, null, new Dictionary<string, string>()));
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(nameof(ProcessFeedOrchestration.ProcessFeed), Feed with { FeedId = null }, InstanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(FeedOutcome.Quarantined, run.ReadOutputAs<ProcessFeedResult>()!.Outcome);
        Assert.Equal("quarantined", HubOrchestrations.Stage(run));
    }

    [Fact]
    public async Task ProcessFeed_RecordingFails_FailsWithTheStepsMessage()
    {
        var activities = new ScriptedActivities().On<FeedRef, FeedRecorded>(
            nameof(ProcessFeedActivities.RecordFeed), _ => throw new InvalidDataException("Normalised feed normalized/x.json is unreadable"));
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(nameof(ProcessFeedOrchestration.ProcessFeed), Feed, InstanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Contains("normalized/x.json is unreadable", run.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
    }
}
