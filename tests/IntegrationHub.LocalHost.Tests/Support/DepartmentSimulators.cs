using System.Net.Http.Json;
using System.Text.Json;

namespace IntegrationHub.LocalHost.Tests.Support;

/// <summary>Requests one department's simulator has counted since start or the last reset (local-dev/simulators/README.md).</summary>
public sealed record SimulatorCounters(int Total, IReadOnlyDictionary<string, int> ByStatus, int Hung)
{
    public int WithStatus(int status) => ByStatus.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var n) ? n : 0;

    public override string ToString() => $"total {Total}, by status {{{string.Join(", ", ByStatus.Select(kv => $"{kv.Key}: {kv.Value}"))}}}, hung {Hung}";
}

/// <summary>The department simulators (node local-dev/simulators/departments.mjs) on a free port, and their control API.</summary>
public sealed class DepartmentSimulators : IDisposable
{
    private const string ReadyPrefix = "departments listening on ";

    private readonly ChildProcess process;
    private readonly HttpClient control;

    private DepartmentSimulators(ChildProcess process, Uri baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
        control = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>http://127.0.0.1:PORT, as the simulator announced it.</summary>
    public Uri BaseUrl { get; }

    public string Tail => process.Tail;

    public static async Task<DepartmentSimulators> StartAsync()
    {
        var script = Path.Combine(RepoPaths.Root, "local-dev", "simulators", "departments.mjs");
        var process = ChildProcess.Start("department simulators", "node", [script, "--port", "0"], RepoPaths.Root);
        try
        {
            var line = await process.FirstOutputLineAsync(TimeSpan.FromSeconds(20));
            if (!line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The simulators' first line is '{line}', not '{ReadyPrefix}http://…'.");
            }

            return new DepartmentSimulators(process, new Uri(line[ReadyPrefix.Length..].Trim()));
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary><c>PUT /_control/{source}</c>: the mode for the next <paramref name="times"/> feed requests (all, when null).</summary>
    public async Task SetModeAsync(string source, string mode, int? times)
    {
        using var response = await control.PutAsJsonAsync($"/_control/{source}", new { mode, times });
        await EnsureOkAsync(response, $"PUT /_control/{source}");
    }

    /// <summary><c>DELETE /_control</c>: every source back to ok, every counter to zero.</summary>
    public async Task ResetAsync()
    {
        using var response = await control.DeleteAsync("/_control");
        await EnsureOkAsync(response, "DELETE /_control");
    }

    public async Task<SimulatorCounters> CountersAsync(string source)
    {
        using var response = await control.GetAsync("/_control");
        await EnsureOkAsync(response, "GET /_control");
        using var state = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var requests = state.RootElement.GetProperty(source).GetProperty("requests");
        return new SimulatorCounters(
            requests.GetProperty("total").GetInt32(),
            requests.GetProperty("byStatus").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32()),
            requests.GetProperty("hung").GetInt32());
    }

    public void Dispose()
    {
        control.Dispose();
        process.Dispose();
    }

    private static async Task EnsureOkAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
