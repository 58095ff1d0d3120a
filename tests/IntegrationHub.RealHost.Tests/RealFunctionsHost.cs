using System.Globalization;
using System.Text.Json;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.RealHost.Tests;

/// <summary>
/// How this machine can start the real Functions host, as a user would: <c>func start</c> when Azure Functions Core
/// Tools is on <c>PATH</c>, otherwise a built <c>Microsoft.Azure.WebJobs.Script.WebHost</c> in the folder named by
/// <c>FUNCTIONS_HOST_DIR</c> (the program <c>func start</c> embeds and Azure runs). Neither: the suite is skipped with
/// <see cref="SkipReason"/>.
/// </summary>
public sealed record HostLauncher(string Kind, string FileName, IReadOnlyList<string> LeadingArguments)
{
    public const string HostDirVariable = "FUNCTIONS_HOST_DIR";
    public const string WebHostDll = "Microsoft.Azure.WebJobs.Script.WebHost.dll";

    public static HostLauncher? Find()
    {
        if (OnPath("func") is { } func)
        {
            return new HostLauncher("func start (Azure Functions Core Tools)", func, ["start"]);
        }

        return Environment.GetEnvironmentVariable(HostDirVariable) is { Length: > 0 } dir && File.Exists(Path.Combine(dir, WebHostDll))
            ? new HostLauncher($"{WebHostDll} from {HostDirVariable}", "dotnet", [Path.Combine(dir, WebHostDll)])
            : null;
    }

    /// <summary>Why the real-host tests cannot run here, or null.</summary>
    public static string? SkipReason => Find() is null
        ? Environment.GetEnvironmentVariable(HostDirVariable) is { Length: > 0 } dir
            ? $"No real Functions host: {HostDirVariable} is '{dir}', which holds no {WebHostDll}, and 'func' is not on PATH."
            : $"No real Functions host: install Azure Functions Core Tools ('func' on PATH) or set {HostDirVariable} to a built {WebHostDll} folder."
        : null;

    public bool IsCoreTools => FileName != "dotnet";

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}

