using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using IntegrationHub.LocalHost.Tests.Support;
using Xunit.Abstractions;

namespace IntegrationHub.RealHost.Tests;

/// <summary>
/// The hub's end-to-end scenarios under the real Functions host: the app's own host.json accepted, containers made by
/// the app on a fresh storage account, push and pull through ProcessFeed and ConsolidatePeriod, a timer firing from
/// its CRON setting, publishing to the subscribers' queues, the query API, the ops routes, the web pages, and a worker
/// killed mid-run. Tests share one host (starting one takes about 10 s) and use periods of their own.
/// </summary>
[Collection(RealHostCollection.Name)]
public sealed class RealHostEndToEndTests(RealFunctionsHost hub, ITestOutputHelper output)
{
    private static readonly TimeSpan PipelineDeadline = TimeSpan.FromMinutes(3);

    [RealHostFact]
    public async Task Start_RepositoryHostJson_HostServesTheAppWithoutStartupErrors()
    {
        var health = await hub.Api.GetAsync("/api/health");

        Assert.True(health.Status == 200, $"/api/health should answer 200 under the real host; got {health}");
        var ready = await hub.Api.GetAsync("/api/ready");
        Assert.True(ready.Status == 200, $"/api/ready should answer 200 with storage and the task hub up; got {ready}");
        Assert.DoesNotContain("A host error has occurred", hub.RecentLog(400), StringComparison.Ordinal);
        output.WriteLine($"Host: {hub.Launcher.Description}");
    }

    [RealHostFact]
    public async Task Push_FreshStorageAccount_FeedIsConsolidatedPublishedAndServedWithETag()
    {
        var feedId = await hub.Api.PushAcceptedAsync("statistics-2025-Q2-r0.json");

        var status = await hub.Api.WaitForFeedConsolidatedAsync(feedId, PipelineDeadline);
        Assert.Contains(status.GetProperty("datasets").EnumerateArray(), d => d.GetString()!.StartsWith("2025-Q2/v", StringComparison.Ordinal));

        using var first = await hub.Http.GetAsync(new Uri("/api/datasets/2025-Q2", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag ?? throw new InvalidOperationException("The data set answer has no ETag.");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/datasets/2025-Q2");
        again.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag.Tag));
        using var notModified = await hub.Http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        var inbox = new SubscriberInbox(hub.Azurite.Queues, hub.Azurite.Blobs);
        var events = await hub.Api.EventuallyAsync("the 2025-Q2 data set to reach a subscriber queue", async () =>
        {
            var all = (await inbox.DrainAsync()).Values.SelectMany(e => e).Where(e => e.Period == "2025-Q2").ToList();
            return (all.Count > 0, all, $"{all.Count} events");
        }, PipelineDeadline);
        Assert.All(events, e => Assert.Equal("2025-Q2", e.Period));
    }

