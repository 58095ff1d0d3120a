using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using IntegrationHub.LocalHost.Tests.Ops;
using IntegrationHub.LocalHost.Tests.Support;
using Xunit.Abstractions;

namespace IntegrationHub.LocalHost.Tests.Access;

/// <summary>
/// Hostile traffic over HTTP to the local host on Azurite: a flood of requests without a valid key, a department
/// bursting far over its budget next to another pushing normally, and an ops action whose audit line cannot be
/// written. <c>HUB_HOSTILE_REQUESTS</c> sets the flood's size (default 5,000; the figures in docs/reliability.md are
/// from 100,000).
/// </summary>
public sealed class HostileTrafficEndToEndTests(AccessHub hub, ITestOutputHelper output) : IClassFixture<AccessHub>
{
    private HubApi Api => hub.Api;

    [Fact]
    public async Task AnonymousFlood_NoKeyWrongKeyOrUnknownSource_AuditLogUnchanged_MemoryFlat_EveryAnswer401Or404()
    {
        var requests = int.TryParse(Environment.GetEnvironmentVariable("HUB_HOSTILE_REQUESTS"), CultureInfo.InvariantCulture, out var n) ? n : 5000;
        var body = Encoding.UTF8.GetBytes("""{"source":"transport","note":"flood"}""");

        // Warm up (JIT, connection pool, the first audit blob of the month) before anything is measured.
        Assert.Equal(400, (await Api.PushAsync("transport", body)).Status);
        await SendFloodAsync(200, body);
        var auditBefore = await AuditBlobsAsync();
        var heapBefore = Heap();

        var watch = Stopwatch.StartNew();
        var statuses = await SendFloodAsync(requests, body);
        watch.Stop();

        var auditAfter = await AuditBlobsAsync();
        var heapAfter = Heap();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{requests} anonymous requests in {watch.Elapsed.TotalSeconds:F1} s ({requests / watch.Elapsed.TotalSeconds:F0}/s); managed heap " +
            $"{heapBefore / 1048576.0:F1} -> {heapAfter / 1048576.0:F1} MiB; audit {Describe(auditBefore)} -> {Describe(auditAfter)}"));

        Assert.Equal(requests, statuses[401] + statuses[404]);
        Assert.True(statuses[404] > 0 && statuses[401] > 0, $"The flood should hit both refusals: {statuses[401]} x 401, {statuses[404]} x 404");
        Assert.Equal(auditBefore, auditAfter);

        // Flat: what stays after a full collection does not grow with the requests (a leak of one small object per
        // request would be several MiB at 100,000).
        Assert.True(
            heapAfter - heapBefore < 16 * 1048576L, $"The managed heap grew by {(heapAfter - heapBefore) / 1048576.0:F1} MiB over {requests} requests.");

        // A key holder is still served and audited as before.
        Assert.Equal(400, (await Api.PushAsync("transport", body)).Status);
    }

    [Fact]
    public async Task DepartmentBursting200Pushes_Gets429sWithRetryAfter_AnotherDepartmentsPushesAllServed()
    {
        try
        {
            // The production defaults: 120 a minute after a burst of 8, 2 in progress.
            hub.Reconfigure(
                ("Access:RateLimit:PushPermitsPerMinute", "120"), ("Access:RateLimit:PushBurst", "8"), ("Access:RateLimit:MaxConcurrentPushes", "2"));
            var probe = Encoding.UTF8.GetBytes("""{"source":"transport","note":"burst"}""");
            var other = Encoding.UTF8.GetBytes("""{"source":"environment","note":"steady"}""");

            // Warm (JIT, connections, first landing) so the figures are the limits' and not a cold start's.
            Assert.Equal(400, (await Api.PushAsync("transport", probe)).Status);
            Assert.Equal(400, (await Api.PushAsync("environment", other)).Status);
            await Task.Delay(TimeSpan.FromSeconds(5));

            var watch = Stopwatch.StartNew();
            var burst = Enumerable.Range(0, 200).Select(_ => Api.PushAsync("transport", probe)).ToList();
            var steady = new List<(int Status, TimeSpan Took)>();
            for (var i = 0; i < 6; i++)
            {
                var started = watch.Elapsed;
                var answer = await Api.PushAsync("environment", other);
                steady.Add((answer.Status, watch.Elapsed - started));
            }

            var answers = await Task.WhenAll(burst);
            watch.Stop();

            var limited = answers.Count(a => a.Status == 429);
            var served = answers.Count(a => a.Status == 400);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"burst of 200 in {watch.Elapsed.TotalSeconds:F1} s: {served} served, {limited} x 429; other department: " +
                $"{string.Join(", ", steady.Select(s => $"{s.Status} in {s.Took.TotalMilliseconds:F0} ms"))}"));
            Assert.Equal(200, limited + served);

            // At most the burst plus what the rate refilled while the burst lasted (one every 0.5 s).
            Assert.InRange(served, 1, 8 + (int)Math.Ceiling(watch.Elapsed.TotalSeconds * 2));
            Assert.All(answers.Where(a => a.Status == 429),
                a => Assert.True(int.Parse(a.RetryAfter!, CultureInfo.InvariantCulture) is >= 1 and <= 2, a.ToString()));

            // The other department is not starved: each of its pushes served (400: the probe is no feed), none refused.
            Assert.All(steady, s => Assert.Equal(400, s.Status));
            Assert.All(steady, s => Assert.True(s.Took < TimeSpan.FromSeconds(5), $"A steady push took {s.Took.TotalSeconds:F1} s during the burst."));
        }
        finally
        {
            hub.Reconfigure(
                ("Access:RateLimit:PushPermitsPerMinute", "100000"), ("Access:RateLimit:PushBurst", "100000"),
                ("Access:RateLimit:MaxConcurrentPushes", "1000"));
        }
    }

    [Fact]
    public async Task Purge_AuditLogCannotBeWritten_503AndTheInstanceStays_ThenPurgedAndRecordedOnceItCan()
    {
        var ops = new OpsApi(Api);
        var instanceId = await Api.StartPullAcceptedAsync("transport", "2024-02");
        var pulled = await Api.WaitForInstanceAsync(instanceId);
        Assert.True(pulled.Status == "Completed", $"{pulled}");

        // Someone else's lease on every audit blob: each append is refused, as a broken or locked log would refuse it.
        var leases = new List<BlobLeaseClient>();
        foreach (var blob in await AuditBlobsAsync())
        {
            var lease = hub.Azurite.Blobs.GetBlobContainerClient("audit").GetBlobClient(blob.Name).GetBlobLeaseClient();
            await lease.AcquireAsync(TimeSpan.FromSeconds(-1));
            leases.Add(lease);
        }

        HubAnswer refused;
        try
        {
            refused = await ops.PurgeAsync(instanceId);
        }
        finally
        {
            foreach (var lease in leases)
            {
                await lease.ReleaseAsync();
            }
        }

        Assert.True(refused.Status == 503, $"{refused}");
        Assert.Equal("audit-log", refused.Json.GetProperty("dependency").GetString());
        Assert.NotNull(refused.RetryAfter);
        Assert.Equal(200, (await ops.DetailAsync(instanceId)).Status);
        Assert.DoesNotContain(await ops.AuditOfAsync(instanceId), e => e.GetProperty("action").GetString() == "purge");

        var purged = await ops.PurgeAsync(instanceId);
        Assert.True(purged.Status == 200, $"{purged}");
        var audit = await ops.AuditOfAsync(instanceId);
        Assert.Contains(audit, e => e.GetProperty("action").GetString() == "purge" && e.GetProperty("outcome").GetString() == "requested");
        Assert.Contains(audit, e => e.GetProperty("action").GetString() == "purge" && e.GetProperty("outcome").GetString() == "done");
    }

    /// <summary>Sends <paramref name="count"/> pushes without a valid key, 32 at a time; the answers counted by status.</summary>
    private async Task<Dictionary<int, int>> SendFloodAsync(int count, byte[] body)
    {
        var statuses = new Dictionary<int, int> { [401] = 0, [404] = 0 };
        var next = -1;
        var longSource = "x" + new string('y', 1500);
        async Task WorkerAsync()
        {
            while (Interlocked.Increment(ref next) < count)
            {
                var i = next;
                var answer = (i % 4) switch
                {
                    0 => await Api.SendAsync(HttpMethod.Post, "/api/feeds/transport", key: null, body),
                    1 => await Api.SendAsync(HttpMethod.Post, "/api/feeds/power-grid", key: "guess-" + i.ToString(CultureInfo.InvariantCulture), body),
                    2 => await Api.SendAsync(HttpMethod.Post, "/api/feeds/" + longSource, key: null, body),
                    _ => await Api.SendAsync(HttpMethod.Post, "/api/feeds/weather-" + i.ToString(CultureInfo.InvariantCulture), key: "guess", body),
                };
                lock (statuses)
                {
                    statuses[answer.Status] = statuses.GetValueOrDefault(answer.Status) + 1;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(WorkerAsync)));
        return statuses;
    }

    private async Task<List<(string Name, long Length)>> AuditBlobsAsync()
    {
        var blobs = new List<(string, long)>();
        await foreach (
            var blob in hub.Azurite.Blobs.GetBlobContainerClient("audit").GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, CancellationToken.None))
        {
            blobs.Add((blob.Name, blob.Properties.ContentLength ?? 0));
        }

        return blobs;
    }

    private static string Describe(List<(string Name, long Length)> blobs) => string.Join(" ", blobs.Select(b => $"{b.Name}={b.Length}B"));

    private static long Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
