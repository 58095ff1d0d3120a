using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace IntegrationHub.LocalHost.Tests.Support;

/// <summary>The keys of functions/IntegrationHub.Functions/local.settings.sample.json, which the fixtures configure.</summary>
public static class Keys
{
    public const string Header = "x-api-key";
    public const string Statistics = "local-statistics-key";
    public const string PowerGrid = "local-power-grid-key";
    public const string Transport = "local-transport-key";
    public const string Environment = "local-environment-key";
    public const string Ops = "local-ops-key";

    public static string Of(string source) => source switch
    {
        "statistics" => Statistics,
        "power-grid" => PowerGrid,
        "transport" => Transport,
        "environment" => Environment,
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Not a feed source."),
    };

    /// <summary>The source a feed id starts with (<c>power-grid-2024-07-r0-…</c>: power-grid).</summary>
    public static string SourceOf(string feedId) =>
        new[] { "statistics", "power-grid", "transport", "environment" }.FirstOrDefault(s => feedId.StartsWith(s + "-", StringComparison.Ordinal))
        ?? throw new ArgumentOutOfRangeException(nameof(feedId), feedId, "No feed source starts this id.");
}

/// <summary>One HTTP answer of the hub, with its body parsed when it is JSON.</summary>
/// <param name="RetryAfter">The <c>Retry-After</c> header as sent (seconds, or a date), when there is one.</param>
public sealed record HubAnswer(int Status, string? MediaType, string Body, string? Location, string? RetryAfter = null)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    public override string ToString() => $"{Status} {MediaType}: {(Body.Length > 2000 ? Body[..2000] + "…" : Body)}";
}

/// <summary>One orchestration as <c>GET /api/ops/instances</c> shows it.</summary>
public sealed record InstanceState(string InstanceId, string Name, string Status, string? CustomStatus, string? Output, string? Failure)
{
    public bool IsTerminal => Status is "Completed" or "Failed" or "Terminated";

    /// <summary>The orchestration's output (serialised by the Durable data converter), or an empty object.</summary>
    public JsonElement OutputJson => string.IsNullOrEmpty(Output) ? JsonDocument.Parse("{}").RootElement : JsonDocument.Parse(Output).RootElement.Clone();

    /// <summary>The orchestration's last custom status (what ops see as its stage), or an empty object.</summary>
    public JsonElement CustomStatusJson => string.IsNullOrEmpty(CustomStatus) ? JsonDocument.Parse("{}").RootElement
        : JsonDocument.Parse(CustomStatus).RootElement.Clone();

    public override string ToString() => $"{InstanceId} [{Name}] {Status} custom={CustomStatus} output={Output} failure={Failure}";
}

