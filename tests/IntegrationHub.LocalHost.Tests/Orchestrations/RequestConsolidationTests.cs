using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using IntegrationHub.Core;
using IntegrationHub.Functions.Consolidation;
using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Functions.Publishing;
using IntegrationHub.Functions.Storage;
using IntegrationHub.LocalHost.Tests.Support;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.LocalHost.Tests.Orchestrations;

/// <summary>
/// The real RequestConsolidation activity, on a real Azurite, asking the in-memory Durable host whose ConsolidatePeriod
/// (the real orchestrator, scripted steps) runs or not: feeds of one period asking at once get one run between them.
/// </summary>
public sealed class RequestConsolidationTests
{
    private const string Period = "2024-Q2";
    private static readonly string InstanceId = InstanceIds.Consolidation(Period);

    // The test runner builds regexes before test code runs; see the Core tests' TestCore for why this is opted out here.
    private static readonly Lazy<HubCore> Core = new(() => new HubCore(requireRegexTimeout: false));

    // The ledger as the running consolidation read it: the asking feed's generation is in it.
    private static Dictionary<string, long> Generations() => new(StringComparer.Ordinal) { ["2024"] = 8, ["2020"] = 3 };

    [Fact]
    public async Task RequestConsolidation_WhileThePeriodsRunIsBuilding_IsPendingAndStartsNoSecondRun()
    {
        using var building = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        var activities = Consolidation(building, release);
        using var azurite = await AzuriteInstance.StartAsync();
        await using var hub = await HubOrchestrations.StartAsync(activities);
        var steps = await StepsOn(azurite.Blobs, azurite.Queues);
        await hub.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(ConsolidatePeriodOrchestration.ConsolidatePeriod), new ConsolidationInput(Period), new StartOrchestrationOptions(InstanceId));
        Assert.True(await building.WaitAsync(TimeSpan.FromSeconds(30)), "the consolidation never reached its build");
        var running = (await hub.Client.GetInstanceAsync(InstanceId))!;

        ConsolidationProgress progress;
        try
        {
            progress = await steps.RequestConsolidation(new ConsolidationRequest(Period, 2024, 8), hub.Client, CancellationToken.None);

            var meanwhile = (await hub.Client.GetInstanceAsync(InstanceId))!;
            Assert.Equal(OrchestrationRuntimeStatus.Running, meanwhile.RuntimeStatus);
            Assert.Equal(running.CreatedAt, meanwhile.CreatedAt);
        }
        finally
        {
            release.Release();
        }

        Assert.Equal(new ConsolidationProgress(Period, ConsolidationState.Pending, null, null), progress);
        var run = await hub.WaitForEndAsync(InstanceId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(1, run.ReadOutputAs<ConsolidationResult>()!.Runs);
        Assert.Single(activities.CallsOf(nameof(ConsolidationActivities.BuildDataset)));
    }

    [Fact]
    public async Task RequestConsolidation_NoRunOfThePeriod_StartsOneThatBuilds()
    {
        // The contrast: the same request with nothing running starts the period's run itself.
        using var building = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(1);
        var activities = Consolidation(building, release);
        using var azurite = await AzuriteInstance.StartAsync();
        await using var hub = await HubOrchestrations.StartAsync(activities);
        var steps = await StepsOn(azurite.Blobs, azurite.Queues);

        var progress = await steps.RequestConsolidation(new ConsolidationRequest(Period, 2024, 8), hub.Client, CancellationToken.None);

        Assert.Equal(new ConsolidationProgress(Period, ConsolidationState.Pending, null, null), progress);
        var run = await hub.WaitForEndAsync(InstanceId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(Period, Assert.Single(activities.InputsOf<BuildRequest>(nameof(ConsolidationActivities.BuildDataset))).Period);
    }

    /// <summary>The period's run with its build held at <paramref name="building"/> until <paramref name="release"/> lets it go.</summary>
    private static ScriptedActivities Consolidation(SemaphoreSlim building, SemaphoreSlim release) => new ScriptedActivities()
        .On<string, Dictionary<string, long>>(nameof(ConsolidationActivities.ReadLedgerGenerations), _ => Generations())
        .On<BuildRequest, BuiltDataset>(nameof(ConsolidationActivities.BuildDataset), request =>
        {
            building.Release();
            if (!release.Wait(TimeSpan.FromSeconds(60)))
            {
                throw new TimeoutException("The test never let the build finish.");
            }

            return new BuiltDataset(request.Period, 3, new string('a', 64), false, null, 0);
        })
        .On<PointerMove, Dictionary<string, long>>(nameof(ConsolidationActivities.MoveLatest), _ => [])
        .On<FeedsIncluded, int>(nameof(ConsolidationActivities.WakeIncludedFeeds), _ => 0);

    /// <summary>The app's consolidation activities on this Azurite, its containers made as the host makes them at start-up.</summary>
    private static async Task<ConsolidationActivities> StepsOn(BlobServiceClient blobs, QueueServiceClient queues)
    {
        var feeds = new FeedStore(blobs);
        await HubStorageInitializer.EnsureContainersAsync(blobs, CancellationToken.None);
        var publisher = new QueueDatasetPublisher(queues, blobs, Core.Value.Reference.Subscribers.Subscribers, NullLogger<QueueDatasetPublisher>.Instance);
        return new ConsolidationActivities(
            Core.Value, new PeriodLedger(blobs), feeds, new DatasetStore(blobs), publisher,
            new OrchestrationStarter(blobs, TimeProvider.System, NullLogger<OrchestrationStarter>.Instance), TimeProvider.System,
            Options.Create(new PublishingOptions()), NullLogger<ConsolidationActivities>.Instance);
    }
}
