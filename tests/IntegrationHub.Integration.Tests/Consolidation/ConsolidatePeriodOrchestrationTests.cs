using IntegrationHub.Functions.Consolidation;
using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Integration.Tests.Durable;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.Integration.Tests.Consolidation;

/// <summary>ConsolidatePeriod on the in-memory Durable host: one period's data set built from the ledger.</summary>
public sealed class ConsolidatePeriodOrchestrationTests
{
    private const string Period = "2024-Q2";
    private const string Sha = "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b";
    private static readonly string InstanceId = InstanceIds.Consolidation(Period);

    // A 2024 data set reads the 2024 ledger and the 2020 baseline ledger.
    private static Dictionary<string, long> Generations(long year2024) => new(StringComparer.Ordinal) { ["2024"] = year2024, ["2020"] = 3 };

    private static ScriptedActivities Consolidation(
        Func<int, Dictionary<string, long>> ledgerOnRead, Func<BuildRequest, int, BuiltDataset> build, Action<int>? publish = null)
    {
        var reads = 0;
        var builds = 0;
        var publishes = 0;
        return new ScriptedActivities()
            // The demand count stands in for the 2024 ledger here: each feed recorded is one request.
            .On<string, ConsolidationStart>(nameof(ConsolidationActivities.BeginConsolidation), _ =>
            {
                var generations = ledgerOnRead(Interlocked.Increment(ref reads));
                return new ConsolidationStart(generations["2024"], generations);
            })
            .On<ConsolidationFinish, long?>(nameof(ConsolidationActivities.FinishConsolidation), finish =>
            {
                var requests = ledgerOnRead(Interlocked.Increment(ref reads))["2024"];
                return requests == finish.Requests ? null : requests;
            })
            .On<BuildRequest, BuiltDataset>(nameof(ConsolidationActivities.BuildDataset), request => build(request, Interlocked.Increment(ref builds)))
            .On<PointerMove, Dictionary<string, long>>(nameof(ConsolidationActivities.MoveLatest), _ => Generations(5))
            .On<FeedsIncluded>(nameof(ConsolidationActivities.RecordInclusion))
            .On<PublishRequest, object?>(nameof(ConsolidationActivities.PublishDataset), _ =>
            {
                publish?.Invoke(Interlocked.Increment(ref publishes));
                return null;
            });
    }

    // What the queue publisher's client throws when the queue service does not answer, after its own retries.
    private static Azure.RequestFailedException QueueServiceAway(int attempt) =>
        new($"Connection refused (127.0.0.1:10001), attempt {attempt}", new HttpRequestException("Connection refused"));

