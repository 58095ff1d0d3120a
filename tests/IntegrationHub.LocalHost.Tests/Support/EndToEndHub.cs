using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.LocalHost.Tests.Support;

/// <summary>
/// Everything one end-to-end test class runs against, all real: its own Azurite (in memory, free ports), the department
/// simulators over HTTP, and the local host in-process (HTTP on a free port, the Durable Task engine on the Azurite under
/// a task hub of its own). Use as a class fixture; a failed start disposes whatever had started.
/// </summary>
public class EndToEndHub : IAsyncLifetime
{
    private static readonly (string Section, string Source)[] Departments =
        [("Statistics", "statistics"), ("PowerGrid", "power-grid"), ("Transport", "transport"), ("Environment", "environment")];

    private HttpClient? http;

    // Settings changed while the hub runs (Reconfigure); kept so a restarted hub starts with them too.
    private readonly Dictionary<string, string?> changedSettings = new(StringComparer.OrdinalIgnoreCase);

    private IConfigurationRoot? configuration;

    /// <summary>The daily byte quota of each department in the tests' hubs: 1 TiB, the most the setting allows.</summary>
    public const string TestDailyPushBytes = "1099511627776";

    public AzuriteInstance Azurite { get; private set; } = null!;

    public DepartmentSimulators Simulators { get; private set; } = null!;

    /// <summary>The running hub; null between <see cref="StopHubAsync"/> and <see cref="StartHubAsync"/>.</summary>
    public LocalHub? Hub { get; private set; }

    public HubApi Api { get; private set; } = null!;

    public SubscriberInbox Inbox { get; private set; } = null!;

    public RecentLogs Logs { get; } = new();

