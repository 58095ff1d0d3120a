using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Options;
using P = Microsoft.DurableTask.Protobuf;

namespace IntegrationHub.LocalHost;

/// <summary>
/// The stock sidecar, plus what the Durable extension answers under the Functions host and the stock server does not:
/// rewind (its gRPC <c>RewindInstance</c> is not implemented, while the Azure Storage backend can rewind a failed
/// instance itself: the failed steps run again, every earlier result is kept), and an instance's history (its
/// <c>StreamInstanceHistory</c> only serves the past events of a work item in flight). So the client's rewind and
/// history APIs work on the local host as they do under the Functions host.
/// </summary>
internal sealed class RewindingTaskHubGrpcServer(
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggerFactory,
    AzureStorageOrchestrationService service,
    StoppableOrchestrationService dispatched,
    IOptions<TaskHubGrpcServerOptions> options)
    : TaskHubGrpcServer(lifetime, loggerFactory, dispatched, service, options)
{
    public override async Task<P.RewindInstanceResponse> RewindInstance(P.RewindInstanceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var state = await service.GetOrchestrationStateAsync(request.InstanceId, executionId: null).ConfigureAwait(false);
        if (state is null)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"No orchestration has the id '{request.InstanceId}'."));
        }

        // The backend would rewrite the history of any instance; only a failed one has anything to rewind.
        if (state.OrchestrationStatus != OrchestrationStatus.Failed)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Only a failed instance can be rewound; '{request.InstanceId}' is {state.OrchestrationStatus}."));
        }

        await service.RewindTaskOrchestrationAsync(request.InstanceId, request.Reason).ConfigureAwait(false);
        return new P.RewindInstanceResponse();
    }

    public override async Task StreamInstanceHistory(P.StreamInstanceHistoryRequest request, IServerStreamWriter<P.HistoryChunk> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        if (request.ForWorkItemProcessing)
        {
            // A worker fetching the past events of the work item it runs: the stock server keeps those.
            await base.StreamInstanceHistory(request, responseStream, context).ConfigureAwait(false);
            return;
        }

        if (await service.GetOrchestrationStateAsync(request.InstanceId, executionId: null).ConfigureAwait(false) is null)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"No orchestration has the id '{request.InstanceId}'."));
        }

        // Without an execution id the backend answers the current execution (a restarted instance's earlier ones are not shown).
        var stored = await service.GetOrchestrationHistoryAsync(request.InstanceId, request.ExecutionId).ConfigureAwait(false);
        foreach (var chunk in StoredHistory.Chunks(StoredHistory.Parse(stored).Select(StoredHistory.ToProto)))
        {
            await responseStream.WriteAsync(chunk, context.CancellationToken).ConfigureAwait(false);
        }
    }
}