    [Fact]
    public async Task ConsolidatePeriod_NewDataset_BuildsOnceMovesLatestAndPublishes()
    {
        var activities = Consolidation(_ => Generations(12), (request, _) => new BuiltDataset(request.Period, 7, Sha, true, 6, 14));
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(nameof(ConsolidatePeriodOrchestration.ConsolidatePeriod), new ConsolidationInput(Period), InstanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(new ConsolidationResult(Period, 7, true, 1), run.ReadOutputAs<ConsolidationResult>());
        Assert.Equal(
            [
                nameof(ConsolidationActivities.BeginConsolidation), nameof(ConsolidationActivities.BuildDataset),
                nameof(ConsolidationActivities.MoveLatest), nameof(ConsolidationActivities.RecordInclusion), nameof(ConsolidationActivities.PublishDataset),
                nameof(ConsolidationActivities.FinishConsolidation),
            ],
            activities.Names);
        Assert.Equal(Period, Assert.Single(activities.InputsOf<string>(nameof(ConsolidationActivities.BeginConsolidation))));
        Assert.Equal(
            new ConsolidationFinish(Period, 12), Assert.Single(activities.InputsOf<ConsolidationFinish>(nameof(ConsolidationActivities.FinishConsolidation))));

        var build = Assert.Single(activities.InputsOf<BuildRequest>(nameof(ConsolidationActivities.BuildDataset)));
        Assert.Equal(Period, build.Period);
        Assert.Equal(Generations(12), build.LedgerGenerations);
        Assert.Equal(DateTimeKind.Utc, build.GeneratedAt.Kind);

        var move = Assert.Single(activities.InputsOf<PointerMove>(nameof(ConsolidationActivities.MoveLatest)));
        Assert.Equal((Period, 7, Sha), (move.Period, move.Version, move.Sha256));
        Assert.Equal(Generations(12), move.LedgerGenerations);
        Assert.Equal(new PublishRequest(Period, 7), Assert.Single(activities.InputsOf<PublishRequest>(nameof(ConsolidationActivities.PublishDataset))));

        // The feeds recorded since the pointer's last move (generations 6 to 12 of 2024) are recorded as taken into v7.
        var woken = Assert.Single(activities.InputsOf<FeedsIncluded>(nameof(ConsolidationActivities.RecordInclusion)));
        Assert.Equal(7, woken.Version);
        Assert.Equal(Period, woken.Period);
        Assert.Equal(Generations(5), woken.Before);
        Assert.Equal(Generations(12), woken.Generations);
    }

    [Fact]
    public async Task ConsolidatePeriod_PointerMoveRunTwice_RecordsTheFeedsAfterThePointerTheRunBeganWith()
    {
        // The move ran twice (its first answer lost with a checkpoint), so it answers the generations it had itself
        // just written (2024 at 12). The pointer held 2024 at 5 when the run began: feeds 6 to 12 are v7's.
        var activities = new ScriptedActivities()
            .On<string, ConsolidationStart>(
                nameof(ConsolidationActivities.BeginConsolidation), _ => new ConsolidationStart(12, Generations(12), Generations(5)))
            .On<ConsolidationFinish, long?>(nameof(ConsolidationActivities.FinishConsolidation), _ => null)
            .On<BuildRequest, BuiltDataset>(nameof(ConsolidationActivities.BuildDataset), request => new BuiltDataset(request.Period, 7, Sha, true, 6, 14))
            .On<PointerMove, Dictionary<string, long>>(nameof(ConsolidationActivities.MoveLatest), move => new(move.LedgerGenerations, StringComparer.Ordinal))
            .On<FeedsIncluded>(nameof(ConsolidationActivities.RecordInclusion))
            .On<PublishRequest, object?>(nameof(ConsolidationActivities.PublishDataset), _ => null);
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(nameof(ConsolidatePeriodOrchestration.ConsolidatePeriod), new ConsolidationInput(Period), InstanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        var included = Assert.Single(activities.InputsOf<FeedsIncluded>(nameof(ConsolidationActivities.RecordInclusion)));
        Assert.Equal(Generations(5), included.Before);
        Assert.Equal(Generations(12), included.Generations);
        Assert.Equal(7, included.Version);
    }

    [Fact]
    public async Task ConsolidatePeriod_NothingNewToBuild_MovesLatestWithTheGenerationsButDoesNotPublish()
    {
        var activities = Consolidation(_ => Generations(12), (request, _) => new BuiltDataset(request.Period, 6, Sha, false, null, 0));
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(nameof(ConsolidatePeriodOrchestration.ConsolidatePeriod), new ConsolidationInput(Period), InstanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        var result = run.ReadOutputAs<ConsolidationResult>()!;
        Assert.Equal((Period, 6, false), (result.Period, result.Version, result.Published));

        // The pointer records the generations consolidated even when the data set did not change.
        var move = Assert.Single(activities.InputsOf<PointerMove>(nameof(ConsolidationActivities.MoveLatest)));
        Assert.Equal(6, move.Version);
        Assert.Equal(Generations(12), move.LedgerGenerations);
        Assert.Empty(activities.CallsOf(nameof(ConsolidationActivities.PublishDataset)));
    }

    [Fact]
    public async Task ConsolidatePeriod_LedgerMovesDuringTheRun_StartsOverAndEndsWithTheLastRunsDataset()
    {
        // A feed lands in the 2024 ledger (and asks) while v7 is built: generation 12 before, 13 after; the re-run sees 13 throughout.
        var activities = Consolidation(
            read => Generations(read == 1 ? 12 : 13),
            (request, build) => new BuiltDataset(request.Period, 6 + build, Sha, true, 5 + build, 2));
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(nameof(ConsolidatePeriodOrchestration.ConsolidatePeriod), new ConsolidationInput(Period), InstanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        var result = run.ReadOutputAs<ConsolidationResult>()!;
        Assert.Equal((Period, 8, true), (result.Period, result.Version, result.Published));

        var builds = activities.InputsOf<BuildRequest>(nameof(ConsolidationActivities.BuildDataset));
        Assert.Equal(2, builds.Count);
        Assert.Equal(Generations(12), builds[0].LedgerGenerations);
        Assert.Equal(Generations(13), builds[1].LedgerGenerations);
        Assert.All(builds, b => Assert.Equal(Period, b.Period));

        // The re-run got the same input: it read the ledger of the same period.
        Assert.Equal([Period, Period], activities.InputsOf<string>(nameof(ConsolidationActivities.BeginConsolidation)));
        Assert.Equal(
            [new ConsolidationFinish(Period, 12), new ConsolidationFinish(Period, 13)],
            activities.InputsOf<ConsolidationFinish>(nameof(ConsolidationActivities.FinishConsolidation)));

        var moves = activities.InputsOf<PointerMove>(nameof(ConsolidationActivities.MoveLatest));
        Assert.Equal([7, 8], moves.Select(m => m.Version));
        Assert.Equal(Generations(13), moves[1].LedgerGenerations);
        Assert.Equal(
            [new PublishRequest(Period, 7), new PublishRequest(Period, 8)],
            activities.InputsOf<PublishRequest>(nameof(ConsolidationActivities.PublishDataset)));
    }

    [Fact]
    public async Task ConsolidatePeriod_PublisherAwayTwice_LatestMovedFirstThenAnnouncedOnTheThirdAttempt()
    {
        var activities = Consolidation(_ => Generations(12), (request, _) => new BuiltDataset(request.Period, 7, Sha, true, 6, 14),
            attempt => { if (attempt <= 2) { throw QueueServiceAway(attempt); } });
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(
            nameof(ConsolidatePeriodOrchestration.ConsolidatePeriod),
            new ConsolidationInput(Period, PublishMaxAttempts: 4, PublishFirstRetryIntervalSeconds: 1), InstanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(new ConsolidationResult(Period, 7, true, 1), run.ReadOutputAs<ConsolidationResult>());
        // The version became current before any announcement was tried, so readers had it while the publisher was away.
        Assert.Equal(
            [
                nameof(ConsolidationActivities.BeginConsolidation), nameof(ConsolidationActivities.BuildDataset), nameof(ConsolidationActivities.MoveLatest),
                nameof(ConsolidationActivities.RecordInclusion),
                nameof(ConsolidationActivities.PublishDataset), nameof(ConsolidationActivities.PublishDataset), nameof(ConsolidationActivities.PublishDataset),
                nameof(ConsolidationActivities.FinishConsolidation),
            ],
            activities.Names);
        Assert.All(activities.InputsOf<PublishRequest>(nameof(ConsolidationActivities.PublishDataset)), p => Assert.Equal(new PublishRequest(Period, 7), p));

        // Backoff: the input's first interval (1 s), doubled for the next retry.
        var attempts = activities.CallsOf(nameof(ConsolidationActivities.PublishDataset)).Select(c => c.At).ToList();
        Assert.InRange((attempts[1] - attempts[0]).TotalSeconds, 0.9, 10);
        Assert.InRange((attempts[2] - attempts[1]).TotalSeconds, 1.9, 10);
    }

    [Fact]
    public async Task ConsolidatePeriod_PublisherAwayForEveryAttempt_FailsNamingTheStoredVersionAndWhatToDo()
    {
        var activities = Consolidation(_ => Generations(12), (request, _) => new BuiltDataset(request.Period, 7, Sha, true, 6, 14),
            attempt => throw QueueServiceAway(attempt));
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(
            nameof(ConsolidatePeriodOrchestration.ConsolidatePeriod),
            new ConsolidationInput(Period, PublishMaxAttempts: 2, PublishFirstRetryIntervalSeconds: 1), InstanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        var message = run.FailureDetails!.ErrorMessage;
        Assert.Contains(
            "Data set 2024-Q2 v7 is stored and current, but announcing it failed ('PublishDataset', up to 2 attempt(s))", message, StringComparison.Ordinal);
        Assert.Contains("Connection refused (127.0.0.1:10001), attempt 2", message, StringComparison.Ordinal);
        Assert.Contains("Replay this instance", message, StringComparison.Ordinal);
        Assert.Equal(2, activities.CallsOf(nameof(ConsolidationActivities.PublishDataset)).Count);
        Assert.Single(activities.CallsOf(nameof(ConsolidationActivities.MoveLatest)));
    }

    [Fact]
    public async Task ConsolidatePeriod_CurrentVersionNeverAnnounced_AnnouncesItWithoutANewVersion()
    {
        // What a replay after a failed announcement finds: nothing new to build, the current version not announced.
        var activities = Consolidation(_ => Generations(12), (request, _) => new BuiltDataset(request.Period, 7, Sha, false, null, 0, Unannounced: true));
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(nameof(ConsolidatePeriodOrchestration.ConsolidatePeriod), new ConsolidationInput(Period), InstanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(new ConsolidationResult(Period, 7, true, 1), run.ReadOutputAs<ConsolidationResult>());
        Assert.Equal(new PublishRequest(Period, 7), Assert.Single(activities.InputsOf<PublishRequest>(nameof(ConsolidationActivities.PublishDataset))));
    }

    [Fact]
    public async Task ConsolidatePeriod_BuildFails_FailsWithTheBuildsMessageAndLeavesLatestAlone()
    {
        const string Message = "Data set 2024-Q2 v7 does not conform to its schema: /indicators/0/value type: expected number";
        var activities = Consolidation(_ => Generations(12), (_, _) => throw new InvalidDataException(Message));
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(nameof(ConsolidatePeriodOrchestration.ConsolidatePeriod), new ConsolidationInput(Period), InstanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Contains(Message, run.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal([nameof(ConsolidationActivities.BeginConsolidation), nameof(ConsolidationActivities.BuildDataset)], activities.Names);
    }
}
