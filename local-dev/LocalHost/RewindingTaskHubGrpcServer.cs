using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Options;
using P = Microsoft.DurableTask.Protobuf;

namespace IntegrationHub.LocalHost;

/// <summary>
/// The stock sidecar, plus rewind: its gRPC <c>RewindInstance</c> is not implemented, while the Azure Storage backend
/// can rewind a failed instance itself (the failed steps run again, every earlier result is kept). So the client's
/// rewind API works on the local host as it does under the Functions host.
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
}
