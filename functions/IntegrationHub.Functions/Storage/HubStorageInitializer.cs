using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Storage;

/// <summary>
/// Makes sure the hub's blob containers (<see cref="HubContainers.All"/>) exist: at start-up under whichever host runs
/// the app, and again whenever a storage call finds one missing (<see cref="MissingContainerPolicy"/>). Infra creates
/// them in Azure too, but a fresh storage account (Azurite under <c>func start</c>) has none, and a container deleted
/// by hand must not turn every request into a 500. Creating is idempotent, so two instances doing it at once is fine.
/// </summary>
public sealed partial class HubStorageInitializer(BlobServiceClient blobs, MissingContainerSignal missing,
    ILogger<HubStorageInitializer> logger) : IHostedService, IDisposable
{
    /// <summary>How long start-up waits for the first attempt before serving anyway (the background loop goes on).</summary>
    public static readonly TimeSpan StartWait = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource stopping = new();
    private Task? loop;
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        loop = Task.Run(() => RunAsync(first, stopping.Token), CancellationToken.None);
        // Serve even when storage is away at start-up: requests then answer 503 and the loop keeps trying.
        await Task.WhenAny(first.Task, Task.Delay(StartWait, cancellationToken)).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await Task.WhenAny(loop, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>Creates every missing container of the hub (one call each).</summary>
    public static async Task EnsureContainersAsync(BlobServiceClient blobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        foreach (var name in HubContainers.All)
        {
            await blobs.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => stopping.Dispose();

    private async Task RunAsync(TaskCompletionSource first, CancellationToken cancellationToken)
    {
        var wait = FirstRetry;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // Taken before the attempt: a container reported missing during it is looked at again.
                missing.Reset();
                await EnsureContainersAsync(blobs, cancellationToken).ConfigureAwait(false);
                first.TrySetResult();
                LogEnsured(logger, HubContainers.All.Count);
                wait = FirstRetry;
                await missing.WaitAsync(cancellationToken).ConfigureAwait(false);
                LogMissing(logger);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Storage away or refusing: keep trying until it answers, logging each failure.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(logger, wait.TotalSeconds, ex);
                try
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, MaxRetry.Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage prepared: the hub's {Count} blob containers exist")]
    private static partial void LogEnsured(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A storage call found one of the hub's containers missing; creating it again")]
    private static partial void LogMissing(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not prepare the hub's blob containers; trying again in {Seconds} s")]
    private static partial void LogFailed(ILogger logger, double seconds, Exception exception);
}

/// <summary>Raised by <see cref="MissingContainerPolicy"/>, awaited by <see cref="HubStorageInitializer"/>.</summary>
public sealed class MissingContainerSignal
{
    private volatile TaskCompletionSource raised = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Raise() => raised.TrySetResult();

    internal void Reset()
    {
        if (raised.Task.IsCompleted)
        {
            raised = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    internal Task WaitAsync(CancellationToken cancellationToken) => raised.Task.WaitAsync(cancellationToken);
}

/// <summary>
/// Watches every answer of the hub's blob client for <c>ContainerNotFound</c> and raises the signal: the call itself
/// still fails (answered 503 by the outage rule, or retried by its orchestration), and the next one finds the container.
/// </summary>
public sealed class MissingContainerPolicy(MissingContainerSignal signal) : HttpPipelineSynchronousPolicy
{
    public const string ErrorCodeHeader = "x-ms-error-code";

    public override void OnReceivedResponse(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Response.Status == 404
            && message.Response.Headers.TryGetValue(ErrorCodeHeader, out var code)
            && string.Equals(code, "ContainerNotFound", StringComparison.Ordinal))
        {
            signal.Raise();
        }
    }
}
