using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using IntegrationHub.Core.Validation;
using IntegrationHub.Functions;
using IntegrationHub.Functions.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationHub.LocalHost;

public sealed class LocalHubOptions
{
    /// <summary>Where the hub serves HTTP; port 0 picks a free one.</summary>
    public int Port { get; set; } = 7071;

    /// <summary>Timers fire from their CRON schedules unless this is off (tests start pulls themselves).</summary>
    public bool EnableTimers { get; set; } = true;

    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }

    /// <summary>
    /// Start only when schema patterns run with a timeout. Tests that host the hub inside the test runner turn this off
    /// (the runner has built a regex before any test code, so the default timeout can no longer be set there);
    /// <c>run.sh</c> and <c>Program</c> keep it on.
    /// </summary>
    public bool RequireRegexTimeout { get; set; } = true;

    /// <summary>
    /// The clock the app's services and the timers read; null keeps the system clock. Tests set a calendar of their
    /// own to reach periods the sample departments serve (Durable timers keep the engine's own time).
    /// </summary>
    public TimeProvider? Clock { get; set; }

    /// <summary>A fault test's policy on the task hub's tables (<see cref="DurableSidecar"/>); null in use.</summary>
    internal Azure.Core.Pipeline.HttpPipelinePolicy? TaskHubTableFault { get; set; }
}

/// <summary>
/// The whole local hub in one process: the Durable sidecar on Azurite, the SDK worker running the app's
/// orchestrators and activities, the timers, and the app's HTTP functions on ASP.NET Core. Worker and sidecar
/// share the process on purpose: if only the worker died, the sidecar would hold its work items until it restarted.
/// </summary>
public sealed class LocalHub : IAsyncDisposable
{
    /// <summary>How long the process waits for an orderly stop before it leaves anyway.</summary>
    public static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(20);

    private readonly WebApplication app;
    private readonly DurableSidecar sidecar;
    private readonly GrpcChannel channel;

    private LocalHub(WebApplication app, DurableSidecar sidecar, GrpcChannel channel, Uri address)
    {
        this.app = app;
        this.sidecar = sidecar;
        this.channel = channel;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>
    /// The one data converter of the local worker and client, on the app's <see cref="HubSerialization.Options"/>: the
    /// options the Functions worker's serializer, and so its Durable data converter, is given in the app's Program.
    /// </summary>
    public static Microsoft.DurableTask.Converters.JsonDataConverter DataConverter { get; } = new(HubSerialization.Options);

    public IServiceProvider Services => app.Services;

    /// <summary>Cancelled when the host is asked to stop (Ctrl-C, SIGTERM).</summary>
    public CancellationToken Stopping => app.Lifetime.ApplicationStopping;

    public DurableTaskClient Client => app.Services.GetRequiredService<DurableTaskClient>();

    public static async Task<LocalHub> StartAsync(IConfiguration configuration, LocalHubOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        RegexTimeout.Apply();

        var functions = FunctionCatalog.Discover(typeof(HubServiceCollectionExtensions).Assembly);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddQuietConsole();
        options.ConfigureLogging?.Invoke(builder.Logging);

        var port = options.Port == 0 ? HostDefaults.FreePort() : options.Port;
        EnsurePortFree(port);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));

        var storage = configuration["AzureWebJobsStorage"] ?? throw new InvalidOperationException("Set AzureWebJobsStorage (the Durable task hub's storage) to Azurite's connection string.");
        var taskHub = configuration["DurableTaskHubName"] ?? "integrationhub";
        var sidecar = await DurableSidecar.StartAsync(storage, taskHub, options.ConfigureLogging, options.TaskHubTableFault, cancellationToken)
            .ConfigureAwait(false);
        var channel = GrpcChannel.ForAddress(sidecar.Address);

        builder.Services.AddHubSerialization();
        builder.Services.AddHubServices(builder.Configuration, options.RequireRegexTimeout);
        if (options.Clock is { } clock)
        {
            builder.Services.Replace(ServiceDescriptor.Singleton(clock));
        }

        builder.Services.AddMvcCore();
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<IReadOnlyList<FunctionDescriptor>>(functions);
        builder.Services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(channel);
            worker.AddTasks(registry => DurableFunctionRegistrar.Register(registry, functions));
            worker.Configure(o => o.DataConverter = DataConverter);
        });
        builder.Services.AddDurableTaskClient(client =>
        {
            client.UseGrpc(channel);
            client.RegisterDirectly();
            client.Configure(o => o.DataConverter = DataConverter);
        });
        if (options.EnableTimers)
        {
            builder.Services.AddHostedService<TimerFunctionService>();
        }

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        HttpFunctionEndpoints.Map(app, functions);

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new LocalHub(app, sidecar, channel, new Uri($"http://localhost:{port}"));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        channel.Dispose();
        await sidecar.DisposeAsync().ConfigureAwait(false);
    }

    private static void EnsurePortFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
        catch (SocketException ex)
        {
            throw new PortTakenException(port, ex);
        }
    }
}

public sealed class PortTakenException : Exception
{
    public PortTakenException(int port, Exception inner)
        : base($"Port {port} is taken by another process; the hub serves on it. Stop that process, or pick another port with --port.", inner) => Port = port;

    public PortTakenException()
    {
    }

    public PortTakenException(string message)
        : base(message)
    {
    }

    public PortTakenException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public int Port { get; }
}