    /// <summary>Letters and digits, unique per fixture, so no two fixtures (or runs) share Durable state.</summary>
    public string TaskHubName { get; } = "e2e" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public virtual async Task InitializeAsync()
    {
        try
        {
            Azurite = await StartAzuriteAsync();
            Simulators = await DepartmentSimulators.StartAsync();
            Inbox = CreateInbox();
            await StartHubAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a hub on the same Azurite and task hub (a new free port, so a new <see cref="HubApi"/>).</summary>
    public async Task StartHubAsync()
    {
        if (Hub is not null)
        {
            throw new InvalidOperationException("The hub is running already.");
        }

        using var starting = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        configuration = Configuration();
        Hub = await LocalHub.StartAsync(configuration, new LocalHubOptions
        {
            Port = 0,
            EnableTimers = EnableTimers,
            Clock = Clock,
            // The test runner builds a regex before any test code, so the process-wide timeout cannot be set here.
            RequireRegexTimeout = false,
            ConfigureLogging = ConfigureLogging,
        }, starting.Token);
        http?.Dispose();
        http = new HttpClient { BaseAddress = Hub.Address, Timeout = TimeSpan.FromSeconds(60) };
        Api = new HubApi(http, Logs);
    }

    /// <summary>
    /// Changes settings of the running hub (names with ':'; a null value removes the setting) and reloads its
    /// configuration, as a changed reloadable source would: what reads options through IOptionsMonitor sees the new
    /// values on its next request, without a restart.
    /// </summary>
    public void Reconfigure(params (string Name, string? Value)[] settings)
    {
        var root = configuration ?? throw new InvalidOperationException("The hub is not running.");
        var source = root.Providers.OfType<MemoryConfigurationProvider>().Single();
        foreach (var (name, value) in settings)
        {
            changedSettings[name] = value;
            source.Set(name, value);
        }

        root.Reload();
    }

    /// <summary>Stops the hub as a host shutting down would; whatever it was running stays in the task hub.</summary>
    public async Task StopHubAsync()
    {
        if (Hub is { } hub)
        {
            Hub = null;
            await hub.DisposeAsync();
        }
    }

    public virtual async Task DisposeAsync()
    {
        try
        {
            await StopHubAsync();
        }
        finally
        {
            http?.Dispose();
            Simulators?.Dispose();
            Azurite?.Dispose();
        }
    }

    /// <summary>Timers stay off unless a fixture tests them: tests start the pulls they need themselves.</summary>
    protected virtual bool EnableTimers => false;

    /// <summary>The hub's clock; null for the system clock.</summary>
    protected virtual TimeProvider? Clock => null;

    /// <summary>Settings a fixture needs besides those of <see cref="Configuration"/>; they win over them.</summary>
    protected virtual void AddSettings(IDictionary<string, string?> values)
    {
    }

    /// <summary>Where the hub's logs go: <see cref="Logs"/>, its last lines for failure messages.</summary>
    protected virtual void ConfigureLogging(ILoggingBuilder logging) => logging.ClearProviders().AddProvider(Logs);

    /// <summary>The hub's storage (and Durable task hub): in memory unless a fixture needs to stop it.</summary>
    protected virtual Task<AzuriteInstance> StartAzuriteAsync() => AzuriteInstance.StartAsync();

    /// <summary>Where the subscribers' queues are read: the hub's own Azurite unless a fixture publishes elsewhere.</summary>
    protected virtual SubscriberInbox CreateInbox() => new(Azurite.Queues, Azurite.Blobs);

    /// <summary>
    /// The settings of functions/IntegrationHub.Functions/local.settings.sample.json (names with ':' instead of '__'),
    /// pointed at this fixture's Azurite and simulators, with short pull retries so failure paths run in seconds and
    /// rate limits no test reaches unless it lowers them.
    /// </summary>
    public static Dictionary<string, string?> Settings(AzuriteInstance azurite, DepartmentSimulators simulators, string taskHubName)
    {
        var values = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["HubStorage"] = azurite.ConnectionString,
            ["DurableTaskHubName"] = taskHubName,
            ["Intake:MaxFeedBytes"] = "8388608",
            ["Intake:MaxDepth"] = "64",
            ["Access:Statistics:Primary"] = Keys.Statistics,
            ["Access:PowerGrid:Primary"] = Keys.PowerGrid,
            ["Access:Transport:Primary"] = Keys.Transport,
            ["Access:Environment:Primary"] = Keys.Environment,
            ["Access:Ops:Primary"] = Keys.Ops,
            ["Publishing:Mode"] = "Queues",
            ["Publishing:TopicName"] = "dataset-published",
            ["Access:RateLimit:PushPermitsPerMinute"] = "100000",

            // The tests push many feeds at once; the fair-use limits have tests of their own that lower these.
            ["Access:RateLimit:PushBurst"] = "100000",
            ["Access:RateLimit:MaxConcurrentPushes"] = "1000",
            ["Access:RateLimit:OpsPermitsPerMinute"] = "100000",
            // The hostile-input and load tests store far more than a department's day; the quota test lowers this.
            ["Access:Quota:DailyPushBytes"] = EndToEndHub.TestDailyPushBytes,
            ["Pull:AllowedHosts"] = "127.0.0.1,localhost",
            // The simulators listen on 127.0.0.1.
            ["Pull:AllowPrivateNetworks"] = "true",
            ["Pull:RetryMaxAttempts"] = "4",
            ["Pull:RetryFirstIntervalSeconds"] = "1",
        };
        foreach (var (section, source) in Departments)
        {
            values[$"Pull:{section}:BaseUrl"] = simulators.BaseUrl.ToString();
            values[$"Pull:{section}:PathTemplate"] = "{source}/feeds/{period}";
            values[$"Pull:{section}:TimeoutSeconds"] = "5";
            values[$"Pull:{section}:ApiKey"] = $"sim-{source}-key";
        }

        return values;
    }

    private IConfigurationRoot Configuration()
    {
        var values = Settings(Azurite, Simulators, TaskHubName);
        AddSettings(values);
        foreach (var (name, value) in changedSettings)
        {
            values[name] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
