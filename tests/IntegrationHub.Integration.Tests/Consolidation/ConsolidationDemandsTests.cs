using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using IntegrationHub.Core;
using IntegrationHub.Functions.Consolidation;
using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Functions.Publishing;
using IntegrationHub.Functions.Storage;
using IntegrationHub.Integration.Tests.Durable;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Integration.Tests.Consolidation;

/// <summary>
/// No feed is left out of every data set, though no feed waits for one: a feed recorded in the ledger and handed over
/// at any point of a running consolidation is taken in by a build that starts after it. The real ConsolidatePeriod on
/// the in-memory Durable host, with the real hand-over steps (demand, ledger, inclusion records) on a real Azurite;
/// only the build, the pointer and the announcement are scripted.
/// </summary>
public sealed class ConsolidationDemandsTests
{
    private const string Period = "2024-Q2";
    private static readonly string InstanceId = InstanceIds.Consolidation(Period);

    // The test runner builds regexes before test code runs; see the Core tests' TestCore for why this is opted out here.
    private static readonly Lazy<HubCore> Core = new(() => new HubCore(requireRegexTimeout: false));

    public static TheoryData<string> Points => new()
    {
        "begin: before the demand is read",
        "begin: after the ledger is read",
        "building",
        "after the pointer moved",
        "after the inclusion record",
        "announcing",
        "finish: before the demand is read",
        "finish: after the period was given up, before the run ends",
    };

    [Theory]
    [MemberData(nameof(Points))]
    public async Task FeedHandedOverAtAnyPointOfARun_IsTakenInByALaterBuild_AndTheBurstCostsAtMostOneMoreRun(string point)
    {
        using var azurite = await AzuriteInstance.StartAsync();
        var blobs = azurite.Blobs;
        await HubStorageInitializer.EnsureContainersAsync(blobs, CancellationToken.None);
        var ledger = new PeriodLedger(blobs);
        var records = new ConsolidationRecords(blobs);
        var demands = new ConsolidationDemands(
            records, new OrchestrationStarter(blobs, TimeProvider.System, NullLogger<OrchestrationStarter>.Instance),
            Options.Create(new PublishingOptions()), NullLogger<ConsolidationDemands>.Instance);
        var steps = StepsOn(blobs, azurite.Queues, records, demands);

        DurableTaskClient? client = null;
        Task? injection = null;
        var injectedGeneration = 0L;
        void At(string here, bool inBackground = false)
        {
            if (here != point || injection is not null)
            {
                return;
            }

            // Another feed, recorded and handed over exactly here, as its own run would do it.
            injection = Task.Run(async () =>
            {
                injectedGeneration = (await RecordAsync(ledger, "power-grid-2024-05-r0-00000000000000b2")).Generation;
                await demands.RequestAsync(client!, Period, CancellationToken.None);
            });
            if (!inBackground)
            {
                injection.GetAwaiter().GetResult();
            }
        }

        var builds = new List<BuildRequest>();
        var activities = new ScriptedActivities()
            .On<string, ConsolidationStart>(nameof(ConsolidationActivities.BeginConsolidation), period =>
            {
                At("begin: before the demand is read");
                var start = steps.BeginConsolidation(period, CancellationToken.None).GetAwaiter().GetResult();
                At("begin: after the ledger is read");
                return start;
            })
            .On<BuildRequest, BuiltDataset>(nameof(ConsolidationActivities.BuildDataset), request =>
            {
                At("building");
                lock (builds)
                {
                    builds.Add(request);
                    return new BuiltDataset(request.Period, builds.Count, new string('a', 64), true, null, 1);
                }
            })
            .On<PointerMove, Dictionary<string, long>>(nameof(ConsolidationActivities.MoveLatest), _ =>
            {
                At("after the pointer moved");
                return [];
            })
            .On<FeedsIncluded, object?>(nameof(ConsolidationActivities.RecordInclusion), included =>
            {
                steps.RecordInclusion(included, CancellationToken.None).GetAwaiter().GetResult();
                At("after the inclusion record");
                return null;
            })
            .On<PublishRequest, object?>(nameof(ConsolidationActivities.PublishDataset), _ =>
            {
                At("announcing");
                return null;
            })
            .On<ConsolidationFinish, long?>(nameof(ConsolidationActivities.FinishConsolidation), finish =>
            {
                At("finish: before the demand is read");
                var again = steps.FinishConsolidation(finish, CancellationToken.None).GetAwaiter().GetResult();
                // The other feed is another process: it must not wait for this step, which its start would wait for.
                At("finish: after the period was given up, before the run ends", inBackground: again is null);
                return again;
            });
        await using var hub = await HubOrchestrations.StartAsync(activities);
        client = hub.Client;

        // The first feed, recorded and handed over: it starts the period's run.
        await RecordAsync(ledger, "power-grid-2024-04-r0-00000000000000a1");
        Assert.Equal(DemandOutcome.Started, await demands.RequestAsync(client, Period, CancellationToken.None));

        await WaitUntilSettledAsync(hub, records, () => injection);
        Assert.NotNull(injection);
        await injection;
        Assert.True(injectedGeneration > 0);
        lock (builds)
        {
            Assert.Contains(builds, b => b.LedgerGenerations["2024"] >= injectedGeneration);
            Assert.InRange(builds.Count, 1, 2);
        }

        var (demand, _) = await records.ReadDemandAsync(Period, CancellationToken.None);
        Assert.False(demand.Running, "The period is still owned after its last run ended.");
        Assert.Equal(2, demand.Requests);

        // The inclusion records say which run took the injected feed in.
        var inclusions = await records.ListInclusionsAsync(Period, CancellationToken.None);
        Assert.Contains(inclusions, i => i.Covers(2024, injectedGeneration));
    }

    private static Task<LedgerEntry> RecordAsync(PeriodLedger ledger, string feedId) =>
        ledger.RecordAsync(
            2024, new LedgerEntry(feedId, "power-grid", feedId[11..18], 0, "1.1", $"power-grid/{feedId[11..18]}/{feedId}.json", 0), CancellationToken.None);

    /// <summary>Until the injection has happened, the period's run has ended and nobody owns the period any more.</summary>
    private static async Task WaitUntilSettledAsync(HubOrchestrations hub, ConsolidationRecords records, Func<Task?> injection)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (DateTimeOffset.UtcNow < deadline)
        {
            var instance = await hub.Client.GetInstanceAsync(InstanceId);
            var (demand, _) = await records.ReadDemandAsync(Period, CancellationToken.None);
            if (injection() is { IsCompleted: true } && instance is { IsCompleted: true } && !demand.Running)
            {
                Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{InstanceId} did not settle within 60 s.");
    }

    private static ConsolidationActivities StepsOn(
        BlobServiceClient blobs, QueueServiceClient queues, ConsolidationRecords records, ConsolidationDemands demands)
    {
        var publisher = new QueueDatasetPublisher(queues, blobs, Core.Value.Reference.Subscribers.Subscribers, NullLogger<QueueDatasetPublisher>.Instance);
        return new ConsolidationActivities(
            Core.Value, new PeriodLedger(blobs), new FeedStore(blobs), new DatasetStore(blobs), records, demands, publisher, TimeProvider.System,
            NullLogger<ConsolidationActivities>.Instance);
    }
}
