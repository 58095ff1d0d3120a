using System.Diagnostics;
using System.Globalization;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.RealHost.Tests;

/// <summary>
/// How this machine can start the real Functions host, found as <c>local-dev/real-host.sh</c> finds it for
/// <c>run.sh --real-host</c> and <c>tests/run.sh</c>: <c>func start</c> when Azure Functions Core Tools is on <c>PATH</c>,
/// otherwise a built <c>Microsoft.Azure.WebJobs.Script.WebHost</c> in <c>FUNCTIONS_HOST_DIR</c> (the program
/// <c>func start</c> embeds and Azure runs). Neither: the suite is skipped with <see cref="SkipReason"/>.
/// </summary>
public sealed record HostLauncher(string Kind, string Description)
{
    private static readonly Lazy<HostLauncher?> Found = new(Discover);

    public static HostLauncher? Find() => Found.Value;

    /// <summary>Why the real-host tests cannot run here, or null.</summary>
    public static string? SkipReason => Find() is null
        ? "No real Functions host: install Azure Functions Core Tools ('func' on PATH) or set FUNCTIONS_HOST_DIR to a built " +
            "Microsoft.Azure.WebJobs.Script.WebHost folder (README: 'Running under the real Functions host')."
        : null;

    /// <summary>A bash script that sources the finder and runs <paramref name="body"/>.</summary>
    public static string Script(string body) =>
        $"set -euo pipefail; source '{Path.Combine(RepoPaths.Root, "local-dev", "real-host.sh")}'; find_real_host; {body}";

    private static HostLauncher? Discover()
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", Script("echo \"$real_host_kind|$real_host_text\"")])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("Could not run bash.");
        var line = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        var parts = line.Split('|', 2);
        return process.ExitCode == 0 && parts is [{ Length: > 0 } kind, var text] ? new HostLauncher(kind, text) : null;
    }
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
public class RealFunctionsHost : IAsyncLifetime
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
        // The same start as `run.sh --real-host`: the script exports the sample settings this run has not set, starts
        // the host in the background with its log on standard output, and waits for it.
        var body = $"export_sample_settings; start_real_host '{AppDirectory}' {port.ToString(CultureInfo.InvariantCulture)} '{workDir}' /dev/stdout; "
            + "trap 'kill -TERM \"$real_host_pid\" 2>/dev/null; wait \"$real_host_pid\"' TERM INT; wait \"$real_host_pid\"";
        host = ChildProcess.Start("the real Functions host", "bash", ["-c", HostLauncher.Script(body)], AppDirectory, Environment(), Remember);
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

    /// <summary>The worker processes the host started (the isolated app): descendants of the host running the app's dll.</summary>
    public IReadOnlyList<int> WorkerProcessIds()
    {
        var parents = new Dictionary<int, int>();
        var commands = new Dictionary<int, string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                commands[pid] = File.ReadAllText(Path.Combine(dir, "cmdline"));
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }

        bool Descends(int pid)
        {
            for (var p = pid; parents.TryGetValue(p, out var parent) && p > 1; p = parent)
            {
                if (parent == HostProcessId)
                {
                    return true;
                }
            }

            return false;
        }

        return [.. commands.Where(c => c.Value.Contains("IntegrationHub.Functions.dll", StringComparison.Ordinal) && Descends(c.Key)).Select(c => c.Key)];
    }

    /// <summary>Settings of a hub for some tests only, as environment variables (read once, at the host's start).</summary>
    protected virtual void AddSettings(IDictionary<string, string?> environment)
    {
    }

    /// <summary>Storage and pull targets of this run; the script adds the other sample settings.</summary>
    private Dictionary<string, string?> Environment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["HubStorage"] = Azurite.ConnectionString,
            ["PullCronTransport"] = FastCron,
        };
        foreach (var department in new[] { "Statistics", "PowerGrid", "Transport", "Environment" })
        {
            environment[$"Pull__{department}__BaseUrl"] = Simulators.BaseUrl.ToString().TrimEnd('/');
        }

        AddSettings(environment);
        return environment;
    }

    private async Task WaitHealthyAsync()
    {
        var until = DateTime.UtcNow + StartDeadline;
        while (DateTime.UtcNow < until)
        {
            if (host!.HasExited)
            {
                throw new InvalidOperationException(
                    $"The real host exited ({host.ExitCode}) before it was healthy. Its log:{System.Environment.NewLine}{logs.Last(120)}");
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

        throw new InvalidOperationException(
            $"The real host did not answer /api/health with 200 within {StartDeadline.TotalSeconds} s. Its log:{System.Environment.NewLine}{logs.Last(120)}");
    }
}

[CollectionDefinition(Name)]
public sealed class RealHostCollection : ICollectionFixture<RealFunctionsHost>
{
    public const string Name = "real host";
}
