using System.Diagnostics;
using IntegrationHub.LocalHost.Tests.Ops;
using IntegrationHub.LocalHost.Tests.Support;
using Xunit.Abstractions;

namespace IntegrationHub.LocalHost.Tests.Faults;

/// <summary>
/// The end-to-end hub publishing to the subscribers' queues through a gate of their own (Publishing:QueueConnection
/// names the gate's port), so the announcement's endpoint can become unreachable while the hub's storage stays, with
/// a short announcement retry policy.
/// </summary>
public sealed class PublisherOutageHub : EndToEndHub
{
    public const int PublishAttempts = 4;

    /// <summary>In front of the queue service the announcements go to: the endpoint the tests take away.</summary>
    public TcpGate Publisher { get; private set; } = null!;

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            Publisher?.Dispose();
        }
    }

    protected override async Task<AzuriteInstance> StartAzuriteAsync()
    {
        var azurite = await base.StartAzuriteAsync();
        Publisher = TcpGate.OpenTo(azurite.QueuePort);
        return azurite;
    }

    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        settings["Publishing:QueueConnection"] = Azurite.ConnectionStringWithQueuePort(Publisher.Port);
        // Waits of 1, 2 and 4 s: attempts exhausted in about 20 s (each failed attempt spends ~3 s in the client's own retries).
        settings["Publishing:RetryMaxAttempts"] = PublishAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Publishing:RetryFirstIntervalSeconds"] = "1";
    }
}

/// <summary>
/// The publisher's endpoint unavailable: a data set is still written and served at once, its announcement is retried
/// with backoff, and it reaches every subscriber exactly once: when the endpoint returns, or when ops replay the
/// consolidation that gave up.
/// </summary>
public sealed class PublisherOutageEndToEndTests(PublisherOutageHub hub, ITestOutputHelper output) : IClassFixture<PublisherOutageHub>
{
    [Fact]
    public async Task Publisher_AwayWhileAVersionIsAnnounced_DatasetServedMeanwhileAndTheEventArrivesOnceItIsBack()
    {
        const string Period = "2025-Q2";
        var instanceId = $"consolidate:{Period}";
        var ops = new OpsApi(hub.Api);
        var clock = Stopwatch.StartNew();
        hub.Publisher.Shut();
        try
        {
            var feedId = await hub.Api.PushAcceptedAsync("statistics-2025-Q2-r0.json");

            // The version is current and served while its announcement waits; the feed counts as consolidated.
            await hub.Api.WaitForFeedConsolidatedAsync(feedId);
            var served = (await hub.Api.DatasetAsync(Period))!.Value;
            Assert.Equal(1, served.GetProperty("version").GetInt32());
            var retrying = await hub.Api.EventuallyAsync("the announcement to have failed at least once", async () =>
            {
                var detail = await ops.InstanceAsync(instanceId);
                return (OpsApi.CountEvents(detail, "TaskFailed", "PublishDataset") >= 1, detail, OpsApi.Describe(detail));
            }, TimeSpan.FromSeconds(60));
            Assert.True(retrying.GetProperty("status").GetString() == "Running", OpsApi.Describe(retrying));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: v1 served, announcement failed once");
        }
        finally
        {
            hub.Publisher.Open();
        }

        var back = Stopwatch.StartNew();
        var done = await hub.Api.WaitForInstanceAsync(instanceId, TimeSpan.FromSeconds(60));
        output.WriteLine($"{instanceId} {done.Status} {back.Elapsed.TotalSeconds:0.0} s after the publisher came back");
        var detailAfter = await ops.InstanceAsync(instanceId);
        Assert.True(done.Status == "Completed", OpsApi.Describe(detailAfter));
        output.WriteLine(
            $"PublishDataset attempts: {OpsApi.CountEvents(detailAfter, "TaskScheduled", "PublishDataset")}, failed: " +
            $"{OpsApi.CountEvents(detailAfter, "TaskFailed", "PublishDataset")}");

        await AssertAnnouncedOnceAsync(Period, 1);
    }

