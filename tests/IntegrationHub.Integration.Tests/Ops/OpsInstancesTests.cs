using System.Text.Json;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Functions.Access;
using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Ops;
using IntegrationHub.Functions.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Integration.Tests.Ops;

/// <summary>
/// Instance actions on real Blob storage (start claims, replay records, audit log), over a scripted task hub that
/// lets a test put one operator's whole action between another's look at the instance and its start.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OpsInstancesTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly OpsActor Alice = new("alice-oid", "entra-id", "Alice");
    private static readonly OpsActor Bob = new("bob-oid", "entra-id", "Bob");

    private ServiceProvider services = null!;

    public async Task InitializeAsync()
    {
        await azurite.Blobs.GetBlobContainerClient(HubContainers.Ledger).CreateIfNotExistsAsync();
        await azurite.Blobs.GetBlobContainerClient(HubContainers.Audit).CreateIfNotExistsAsync();
        var collection = new ServiceCollection();
        collection.AddSingleton(azurite.Blobs);
        collection.AddSingleton(TimeProvider.System);
        collection.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        collection.AddSingleton<FeedStore>();
        collection.AddSingleton<OrchestrationStarter>();
        collection.AddOps();
        services = collection.BuildServiceProvider();
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task Replay_SecondOperatorLooksBeforeTheFirstsRunEnds_StartsNothingAnd409()
    {
        // Bob reads the failed instance; before he starts it, Alice replays the same failure and her run completes.
        // The start claim alone would let Bob start the completed instance again: the same failure run twice.
        var instanceId = $"pull:transport:replay-{Guid.NewGuid():N}";
        var hub = new ScriptedTaskHub(instanceId, OrchestrationRuntimeStatus.Failed);
        var instances = services.GetRequiredService<OpsInstances>();
        OpsAnswer? alices = null;
        hub.OnNextRead = async () => alices = await instances.ActAsync(hub, instanceId, "replay", null, Alice, CancellationToken.None);

        var bobs = await instances.ActAsync(hub, instanceId, "replay", null, Bob, CancellationToken.None);

        Assert.Equal(StatusCodes.Status202Accepted, alices!.Status);
        Assert.Equal(StatusCodes.Status409Conflict, bobs.Status);
        Assert.Equal("already-replayed", bobs.ProblemExtensions!["outcome"]);
        Assert.Equal(1, hub.Starts);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, hub.Status);
    }

    // A task hub of one instance: a start runs it to completion at once.
    private sealed class ScriptedTaskHub(string instanceId, OrchestrationRuntimeStatus status) : DurableTaskClient("scripted")
    {
        private OrchestrationMetadata instance = new("PullFeed", instanceId)
        {
            RuntimeStatus = status,
            CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-10),
            LastUpdatedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
            SerializedInput = """{"source":"transport","period":"2024-06"}""",
        };

        public Func<Task>? OnNextRead { get; set; }

        public int Starts { get; private set; }

        public OrchestrationRuntimeStatus Status => instance.RuntimeStatus;

        public override async Task<OrchestrationMetadata?> GetInstancesAsync(string id, bool getInputsAndOutputs, CancellationToken cancellation = default)
        {
            var seen = id == instanceId ? instance : null;
            if (OnNextRead is { } hook)
            {
                OnNextRead = null;
                await hook();
            }

            return seen;
        }

        public override Task<string> ScheduleNewOrchestrationInstanceAsync(
            TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
        {
            Starts++;
            var now = DateTimeOffset.UtcNow;
            instance = new OrchestrationMetadata(orchestratorName.Name, options!.InstanceId!)
            {
                RuntimeStatus = OrchestrationRuntimeStatus.Completed,
                CreatedAt = now,
                LastUpdatedAt = now,
                SerializedInput = JsonSerializer.Serialize(input),
            };
            return Task.FromResult(instanceId);
        }

        public override Task<IList<DurableTask.Core.History.HistoryEvent>> GetOrchestrationHistoryAsync(string id, CancellationToken cancellation = default) =>
            Task.FromResult<IList<DurableTask.Core.History.HistoryEvent>>([]);

        public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => throw new NotSupportedException();

        public override Task RaiseEventAsync(string id, string eventName, object? eventPayload = null,
            CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string id,
            bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
            throw new NotSupportedException();

        public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string id,
            bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
            throw new NotSupportedException();

        public override Task SuspendInstanceAsync(string id, string? reason = null,
            CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task ResumeInstanceAsync(string id, string? reason = null,
            CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task<PurgeResult> PurgeInstanceAsync(string id, PurgeInstanceOptions? options = null,
            CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter,
            PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
            throw new NotSupportedException();

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
