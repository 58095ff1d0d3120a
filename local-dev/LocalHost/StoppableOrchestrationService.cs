using DurableTask.Core;

namespace IntegrationHub.LocalHost;

/// <summary>
/// The backend as the gRPC sidecar's dispatchers see it, with a stop that always happens and never throws.
/// The stock sidecar stops the backend only after every in-flight work item has finished, and a work item handed to a
/// worker that has gone never finishes: the backend went on holding its partition lease and its messages, so a host
/// started again in the same process waited for work the old one still owned. And the Azure Storage backend throws
/// from a stop that comes before its start (a host stopped before its worker connected), which the stock sidecar
/// raises on a thread-pool thread, ending the process. So the host stops the backend itself through this, once.
/// It also drops a repeated start message, as DurableTask.Core's dispatcher does (see below).
/// </summary>
internal sealed class StoppableOrchestrationService(IOrchestrationService inner) : IOrchestrationService
{
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

    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => inner.AbandonTaskActivityWorkItemAsync(workItem);

    private static bool IsRepeatOf(TaskMessage message, DurableTask.Core.History.ExecutionStartedEvent started) =>
        message.Event is DurableTask.Core.History.ExecutionStartedEvent repeated
        && string.Equals(repeated.OrchestrationInstance?.ExecutionId, started.OrchestrationInstance?.ExecutionId, StringComparison.Ordinal);
}