    [RealHostFact]
    public async Task Push_MissingOrWrongKey_RefusedByTheRequestPipelineWithSecurityHeaders()
    {
        var feed = SampleFeed.Load("transport-2025-05-r0.json");

        var anonymous = await hub.Api.PushAsync("transport", feed.Bytes, key: "");
        var otherDepartment = await hub.Api.PushAsync("transport", feed.Bytes, key: Keys.Statistics);
        var unknownSource = await hub.Api.PushAsync("no-such-source", feed.Bytes, key: Keys.Transport);

        Assert.Equal(401, anonymous.Status);
        Assert.Equal(403, otherDepartment.Status);
        Assert.Equal(404, unknownSource.Status);
        Assert.All([anonymous, otherDepartment, unknownSource], a => Assert.Equal("application/problem+json", a.MediaType));
        using var response = await hub.Http.PostAsync(new Uri("/api/feeds/transport", UriKind.Relative), new ByteArrayContent(feed.Bytes));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [RealHostFact]
    public async Task SchemasAndValidate_SchemaServedAtItsIdsPath_ValidateAnswersAndKeepsNothing()
    {
        var file = Path.Combine(RepoPaths.Root, "schemas", "feeds", "transport", "1.1.schema.json");
        var bytes = await File.ReadAllBytesAsync(file);
        using var parsed = System.Text.Json.JsonDocument.Parse(bytes);
        var idPath = new Uri(parsed.RootElement.GetProperty("$id").GetString()!).AbsolutePath;

        using var schema = await hub.Http.GetAsync(new Uri(idPath, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, schema.StatusCode);
        Assert.Equal("application/schema+json", schema.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, await schema.Content.ReadAsByteArrayAsync());
        Assert.Equal(200, (await hub.Api.GetAsync("/api/schemas/dataset/2.0")).Status);

        // POST …/validate beside GET …/{feedId}: the host routes each method to its own function.
        var feed = SampleFeed.Load("transport-2025-06-r0.json");
        var checkedFeed = await hub.Api.SendAsync(HttpMethod.Post, "/api/feeds/transport/validate", Keys.Transport, feed.Bytes);
        Assert.True(checkedFeed.Status == 200, $"A valid feed should validate; got {checkedFeed}");
        Assert.Equal(feed.FeedId, checkedFeed.Json.GetProperty("feedId").GetString());
        Assert.Equal(404, (await hub.Api.GetAsync($"/api/feeds/transport/{feed.FeedId}", Keys.Transport)).Status);
    }

    [RealHostFact]
    public async Task Pull_DepartmentApi_FeedIsFetchedValidatedAndConsolidated()
    {
        var instanceId = await hub.Api.StartPullAcceptedAsync("power-grid", "2025-05");

        var pull = await hub.Api.WaitForInstanceAsync(instanceId, PipelineDeadline);

        Assert.True(pull.Status == "Completed", $"The pull should complete; got {pull}");
        var recorded = await hub.Api.EventuallyAsync("the pulled power-grid 2025-05 feed recorded and handed over", async () =>
        {
            var feeds = await hub.Api.InstancesAsync("feed:power-grid:2025-05:");
            var done = feeds.FirstOrDefault(f => f.Status == "Completed");
            return (done is not null, done, string.Join("; ", feeds));
        }, PipelineDeadline);
        Assert.Contains("handed to consolidation", recorded!.CustomStatus ?? "", StringComparison.Ordinal);
        var status = await hub.Api.WaitForFeedConsolidatedAsync(recorded.OutputJson.GetProperty("feedId").GetString()!, PipelineDeadline);
        Assert.Contains(status.GetProperty("datasets").EnumerateArray(), v => v.GetString()!.StartsWith("2025-Q2/v", StringComparison.Ordinal));
    }

    [RealHostFact]
    public async Task Timer_CronFromSetting_StartsScheduledPulls()
    {
        // PullCronTransport is every 5 s in this run: the timer pulls the month just closed.
        var pulls = await hub.Api.EventuallyAsync("a scheduled transport pull", async () =>
        {
            var found = await hub.Api.InstancesAsync("pull:transport:");
            return (found.Count > 0, found, "none yet");
        }, TimeSpan.FromSeconds(60));

        Assert.NotEmpty(pulls);
    }

    [RealHostFact]
    public async Task OpsRoutes_OpsKey_ListDetailAuditAndReconcileAnswer()
    {
        var feedId = await hub.Api.PushAcceptedAsync("environment-2025-07-r0.json");
        await hub.Api.WaitForFeedConsolidatedAsync(feedId, PipelineDeadline);

        var list = await hub.Api.GetAsync("/api/ops/instances?prefix=feed:environment:2025-07", Keys.Ops);
        Assert.True(list.Status == 200, $"ops list: {list}");
        var instanceId = Assert.Single(list.Json.GetProperty("instances").EnumerateArray()).GetProperty("instanceId").GetString()!;

        var detail = await hub.Api.GetAsync($"/api/ops/instances/{Uri.EscapeDataString(instanceId)}", Keys.Ops);
        Assert.True(detail.Status == 200, $"ops detail: {detail}");
        // Read through the Durable client's own history API, which the real host's Durable extension serves.
        var history = detail.Json.GetProperty("history").EnumerateArray().ToList();
        Assert.Contains(history, e => e.GetProperty("name").GetString() == "RecordFeed");
        // One JSON configuration for Durable data and HTTP answers: camelCase under the real host too.
        var customStatus = detail.Json.GetProperty("customStatus").GetRawText();
        Assert.Contains("handed to consolidation", customStatus, StringComparison.Ordinal);
        Assert.Contains("feedId", customStatus, StringComparison.Ordinal);
        Assert.DoesNotContain("FeedId", customStatus, StringComparison.Ordinal);

        var audit = await hub.Api.GetAsync("/api/ops/audit", Keys.Ops);
        Assert.True(audit.Status == 200, $"ops audit: {audit}");
        Assert.Contains(feedId, audit.Body, StringComparison.Ordinal);

        var refused = await hub.Api.GetAsync("/api/ops/instances", Keys.Statistics);
        Assert.Equal(403, refused.Status);
    }

    [RealHostFact]
    public async Task WebPages_ConsoleDashboardAndOpenApi_AreServedWithTheirPolicies()
    {
        foreach (var page in new[] { "/api/console", "/api/dashboard", "/api/docs" })
        {
            using var response = await hub.Http.GetAsync(new Uri(page, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.Contains("Content-Security-Policy"), $"{page} should carry a Content-Security-Policy");
        }

        var document = await hub.Api.GetAsync("/api/openapi.json");
        Assert.Equal(200, document.Status);
        var paths = document.Json.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/health", paths);
        Assert.Contains(paths, p => p.StartsWith("/feeds/", StringComparison.Ordinal));
    }

    [RealHostFact]
    public async Task MissingContainer_DeletedWhileRunning_AnswersServiceUnavailableNotServerErrorThenRecovers()
    {
        await hub.Azurite.Blobs.GetBlobContainerClient("quarantine").DeleteIfExistsAsync();

        var first = await hub.Api.GetAsync("/api/ops/quarantine", Keys.Ops);
        Assert.True(first.Status is 200 or 503, $"a missing container must never answer 500; got {first}");

        var recovered = await hub.Api.EventuallyAsync("the quarantine list to answer again", async () =>
        {
            var answer = await hub.Api.GetAsync("/api/ops/quarantine", Keys.Ops);
            Assert.NotEqual(500, answer.Status);
            return (answer.Status == 200, answer, answer.ToString());
        }, TimeSpan.FromSeconds(60));
        Assert.Equal(200, recovered.Status);
        Assert.True((await hub.Azurite.Blobs.GetBlobContainerClient("quarantine").ExistsAsync()).Value, "the app should have created the container again");
    }

    [RealHostFact]
    public async Task WorkerKilled_RightAfterAPush_HostRestartsItAndTheFeedIsConsolidated()
    {
        var workers = hub.WorkerProcessIds();
        Assert.NotEmpty(workers);
        var feedId = await hub.Api.PushAcceptedAsync("transport-2025-04-r0.json");
        var clock = Stopwatch.StartNew();
        foreach (var pid in workers)
        {
            Process.GetProcessById(pid).Kill();
        }

        await hub.Api.EventuallyAsync("the host to start a new worker", () =>
        {
            var now = hub.WorkerProcessIds();
            return Task.FromResult((now.Count > 0 && !now.Intersect(workers).Any(), now, string.Join(",", now)));
        }, TimeSpan.FromSeconds(60));
        var restarted = clock.Elapsed;

        await hub.Api.WaitForFeedConsolidatedAsync(feedId, PipelineDeadline);
        output.WriteLine(
            $"Worker killed right after a push: new worker after {restarted.TotalSeconds:0.0} s, feed consolidated after {clock.Elapsed.TotalSeconds:0.0} s.");
    }

    [RealHostFact]
    public async Task HostKilled_RightAfterAPush_RestartedHostFinishesTheRun()
    {
        var feedId = await hub.Api.PushAcceptedAsync("environment-2025-08-r0.json");
        var clock = Stopwatch.StartNew();
        hub.KillHost();

        await hub.StartHostAsync();
        var restarted = clock.Elapsed;

        // The killed host's queue messages come back after their visibility timeout (1 min, the least the Durable
        // extension allows for control queues) and its partition leases after they expire.
        await hub.Api.WaitForFeedConsolidatedAsync(feedId, TimeSpan.FromMinutes(6));
        output.WriteLine(
            $"Host killed right after a push: healthy again after {restarted.TotalSeconds:0.0} s, feed consolidated after {clock.Elapsed.TotalSeconds:0.0} s.");
    }
}
