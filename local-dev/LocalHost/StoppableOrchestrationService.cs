using System.Collections;
using System.Reflection;
using DurableTask.AzureStorage;
using DurableTask.Core;

namespace IntegrationHub.LocalHost;

/// <summary>
/// The backend as the gRPC sidecar's dispatchers see it, with a stop that always happens and never throws, an
/// activity that can always run again after a storage outage, and a repeated start message dropped as
/// DurableTask.Core's own dispatcher drops it (a host killed between writing history and deleting the message).
/// </summary>
/// <remarks>
/// <para>
/// Stopping: the stock sidecar stops the backend only after every in-flight work item has finished, and a work item
/// handed to a worker that has gone never finishes: the backend went on holding its partition lease and its messages,
/// so a host started again in the same process waited for work the old one still owned. And the Azure Storage backend
/// throws from a stop that comes before its start (a host stopped before its worker connected), which the stock sidecar
/// raises on a thread-pool thread, ending the process. So the host stops the backend itself through this, once.
/// </para>
/// <para>
/// Storage outages: the Azure Storage backend keeps each activity it handed out in a table of its own until the work
/// item is completed or abandoned, and refuses that message, "being processed multiple times", whenever it reappears
/// in the queue while it is in the table. When storage is away as an activity ends, completing fails, then abandoning
/// fails too, and the entry stays for good: the message comes back every visibility timeout and is dropped every
/// time, and its orchestration never moves again. So an activity whose abandon failed is taken out of that table here:
/// its message reappears after its visibility timeout and the activity runs again (activities are idempotent; a
/// result that did reach the orchestration before is ignored as a duplicate).
/// </para>
/// </remarks>
internal sealed partial class StoppableOrchestrationService(IOrchestrationService inner, ILogger<StoppableOrchestrationService> logger) : IOrchestrationService
{
    // Private to the backend (2.11.x); checked at start-up so that an upgrade that renames it fails loudly, not with a
    // hub stuck after the next outage.
    private static readonly FieldInfo ActiveActivitySessions =
        typeof(AzureStorageOrchestrationService).GetField("activeActivitySessions", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new MissingFieldException(typeof(AzureStorageOrchestrationService).FullName, "activeActivitySessions");

    private readonly SemaphoreSlim gate = new(1, 1);
    private bool started;
    private bool stopped;

    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

    public int MaxConcurrentTaskOrchestrationWorkItems => inner.MaxConcurrentTaskOrchestrationWorkItems;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

    public int MaxConcurrentTaskActivityWorkItems => inner.MaxConcurrentTaskActivityWorkItems;

    public async Task StartAsync()
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (started || stopped)
            {
                return;
            }

            await inner.StartAsync().ConfigureAwait(false);
            started = true;
        }
        finally
        {
            gate.Release();
        }
    }

    public Task StopAsync() => StopAsync(isForced: false);

    public async Task StopAsync(bool isForced)
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (stopped)
            {
                return;
            }

            stopped = true;
            if (started)
            {
                await inner.StopAsync(isForced).ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public Task CreateAsync() => inner.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

    public Task DeleteAsync() => inner.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var workItem = await inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken).ConfigureAwait(false);
        // A host killed after writing an instance's first history but before deleting its start message leaves that
        // message to be delivered again. DurableTask.Core's own dispatcher drops such a repeated start; the gRPC
        // sidecar's does not, and fails the work item ("Multiple ExecutionStartedEvent found") until it is dropped
        // here. A start of a new execution (a restart, ContinueAsNew) has another execution id and goes through.
        if (workItem?.OrchestrationRuntimeState?.ExecutionStartedEvent is { } started && workItem.NewMessages is { Count: > 0 } messages
            && messages.Any(m => IsRepeatOf(m, started)))
        {
            workItem.NewMessages = [.. messages.Where(m => !IsRepeatOf(m, started))];
        }

        return workItem!;
    }

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem, OrchestrationRuntimeState newOrchestrationRuntimeState, IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages, TaskMessage continuedAsNewMessage, OrchestrationState orchestrationState) =>
        inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
        inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);

    private static bool IsRepeatOf(TaskMessage message, DurableTask.Core.History.ExecutionStartedEvent started) =>
        message.Event is DurableTask.Core.History.ExecutionStartedEvent repeated
        && string.Equals(repeated.OrchestrationInstance?.ExecutionId, started.OrchestrationInstance?.ExecutionId, StringComparison.Ordinal);

    public async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        try
        {
            await inner.AbandonTaskActivityWorkItemAsync(workItem).ConfigureAwait(false);
        }
        catch (Exception ex) when (inner is AzureStorageOrchestrationService backend)
        {
            // See the remarks: without this the activity's message would be refused whenever it reappears.
            (ActiveActivitySessions.GetValue(backend) as IDictionary)?.Remove(workItem.Id);
            LogForgotten(logger, workItem.Id, workItem.TaskMessage?.OrchestrationInstance?.InstanceId, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Activity work item {WorkItemId} of {InstanceId} could not be completed or abandoned ({Reason}); it runs again when its message reappears")]
    private static partial void LogForgotten(ILogger logger, string workItemId, string? instanceId, string reason);
}