    [Fact]
    public async Task Publisher_AwayForEveryAttempt_ConsolidationFailsSayingWhyAndAReplayAnnouncesOnce()
    {
        const string Period = "2025-Q3";
        var instanceId = $"consolidate:{Period}";
        var ops = new OpsApi(hub.Api);
        hub.Publisher.Shut();
        System.Text.Json.JsonElement failed;
        try
        {
            var feedId = await hub.Api.PushAcceptedAsync("statistics-2025-Q3-r0.json");
            await hub.Api.WaitForFeedConsolidatedAsync(feedId);
            Assert.Equal(1, (await hub.Api.DatasetAsync(Period))!.Value.GetProperty("version").GetInt32());

            var gaveUp = Stopwatch.StartNew();
            await hub.Api.WaitForInstanceAsync(instanceId, TimeSpan.FromSeconds(90));
            failed = await ops.InstanceAsync(instanceId);
            output.WriteLine($"{instanceId} {failed.GetProperty("status").GetString()} {gaveUp.Elapsed.TotalSeconds:0.0} s after its feed was consolidated");
        }
        finally
        {
            hub.Publisher.Open();
        }

        // Ops see what failed, how often, and what to do; the data set stayed current all along.
        Assert.True(failed.GetProperty("status").GetString() == "Failed", OpsApi.Describe(failed));
        var failure = failed.GetProperty("failure");
        Assert.True(failure.GetProperty("activity").GetString() == "PublishDataset", OpsApi.Describe(failed));
        Assert.Equal(PublisherOutageHub.PublishAttempts, failure.GetProperty("attempts").GetInt32());
        Assert.Contains(
            "Data set 2025-Q3 v1 is stored and current, but announcing it failed", failure.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("Replay", failure.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, (await hub.Api.DatasetAsync(Period))!.Value.GetProperty("version").GetInt32());
        Assert.DoesNotContain((await hub.Inbox.DrainAsync()).Values.SelectMany(events => events), e => e.Period == Period);

        var replay = await ops.ActAsync(instanceId, "replay");
        Assert.True(replay.Status is 200 or 202, $"Replay should be accepted; got {replay}");
        var done = await hub.Api.WaitForInstanceAsync(instanceId, TimeSpan.FromSeconds(60));
        Assert.True(done.Status == "Completed", OpsApi.Describe(await ops.InstanceAsync(instanceId)));

        // The replay announced the version that was already current: no new version, one event.
        Assert.Equal([1], await hub.Api.DatasetVersionsAsync(Period));
        await AssertAnnouncedOnceAsync(Period, 1);
    }

    /// <summary>Every subscriber whose filter matches got the version's event exactly once, and the hub recorded it as announced.</summary>
    private async Task AssertAnnouncedOnceAsync(string period, int version)
    {
        var stored = (await PublishedDatasets.ReadStoredAsync(hub.Azurite.Blobs, period)).Single(v => v.Version == version);
        var expected = PublishedDatasets.Announcements([stored]).Single();
        var inbox = await hub.Inbox.DrainAsync();
        foreach (var subscriber in hub.Inbox.Subscribers)
        {
            var events = inbox[subscriber.Name].Where(e => e.Period == period).Select(e => e.Id).ToList();
            Assert.True(events.Count == (expected.IsFor(subscriber) ? 1 : 0),
                $"{subscriber.Name} should have received {period}/v{version} {(expected.IsFor(subscriber) ? "exactly once" : "never")}; got " +
                $"[{string.Join(", ", events)}]");
        }

        Assert.Contains(inbox["dual-carbon-dashboard"], e => e.Id == $"{period}/v{version}");
        var record = hub.Azurite.Blobs.GetBlobContainerClient("datasets").GetBlobClient($"{period}/announced/v{version}.json");
        Assert.True((await record.ExistsAsync()).Value, $"The hub should record {period}/v{version} as announced.");
    }
}
