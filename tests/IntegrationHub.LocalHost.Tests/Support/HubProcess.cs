using System.Globalization;
using System.Text.Json;

namespace IntegrationHub.LocalHost.Tests.Support;

/// <summary>
/// The local host as <c>run.sh</c> starts it: its own process (the built local-dev/LocalHost), settings from a
/// local.settings.json file. Unlike the in-process hub it can be killed outright, as a crash or an OOM kill would.
/// </summary>
public sealed class HubProcess : IDisposable
{
    private readonly ChildProcess process;
    private readonly string settingsFile;

    private HubProcess(ChildProcess process, string settingsFile, Uri address)
    {
        this.process = process;
        this.settingsFile = settingsFile;
        Address = address;
    }

    public Uri Address { get; }

    public string Tail => process.Tail;

    /// <summary>Starts the host on <paramref name="port"/> with timers off, and waits until it answers <c>/api/health</c>.</summary>
    public static async Task<HubProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, int port)
    {
        var settingsFile = Path.Combine(Path.GetTempPath(), $"hub-settings-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(settingsFile, JsonSerializer.Serialize(new
        {
            IsEncrypted = false,
            Values = settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value),
        }));
        var process = ChildProcess.Start("hub", "dotnet",
            [LocalHostDll(), "--settings", settingsFile, "--port", port.ToString(CultureInfo.InvariantCulture), "timers=off"], RepoPaths.Root);
        var hub = new HubProcess(process, settingsFile, new Uri($"http://localhost:{port}"));
        try
        {
            using var http = new HttpClient { BaseAddress = hub.Address, Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                try
                {
                    using var health = await http.GetAsync("/api/health");
                    if (health.IsSuccessStatusCode)
                    {
                        return hub;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // Not listening yet.
                }

                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"The hub process did not come up on port {port}.{Environment.NewLine}{process.Tail}");
                }

                await Task.Delay(200);
            }
        }
        catch
        {
            hub.Dispose();
            throw;
        }
    }

    public int ExitCode => process.ExitCode;

    /// <summary>SIGTERM, as a service manager or Ctrl-C stops it; fails the test when the process is still there after <paramref name="timeout"/>.</summary>
    public Task StopAsync(TimeSpan timeout) => process.StopAsync(timeout);

    /// <summary>SIGKILL: no shutdown hook runs, nothing is handed back, leases and in-flight messages stay as they were.</summary>
    public void Kill() => Dispose();

    public void Dispose()
    {
        process.Dispose();
        File.Delete(settingsFile);
    }

    /// <summary>The local host the solution build produced, in the configuration these tests were built in.</summary>
    private static string LocalHostDll()
    {
        var configuration =
            AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release" : "Debug";
        var dll = Path.Combine(RepoPaths.Root, "local-dev", "LocalHost", "bin", configuration, "net10.0", "IntegrationHub.LocalHost.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"Build the solution first: {dll} is missing.");
    }
}