/// <summary>
/// The hub's HTTP surface as the tests use it: real requests to the local host's address. Waiting helpers poll with a
/// deadline and, when it passes, fail with the states of every orchestration and the hub's last log lines.
/// </summary>
public sealed class HubApi(HttpClient http, RecentLogs logs)
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(120);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public Uri Address => http.BaseAddress!;

    public async Task<HubAnswer> SendAsync(HttpMethod method, string path, string? key, byte[]? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add(Keys.Header, key);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        using var response = await http.SendAsync(request);
        return new HubAnswer(
            (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(),
            response.Headers.Location?.ToString(),
            response.Headers.TryGetValues("Retry-After", out var retryAfter) ? string.Join(",", retryAfter) : null);
    }

    public Task<HubAnswer> GetAsync(string path, string? key = null) => SendAsync(HttpMethod.Get, path, key);

    /// <summary><c>POST /api/feeds/{source}</c> with these bytes and the given key (the source's own by default).</summary>
    public Task<HubAnswer> PushAsync(string source, byte[] body, string? key = null) =>
        SendAsync(HttpMethod.Post, $"/api/feeds/{source}", key ?? Keys.Of(source), body);

    /// <summary>Pushes a sample feed file exactly as it is on disk; the source is the one the file states.</summary>
    public Task<HubAnswer> PushSampleAsync(string sampleName, string? key = null)
    {
        var feed = SampleFeed.Load(sampleName);
        return PushAsync(feed.Source, feed.Bytes, key);
    }

    /// <summary>Pushes a sample that must be accepted (202) and returns its feed id.</summary>
    public async Task<string> PushAcceptedAsync(string sampleName)
    {
        var answer = await PushSampleAsync(sampleName);
        Assert.True(answer.Status == 202, $"Pushing {sampleName} should be accepted with 202; got {answer}");
        var feedId = answer.Json.GetProperty("feedId").GetString()!;

        // The department follows the status URL it was given, in the header and in the body, with its own key.
        var statusUrl = $"/api/feeds/{SampleFeed.Load(sampleName).Source}/{feedId}";
        Assert.Equal(statusUrl, answer.Location);
        Assert.Equal(statusUrl, answer.Json.GetProperty("status").GetString());
        var status = await GetAsync(statusUrl, Keys.Of(SampleFeed.Load(sampleName).Source));
        Assert.True(status.Status == 200 && status.Json.GetProperty("feedId").GetString() == feedId, $"{statusUrl} should describe the feed; got {status}");
        return feedId;
    }

    /// <summary><c>POST /api/pulls/{source}/{period}</c> with the ops key.</summary>
    public Task<HubAnswer> StartPullAsync(string source, string period, string key = Keys.Ops) =>
        SendAsync(HttpMethod.Post, $"/api/pulls/{source}/{period}", key);

    /// <summary>Starts a pull that must start now (202) and returns its instance id.</summary>
    public async Task<string> StartPullAcceptedAsync(string source, string period)
    {
        var answer = await StartPullAsync(source, period);
        Assert.True(answer.Status == 202, $"Starting the pull of {source} {period} should answer 202; got {answer}");
        return answer.Json.GetProperty("instanceId").GetString()!;
    }

    /// <summary><c>GET /api/feeds/{source}/{feedId}</c>, the source read from the id's start.</summary>
    public Task<HubAnswer> FeedStatusAsync(string feedId, string key = Keys.Ops) =>
        GetAsync($"/api/feeds/{Keys.SourceOf(feedId)}/{Uri.EscapeDataString(feedId)}", key);

    public async Task<IReadOnlyList<InstanceState>> InstancesAsync(string? prefix = null)
    {
        var instances = new List<InstanceState>();
        string? continuation = null;
        do
        {
            var query = new List<string> { "pageSize=1000" };
            if (prefix is not null)
            {
                query.Add($"prefix={Uri.EscapeDataString(prefix)}");
            }

            if (continuation is not null)
            {
                query.Add($"continuationToken={Uri.EscapeDataString(continuation)}");
            }

            var answer = await GetAsync("/api/ops/instances?" + string.Join('&', query), Keys.Ops);
            Assert.True(answer.Status == 200, $"GET /api/ops/instances should answer 200; got {answer}");
            instances.AddRange(answer.Json.GetProperty("instances").EnumerateArray().Select(ToInstance));
            continuation = answer.Json.TryGetProperty("continuationToken", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null;
        }
        while (!string.IsNullOrEmpty(continuation));

        return instances;
    }

    public async Task<InstanceState?> InstanceAsync(string instanceId)
    {
        var answer = await GetAsync($"/api/ops/instances/{Uri.EscapeDataString(instanceId)}", Keys.Ops);
        return answer.Status == 404 ? null : ToInstance(answer.Json);
    }

    /// <summary>Waits until the instance has finished (completed, failed or terminated) and returns it.</summary>
    public Task<InstanceState> WaitForInstanceAsync(string instanceId, TimeSpan? deadline = null) =>
        EventuallyAsync($"orchestration {instanceId} to finish", async () =>
        {
            var instance = await InstanceAsync(instanceId);
            return (instance is { IsTerminal: true }, instance!, instance?.ToString() ?? "not found");
        }, deadline);

    /// <summary>Waits until the feed is Consolidated; a feed that is quarantined instead fails at once.</summary>
    public Task<JsonElement> WaitForFeedConsolidatedAsync(string feedId, TimeSpan? deadline = null) =>
        EventuallyAsync($"feed {feedId} to be Consolidated", async () =>
        {
            var answer = await FeedStatusAsync(feedId);
            if (answer.Status != 200)
            {
                return (false, default, answer.ToString());
            }

            var state = answer.Json.GetProperty("state").GetString();
            Assert.True(state != "Quarantined", $"Feed {feedId} was quarantined: {answer}");
            return (state == "Consolidated", answer.Json, answer.ToString());
        }, deadline);

    /// <summary>
    /// Waits until no orchestration is pending or running: every feed processed, every consolidation and its
    /// announcement done. Returns every instance.
    /// </summary>
    public Task<IReadOnlyList<InstanceState>> WaitUntilQuietAsync(TimeSpan? deadline = null) =>
        EventuallyAsync("every orchestration to finish", async () =>
        {
            var all = await InstancesAsync();
            var busy = all.Where(i => !i.IsTerminal).ToList();
            return (busy.Count == 0, all, string.Join("; ", busy.Select(b => $"{b.InstanceId} {b.Status}")));
        }, deadline);

    /// <summary>A period's current data set, or null when the query API answers 404.</summary>
    public async Task<JsonElement?> DatasetAsync(string period)
    {
        var answer = await GetAsync($"/api/datasets/{period}");
        if (answer.Status == 404)
        {
            return null;
        }

        Assert.True(answer.Status == 200, $"GET /api/datasets/{period} should answer 200 or 404; got {answer}");
        return answer.Json;
    }

    public async Task<JsonElement> DatasetVersionAsync(string period, int version)
    {
        var answer = await GetAsync($"/api/datasets/{period}/versions/{version.ToString(CultureInfo.InvariantCulture)}");
        Assert.True(answer.Status == 200, $"GET /api/datasets/{period}/versions/{version} should answer 200; got {answer}");
        return answer.Json;
    }

    /// <summary>The published version numbers of a period, ascending (empty when it has none).</summary>
    public async Task<IReadOnlyList<int>> DatasetVersionsAsync(string period)
    {
        var answer = await GetAsync($"/api/datasets/{period}/versions");
        if (answer.Status == 404)
        {
            return [];
        }

        Assert.True(answer.Status == 200, $"GET /api/datasets/{period}/versions should answer 200; got {answer}");
        return [.. answer.Json.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32())];
    }

    /// <summary>Every period with a published data set (<c>GET /api/datasets</c>).</summary>
    public async Task<IReadOnlyList<string>> DatasetPeriodsAsync()
    {
        var answer = await GetAsync("/api/datasets");
        Assert.True(answer.Status == 200, $"GET /api/datasets should answer 200; got {answer}");
        return [.. answer.Json.EnumerateArray().Select(p => p.GetProperty("period").GetString()!)];
    }

    /// <summary><c>GET /api/ops/reconcile</c> with the ops key; grace 0 so that nothing unfinished passes as in flight.</summary>
    public async Task<JsonElement> ReconcileAsync(int graceSeconds = 0)
    {
        var answer = await GetAsync($"/api/ops/reconcile?graceSeconds={graceSeconds.ToString(CultureInfo.InvariantCulture)}", Keys.Ops);
        Assert.True(answer.Status == 200, $"GET /api/ops/reconcile should answer 200; got {answer}");
        return answer.Json;
    }

    /// <summary>
    /// Reconciles until every landed feed is accounted for, and fails naming every lost or duplicated feed unless that
    /// happens within the deadline; returns the clean report. A feed's status says Consolidated once its version is
    /// stored and current, a moment before the version's announcement, which grace 0 would count as lost.
    /// </summary>
    public Task<JsonElement> AssertNothingLostAsync(int expectedLanded) =>
        EventuallyAsync($"a reconciliation with {expectedLanded} landed feed(s), 0 lost and 0 duplicated", async () =>
        {
            var report = await ReconcileAsync();
            var totals = report.GetProperty("totals");
            var clean = totals.GetProperty("lost").GetInt32() == 0 && totals.GetProperty("duplicates").GetInt32() == 0
                && totals.GetProperty("landed").GetInt32() == expectedLanded;
            return (clean, report, report.ToString());
        }, TimeSpan.FromSeconds(60));

    /// <summary>Every orchestration with its state, and the hub's last log lines: what a failure message needs.</summary>
    public async Task<string> DiagnosticsAsync()
    {
        var text = new StringBuilder();
        try
        {
            var all = await InstancesAsync();
            text.AppendLine(CultureInfo.InvariantCulture, $"Orchestrations ({all.Count}):");
            foreach (var instance in all.OrderBy(i => i.InstanceId, StringComparer.Ordinal))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {instance}");
            }
        }
        catch (Exception ex)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Orchestrations could not be listed: {ex.Message}");
        }

        text.AppendLine("Hub log (last lines):");
        text.AppendLine(logs.Last());
        return text.ToString();
    }

    /// <summary>Polls <paramref name="probe"/> until it says done, or fails after the deadline (at most 120 s) with full diagnostics.</summary>
    public async Task<T> EventuallyAsync<T>(string what, Func<Task<(bool Done, T Value, string State)>> probe, TimeSpan? deadline = null)
    {
        var limit = deadline ?? DefaultDeadline;
        var until = DateTime.UtcNow + limit;
        var lastState = "";
        while (true)
        {
            try
            {
                var (done, value, state) = await probe();
                if (done)
                {
                    return value;
                }

                lastState = state;
            }
            catch (HttpRequestException ex)
            {
                lastState = $"request failed: {ex.Message}";
            }

            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"Waited {limit.TotalSeconds:0} s for {what}; last seen: {lastState}{System.Environment.NewLine}{await DiagnosticsAsync()}");
            }

            await Task.Delay(PollInterval);
        }
    }

    private static InstanceState ToInstance(JsonElement json) => new(
        json.GetProperty("instanceId").GetString()!,
        json.GetProperty("name").GetString()!,
        json.GetProperty("status").GetString()!,
        OptionalString(json, "customStatus"),
        OptionalString(json, "output"),
        OptionalString(json, "failure"));

    private static string? OptionalString(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
