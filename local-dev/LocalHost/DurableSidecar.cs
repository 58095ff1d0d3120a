using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using IntegrationHub.Functions.Resilience;
using DurableTask.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace IntegrationHub.LocalHost;

/// <summary>
/// The Durable Task sidecar the SDK worker and client talk to over gRPC (HTTP/2 on a loopback port), with the
/// Durable Task Azure Storage provider as its backend: orchestration state lives in Azurite's queues and tables,
/// so a run survives the host stopping, exactly as under the Functions host.
/// </summary>
public sealed class DurableSidecar : IAsyncDisposable
{
    private readonly WebApplication app;

    private readonly StoppableOrchestrationService dispatched;

    private DurableSidecar(WebApplication app, AzureStorageOrchestrationService service, StoppableOrchestrationService dispatched, Uri address)
    {
        this.app = app;
        this.dispatched = dispatched;
        Service = service;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The backend itself, for what the gRPC surface does not offer.</summary>
    public AzureStorageOrchestrationService Service { get; }

    public static Task<DurableSidecar> StartAsync(
        string storageConnectionString, string taskHubName, Action<ILoggingBuilder>? configureLogging, CancellationToken cancellationToken) =>
        StartAsync(storageConnectionString, taskHubName, configureLogging, taskHubTableFault: null, cancellationToken);

    /// <param name="taskHubTableFault">
    /// A fault test's seam: a policy run once per call of the task hub's table client (history and instance rows), so
    /// a test can fail one exact write of the backend, such as an episode's history after its messages went out.
    /// </param>
    internal static async Task<DurableSidecar> StartAsync(
        string storageConnectionString, string taskHubName, Action<ILoggingBuilder>? configureLogging, HttpPipelinePolicy? taskHubTableFault,
        CancellationToken cancellationToken)
    {
        var tableOptions = Bounded(new TableClientOptions());
        if (taskHubTableFault is not null)
        {
            tableOptions.AddPolicy(taskHubTableFault, HttpPipelinePosition.PerCall);
        }

        var port = HostDefaults.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.AddQuietConsole();
        configureLogging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<StorageOutageInterceptor>());
        builder.Services.AddSingleton(sp => new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = taskHubName,
            // The hub's bounded storage retries (StorageRetry) rather than the SDK's, which wait up to half a minute
            // between tries: after a storage outage the task hub moves again within seconds of storage returning.
            StorageAccountClientProvider = new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(storageConnectionString, Bounded(new BlobClientOptions())),
                StorageServiceClientProvider.ForQueue(storageConnectionString, Bounded(new QueueClientOptions())),
                StorageServiceClientProvider.ForTable(storageConnectionString, tableOptions)),
            LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
            // One partition is fastest on a small machine, and the local host is a single worker.
            PartitionCount = 1,
            // A crashed host's in-flight step is retried after this long, instead of the 5-minute default; a step that
            // runs longer keeps its message hidden, because the dispatchers renew it while they work.
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(10),
            WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(10),
            // A killed host never gives its partition lease back: the next host takes it when it expires. Partition
            // ownership kept in a table (not in blob leases, which last at least 15 s) lets that lease be short, so a
            // crash costs a feed seconds, not the default 30 s and more.
            UseTablePartitionManagement = true,
            LeaseInterval = TimeSpan.FromSeconds(6),
            LeaseRenewInterval = TimeSpan.FromSeconds(2),
            LeaseAcquireInterval = TimeSpan.FromSeconds(2),
            // Idle polling backs off to this; the default (30 s) makes a demo look stuck.
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),
        }));
        builder.Services.AddSingleton(sp => new StoppableOrchestrationService(
            sp.GetRequiredService<AzureStorageOrchestrationService>(), sp.GetRequiredService<ILogger<StoppableOrchestrationService>>()));
        builder.Services.AddSingleton<IOrchestrationService>(sp => sp.GetRequiredService<AzureStorageOrchestrationService>());
        builder.Services.AddSingleton<IOrchestrationServiceClient>(sp => sp.GetRequiredService<AzureStorageOrchestrationService>());
        // The stock server with rewind added (the Azure Storage backend can rewind; the stock gRPC surface cannot).
        builder.Services.AddSingleton<RewindingTaskHubGrpcServer>();
        var app = builder.Build();
        app.MapGrpcService<RewindingTaskHubGrpcServer>();
        var service = app.Services.GetRequiredService<AzureStorageOrchestrationService>();
        await service.CreateIfNotExistsAsync().ConfigureAwait(false);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new DurableSidecar(app, service, app.Services.GetRequiredService<StoppableOrchestrationService>(), new Uri($"http://127.0.0.1:{port}"));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        // The sidecar's own stop waits for in-flight work items, which a gone worker never finishes. A forced stop
        // gives up the partition lease and leaves those messages to reappear after their visibility timeout, as a
        // crashed host's would, for the next host to pick up.
        await dispatched.StopAsync(isForced: true).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private static TOptions Bounded<TOptions>(TOptions options)
        where TOptions : Azure.Core.ClientOptions
    {
        StorageRetry.Apply(options);
        return options;
    }
}
