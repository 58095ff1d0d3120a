using Grpc.Core;
using Grpc.Core.Interceptors;
using IntegrationHub.Functions.Resilience;

namespace IntegrationHub.LocalHost;

/// <summary>
/// Tells the sidecar's clients (the hub's Durable client) that a call failed because the task hub's storage is away,
/// as <see cref="StatusCode.Unavailable"/>, instead of the opaque <see cref="StatusCode.Unknown"/> gRPC gives any
/// exception: so an HTTP function calling the client answers 503 by <see cref="DependencyOutage"/>, not 500.
/// </summary>
internal sealed class StorageOutageInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not RpcException && DependencyOutage.Of(ex, context.CancellationToken) is { } outage)
        {
            throw Unavailable(ex, outage);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not RpcException && DependencyOutage.Of(ex, context.CancellationToken) is { } outage)
        {
            throw Unavailable(ex, outage);
        }
    }

    private static RpcException Unavailable(Exception ex, DependencyOutage outage) =>
        new(new Status(StatusCode.Unavailable, $"The task hub's storage is unavailable: {outage.Detail}.", ex));
}
