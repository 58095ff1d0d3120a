using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using IntegrationHub.LocalHost.Tests.Support;
using Xunit.Abstractions;

namespace IntegrationHub.LocalHost.Tests.Faults;

/// <summary>The end-to-end hub on an Azurite kept on disk, so that a test can stop its storage and start it again.</summary>
public sealed class StorageOutageHub : EndToEndHub
{
    protected override Task<AzuriteInstance> StartAzuriteAsync() => AzuriteInstance.StartAsync(onDisk: true);
}

/// <summary>
/// The hub's storage (Blob, Queue, Table: Azurite, the task hub's too) goes away for 20 s in the middle of a run and
/// comes back. While it is away the hub answers 503 with Retry-After, quickly, and keeps nothing half-written; once it
/// is back, the runs that were in flight finish (an activity that ended while storage was away, its result unrecorded,
/// runs again) and the feeds refused meanwhile are accepted when sent again.
/// </summary>
public sealed class StorageOutageEndToEndTests(StorageOutageHub hub, ITestOutputHelper output) : IClassFixture<StorageOutageHub>
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20);

    // 2025-Q1: statistics and environment are pushed before the outage and power grid 2025-01 is being pulled; transport
    // is pushed during the outage, and again after.
    private static readonly string[] Before =
        ["statistics-2025-Q1-r0.json", "environment-2025-01-r0.json", "environment-2025-02-r0.json", "environment-2025-03-r0.json"];
    private static readonly string[] During = ["transport-2025-01-r0.json", "transport-2025-02-r0.json", "transport-2025-03-r0.json"];
    private static readonly SampleFeed Pulled = SampleFeed.Latest("power-grid", "2025-01");

    [Fact]
    public async Task Storage_StoppedFor20sMidRun_Answers503WithRetryAfterKeepsNothingPartialAndEveryFeedIsConsolidatedAfterwards()
    {
        var api = hub.Api;
        var accepted = new List<string>();
        foreach (var name in Before)
        {
            accepted.Add(await api.PushAcceptedAsync(name));
        }

        // The department keeps the pull's first request waiting past its timeout (5 s), so the fetch activity is running
        // when storage goes and ends, failed, while it is away: nothing can record that, and it has to run again.
        await hub.Simulators.SetModeAsync(Pulled.Source, "hang", times: 1);
        var pull = await api.StartPullAcceptedAsync(Pulled.Source, Pulled.Period);
        await api.EventuallyAsync("the pull's request to be held by the department", async () =>
        {
            var counters = await hub.Simulators.CountersAsync(Pulled.Source);
            return (counters.Hung >= 1, counters, counters.ToString());
        }, TimeSpan.FromSeconds(60));
        accepted.Add(Pulled.FeedId);

        var inFlight = (await api.InstancesAsync()).Where(i => !i.IsTerminal).Select(i => i.InstanceId).ToList();
        var shutdown = Stopwatch.StartNew();
        await hub.Azurite.StopAsync();
        var away = Stopwatch.StartNew();
        output.WriteLine(
            $"storage stopped {shutdown.ElapsedMilliseconds} ms after SIGTERM, with {inFlight.Count} run(s) in flight: {string.Join(", ", inFlight)}");

        var answers = new List<(string Request, HubAnswer Answer, TimeSpan Took)>();
        for (var i = 0; away.Elapsed < Outage; i++)
        {
            var feed = SampleFeed.Load(During[i % During.Length]);
            answers.Add(await TimedAsync($"POST /api/feeds/{feed.Source} ({feed.Name})", () => api.PushAsync(feed.Source, feed.Bytes)));
            answers.Add(await TimedAsync($"GET /api/feeds/{Keys.SourceOf(accepted[0])}/{accepted[0]}", () => api.FeedStatusAsync(accepted[0])));
            answers.Add(await TimedAsync("GET /api/datasets/2025-Q1", () => api.GetAsync("/api/datasets/2025-Q1")));
            answers.Add(await TimedAsync("GET /api/ops/instances", () => api.GetAsync("/api/ops/instances", Keys.Ops)));
        }

        await hub.Azurite.RestartAsync();
        var recovery = Stopwatch.StartNew();
        var storageBack = DateTimeOffset.UtcNow;
        output.WriteLine($"storage back after {away.Elapsed.TotalSeconds:0.0} s away");
        foreach (var (request, answer, took) in answers)
        {
            output.WriteLine($"  during the outage: {request} -> {answer.Status} Retry-After {answer.RetryAfter} in {took.TotalMilliseconds:0} ms");
        }

        Assert.All(answers, a =>
        {
            Assert.True(a.Answer.Status == 503, $"{a.Request} during the outage should answer 503; got {a.Answer}");
            Assert.Equal("application/problem+json", a.Answer.MediaType);
            Assert.Equal("10", a.Answer.RetryAfter);
            // The ops routes read the Durable task hub, kept on the same storage.
            Assert.Equal(a.Request.Contains("/ops/", StringComparison.Ordinal) ? "task-hub" : "storage", a.Answer.Json.GetProperty("dependency").GetString());
            // Bounded: the storage clients give up within seconds (a hang would run into the client's 60 s timeout).
            Assert.True(a.Took < TimeSpan.FromSeconds(30), $"{a.Request} took {a.Took.TotalSeconds:0.0} s to answer.");
        });
        Assert.Contains(answers, a => a.Request.StartsWith("POST", StringComparison.Ordinal));

        // What was refused is sent again, as Retry-After says, and accepted as if nothing had happened.
        foreach (var name in During)
        {
            var again = await api.PushSampleAsync(name);
            Assert.True(again.Status == 202, $"{name} sent again after the outage should be accepted (202); got {again}");
            accepted.Add(again.Json.GetProperty("feedId").GetString()!);
        }

        var final = await api.WaitUntilQuietAsync(TimeSpan.FromSeconds(150));
        var recovered = recovery.Elapsed;
        var ops = new Ops.OpsApi(api);
        var inFlightDone = DateTimeOffset.MinValue;
        foreach (var instanceId in inFlight)
        {
            var finishedAt = (await ops.InstanceAsync(instanceId)).GetProperty("lastUpdatedAt").GetDateTimeOffset();
            inFlightDone = finishedAt > inFlightDone ? finishedAt : inFlightDone;
        }

        output.WriteLine($"the runs in flight at the stop finished {(inFlightDone - storageBack).TotalSeconds:0.0} s after storage came back; "
            + $"every run, with the feeds sent again, {recovered.TotalSeconds:0.0} s after ({final.Count} runs)");
        foreach (var line in hub.Logs.Containing("runs again when its message reappears"))
        {
            output.WriteLine($"  re-executed: {line}");
        }

        Assert.True(final.All(i => i.Status == "Completed"),
            "Every run should complete once storage is back: " + string.Join("; ", final.Where(i => i.Status != "Completed")) + Environment.NewLine
                + await api.DiagnosticsAsync());

        foreach (var feedId in accepted)
        {
            var status = await api.FeedStatusAsync(feedId);
            Assert.True(status.Status == 200 && status.Json.GetProperty("state").GetString() == "Consolidated", $"{feedId}: {status}");
        }

        Assert.Equal("Received", final.Single(i => i.InstanceId == pull).OutputJson.Prop("outcome").GetString());
        var quarter = (await api.DatasetAsync("2025-Q1"))!.Value;
        Assert.Equal(accepted.Order(), PublishedDatasets.InputsOf(quarter).Order());
        var year = (await api.DatasetAsync("2025"))!.Value;
        Assert.Equal(accepted.Where(id => !id.StartsWith("statistics-", StringComparison.Ordinal)).Order(), PublishedDatasets.InputsOf(year).Order());

        await AssertLandingHoldsExactlyTheAcceptedBodiesAsync(accepted);
        var announced = (await hub.Inbox.DrainAsync())["dual-carbon-dashboard"];
        foreach (var period in new[] { "2025-Q1", "2025" })
        {
            var versions = await api.DatasetVersionsAsync(period);
            var latest = versions[^1];
            Assert.Contains(announced, e => e.Id == $"{period}/v{latest.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    private static async Task<(string Request, HubAnswer Answer, TimeSpan Took)> TimedAsync(string request, Func<Task<HubAnswer>> send)
    {
        var clock = Stopwatch.StartNew();
        var answer = await send();
        return (request, answer, clock.Elapsed);
    }

    /// <summary>
    /// Nothing partial and nothing lost: the landing container holds one blob per accepted feed, named by the SHA-256 of
    /// its content, byte for byte the body that was sent.
    /// </summary>
    private async Task AssertLandingHoldsExactlyTheAcceptedBodiesAsync(IReadOnlyCollection<string> accepted)
    {
        var expected = Before.Concat(During).Select(SampleFeed.Load).Append(Pulled)
            .ToDictionary(f => $"{f.Source}/{Convert.ToHexStringLower(SHA256.HashData(f.Bytes))}.json", f => f.Bytes);
        Assert.Equal(accepted.Count, expected.Count);
        var landing = hub.Azurite.Blobs.GetBlobContainerClient("landing");
        var names = new List<string>();
        await foreach (var blob in landing.GetBlobsAsync())
        {
            names.Add(blob.Name);
            var content = (await landing.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray();
            Assert.True(expected.TryGetValue(blob.Name, out var sent), $"landing/{blob.Name} is not a body that was accepted.");
            Assert.True(
                sent.AsSpan().SequenceEqual(content), $"landing/{blob.Name} is not byte for byte the body sent ({content.Length} of {sent.Length} bytes).");
        }

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
    }
}