/// <summary>A test that needs the real Functions host: skipped, with the reason, where none is installed.</summary>
public sealed class RealHostFactAttribute : FactAttribute
{
    public RealHostFactAttribute()
    {
        if (HostLauncher.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>
/// The built app (<c>functions/IntegrationHub.Functions</c>, the configuration these tests were built in) under the real
/// host on a fresh Azurite of its own, with the department simulators as pull targets. Settings are the
/// <c>Values</c> of the committed <c>local.settings.sample.json</c>, as environment variables (which is how
/// <c>func start</c> applies <c>local.settings.json</c> too), with storage and pull targets pointed at this run's
/// Azurite and simulators. <c>host.json</c> is the repository's own, linked into the build: nothing is created or
/// changed for the app.
/// </summary>
public sealed class RealFunctionsHost : IAsyncLifetime
{
    /// <summary>The transport pull timer fires this often, so the test sees a timer work without waiting for 02:00.</summary>
    public const string FastCron = "*/5 * * * * *";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(120);

    private readonly RecentLogs logs = new();
    private readonly string workDir = Directory.CreateTempSubdirectory("hub-realhost-").FullName;
    private ChildProcess? host;
    private int port;
    private HttpClient? http;

    public AzuriteInstance Azurite { get; private set; } = null!;

    public DepartmentSimulators Simulators { get; private set; } = null!;

    public HubApi Api { get; private set; } = null!;

    public HttpClient Http => http!;

    public HostLauncher Launcher { get; private set; } = null!;

    /// <summary>The app's build output: what the host runs.</summary>
    public static string AppDirectory
    {
        get
        {
            // Tests built in Release run the app built in Release (tests/run.sh), and likewise Debug.
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Release";
            return Path.Combine(RepoPaths.Root, "functions", "IntegrationHub.Functions", "bin", configuration, "net10.0");
        }
    }

    public string RecentLog(int lines = 80) => logs.Last(lines);

    public int HostProcessId => host?.Id ?? throw new InvalidOperationException("The host is not running.");

    public async Task InitializeAsync()
    {
        if (HostLauncher.Find() is not { } launcher)
        {
            return;
        }

        Launcher = launcher;
        if (!File.Exists(Path.Combine(AppDirectory, "functions.metadata")))
        {
            throw new InvalidOperationException($"The app is not built at {AppDirectory} (no functions.metadata): build the solution first.");
        }

        Azurite = await AzuriteInstance.StartAsync();
        Simulators = await DepartmentSimulators.StartAsync();
        port = Ports.Free();
        var address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        Api = new HubApi(http, logs);
        await StartHostAsync();
    }

    /// <summary>Kills the host and its worker at once, as a crash or a lost machine would, leaving storage as it is.</summary>
    public void KillHost()
    {
        host?.Dispose();
        host = null;
    }

    /// <summary>Starts the host (again) on the same port, storage and settings, and waits until it is healthy.</summary>
    public async Task StartHostAsync()
    {
        var address = http!.BaseAddress!;
        host = ChildProcess.Start(
            "the real Functions host", Launcher.FileName, [.. Launcher.LeadingArguments, .. Launcher.IsCoreTools ? ["--port", port.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>()],
            AppDirectory, Environment(Launcher, address, port), Remember);
        await WaitHealthyAsync();
    }

    // The host's structured lines for the platform's log pipeline repeat each event: kept out of failure messages.
    private void Remember(string line)
    {
        if (!line.StartsWith("MS_FUNCTION_", StringComparison.Ordinal))
        {
            logs.Add(line);
        }
    }

    public async Task DisposeAsync()
    {
        http?.Dispose();
        if (host is not null)
        {
            try
            {
                await host.StopAsync(TimeSpan.FromSeconds(30));
            }
            catch (InvalidOperationException)
            {
                // Killed after the grace period; the tests' own assertions already ran.
            }

            host.Dispose();
        }

        Simulators?.Dispose();
        Azurite?.Dispose();
        try
        {
            Directory.Delete(workDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The worker processes the host started (the isolated app), by their parent process id.</summary>
    public IReadOnlyList<int> WorkerProcessIds()
    {
        var workers = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == HostProcessId && cmdline.Contains("IntegrationHub.Functions.dll", StringComparison.Ordinal))
                {
                    workers.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }

        return workers;
    }

    private Dictionary<string, string?> Environment(HostLauncher launcher, Uri address, int port)
    {
        var settingsFile = Path.Combine(RepoPaths.Root, "functions", "IntegrationHub.Functions", "local.settings.sample.json");
        using var settings = JsonDocument.Parse(File.ReadAllBytes(settingsFile));
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var value in settings.RootElement.GetProperty("Values").EnumerateObject())
        {
            environment[value.Name] = value.Value.GetString();
        }

        environment["AzureWebJobsStorage"] = Azurite.ConnectionString;
        environment["HubStorage"] = Azurite.ConnectionString;
        foreach (var name in environment.Keys.Where(k => k.StartsWith("Pull__", StringComparison.Ordinal) && k.EndsWith("__BaseUrl", StringComparison.Ordinal)).ToList())
        {
            environment[name] = Simulators.BaseUrl.ToString().TrimEnd('/');
        }

        environment["PullCronTransport"] = FastCron;
        if (!launcher.IsCoreTools)
        {
            // What `func start` sets for the host it embeds; secrets, logs and test data kept out of the host's folder.
            environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
            environment["WEBSITE_HOSTNAME"] = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
            environment["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development";
            environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            environment["AzureWebJobsScriptRoot"] = AppDirectory;
            environment["AzureWebJobsSecretStorageType"] = "files";
            environment["FUNCTIONS_SECRETS_PATH"] = Directory.CreateDirectory(Path.Combine(workDir, "secrets")).FullName;
            environment["FUNCTIONS_LOG_PATH"] = Directory.CreateDirectory(Path.Combine(workDir, "logs")).FullName;
            environment["FUNCTIONS_TEST_DATA_PATH"] = Directory.CreateDirectory(Path.Combine(workDir, "testdata")).FullName;
            // The host targets an older .NET than the one installed may be.
            environment["DOTNET_ROLL_FORWARD"] = "Major";
        }

        return environment;
    }

    private async Task WaitHealthyAsync()
    {
        var until = DateTime.UtcNow + StartDeadline;
        while (DateTime.UtcNow < until)
        {
            if (host!.HasExited)
            {
                throw new InvalidOperationException($"The real host exited ({host.ExitCode}) before it was healthy. Its log:{System.Environment.NewLine}{logs.Last(120)}");
            }

            if (logs.Last(400).Contains("A host error has occurred during startup operation", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The real host refused to start the app. Its log:{System.Environment.NewLine}{logs.Last(120)}");
            }

            try
            {
                using var response = await http!.GetAsync(new Uri("/api/health", UriKind.Relative));
                if ((int)response.StatusCode == 200)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(500);
        }

        throw new InvalidOperationException($"The real host did not answer /api/health with 200 within {StartDeadline.TotalSeconds} s. Its log:{System.Environment.NewLine}{logs.Last(120)}");
    }
}

[CollectionDefinition(Name)]
public sealed class RealHostCollection : ICollectionFixture<RealFunctionsHost>
{
    public const string Name = "real host";
}
