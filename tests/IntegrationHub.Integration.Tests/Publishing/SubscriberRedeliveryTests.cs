using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Queues;
using CloudNative.CloudEvents;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Supply;
using IntegrationHub.Functions.Access;
using IntegrationHub.Functions.Ops;
using IntegrationHub.Functions.Publishing;
using IntegrationHub.Functions.Resilience;
using IntegrationHub.Functions.Storage;
using IntegrationHub.Functions.Supply;
using IntegrationHub.Integration.Tests.Datasets;
using Microsoft.Extensions.Logging.Abstractions;
using static IntegrationHub.Integration.Tests.Publishing.PublishingSamples;

namespace IntegrationHub.Integration.Tests.Publishing;

/// <summary>
/// Redelivery on real Storage queues and blobs (Azurite): versions stored, announced to the subscribers' queues and
/// recorded, then a subscriber's queue lost and its events sent again from the stored versions. Each test announces
/// in a far-future month of its own, so "since" sees only its own announcements, and uses queues and a delivery log of
/// its own.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SubscriberRedeliveryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Dashboard = "dual-carbon-dashboard";
    private const string Annual = "statistics-bureau-annual";
    private const string CarbonDesk = "carbon-market-desk";
    private const string SupplyOffice = "carbon-office-supply";

    private static int runs;

    private readonly int run = Interlocked.Increment(ref runs);
    private readonly string prefix = "r" + Guid.NewGuid().ToString("N")[..8] + "-";
    private readonly QueueServiceClient queues = new(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
    private readonly QueueServiceClient raw = new(azurite.ConnectionString);
    private ManualClock clock = null!;
    private DatasetStore datasets = null!;
    private SubscriberDeliveryLog deliveries = null!;
    private LateFeedRecords lateFeeds = null!;
    private AuditLog audit = null!;
    private QueueDatasetPublisher publisher = null!;

    private DateTimeOffset Start => new DateTimeOffset(2140, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(run);

    // Periods of this test alone (a stored version is immutable, so tests must not share one).
    private string Year => (2300 + run).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async Task InitializeAsync()
    {
        foreach (var name in HubContainers.All)
        {
            await azurite.Blobs.GetBlobContainerClient(name).CreateIfNotExistsAsync();
        }

        clock = new ManualClock(Start);
        datasets = new DatasetStore(azurite.Blobs);
        deliveries = new SubscriberDeliveryLog(azurite.Blobs, clock, "d" + prefix.TrimEnd('-'));
        lateFeeds = new LateFeedRecords(azurite.Blobs, "l" + prefix.TrimEnd('-'));
        await azurite.Blobs.GetBlobContainerClient("l" + prefix.TrimEnd('-')).CreateIfNotExistsAsync();
        audit = new AuditLog(azurite.Blobs, clock, NullLogger<AuditLog>.Instance);
        publisher = new QueueDatasetPublisher(queues, azurite.Blobs, Hub.Reference.Subscribers.Subscribers,
            NullLogger<QueueDatasetPublisher>.Instance, prefix, deliveries);
    }

    public async Task DisposeAsync()
    {
        await azurite.Blobs.GetBlobContainerClient("d" + prefix.TrimEnd('-')).DeleteIfExistsAsync();
        await azurite.Blobs.GetBlobContainerClient("l" + prefix.TrimEnd('-')).DeleteIfExistsAsync();
        await foreach (var queue in raw.GetQueuesAsync(prefix: prefix))
        {
            await raw.DeleteQueueAsync(queue.Name);
        }
    }

    private SubscriberRedelivery Redelivery(AuditLog? log = null) => new(Hub, datasets, lateFeeds, publisher, deliveries, log ?? audit);

    private static OpsActor Ops => new("ops", "primary");

    // Stores, points latest at, announces and records a version, as the consolidation does, a minute after the last.
    private async Task<CloudEvent> AnnounceAsync(DatasetDocument document)
    {
        clock.Advance(TimeSpan.FromMinutes(1));
        var (outcome, sha) = await datasets.WriteVersionAsync(document, CancellationToken.None);
        Assert.Equal(VersionWrite.Written, outcome);
        var pointer = await datasets.GetPointerAsync(document.Period, CancellationToken.None);
        Assert.True(await datasets.MovePointerAsync(
            new DatasetPointer(document.Period, document.Version, sha, new Dictionary<string, long>()), pointer?.ETag, CancellationToken.None));
        var announced = DatasetPublishedEvent.ForStoredVersion(document);
        await publisher.PublishAsync(announced, CancellationToken.None);
        await datasets.MarkAnnouncedAsync(document.Period, document.Version, announced.Id!, clock.GetUtcNow(), CancellationToken.None);
        return announced;
    }

    // Three announcements: a quarter with carbon and energy (v1), its carbon revision (v2), the year (v1).
    private async Task<CloudEvent[]> AnnounceThreeAsync()
    {
        var quarter = Year + "-Q1";
        return
        [
            await AnnounceAsync(Dataset(quarter, 1, "complete", ("XJNA", "carbon.totalTco2", 2_400_000), ("430104", "energy.totalTce", 900_000))),
            await AnnounceAsync(Dataset(quarter, 2, "complete", ("XJNA", "carbon.totalTco2", 2_410_000), ("430104", "energy.totalTce", 900_000))),
            await AnnounceAsync(Dataset(Year, 1, "complete", ("XJNA", "carbon.totalTco2", 9_100_000))),
        ];
    }

    // Announces a missing feed and records it, as the late-feed check does, a minute after the last event.
    private async Task<CloudEvent> AnnounceLateAsync(string source, string month)
    {
        clock.Advance(TimeSpan.FromMinutes(1));
        var cell = new SupplyCell(source, month, "month", month + "-28", clock.GetUtcNow().AddDays(-1), SupplyState.Missing, null, []);
        var late = FeedLateEvent.Create(cell, clock.GetUtcNow());
        await publisher.PublishFeedLateAsync(late, CancellationToken.None);
        Assert.True(await lateFeeds.RecordAsync(cell, late, clock.GetUtcNow(), CancellationToken.None));
        return late;
    }

    private QueueClient QueueOf(string subscriber) => raw.GetQueueClient(QueueDatasetPublisher.QueueName(subscriber, prefix));

    // The messages waiting in a subscriber's queue, as stored (Base64 of the structured event); none when it does not
    // exist.
    private async Task<List<string>> MessagesAsync(string subscriber)
    {
        var queue = QueueOf(subscriber);
        return await queue.ExistsAsync()
            ? [.. (await queue.PeekMessagesAsync(maxMessages: 32)).Value.Select(m => m.MessageText)]
            : [];
    }

    private static string IdOf(string base64) => DatasetPublishedEvent.Deserialize(Convert.FromBase64String(base64)).Id!;

    [Fact]
    public async Task Redeliver_QueueDeletedAfterPublications_RecreatedWithEveryEventBackUnderTheSameIds_OtherSubscribersGetNothing()
    {
        var events = await AnnounceThreeAsync();
        var original = await MessagesAsync(Dashboard);
        // The dashboard takes everything; the annual desk the year only; the carbon desk the quarter's two versions.
        Assert.Equal([$"{Year}-Q1/v1", $"{Year}-Q1/v2", $"{Year}/v1"], original.Select(IdOf));
        var annualBefore = await MessagesAsync(Annual);
        var carbonBefore = await MessagesAsync(CarbonDesk);
        Assert.Equal([$"{Year}/v1"], annualBefore.Select(IdOf));
        Assert.Equal([$"{Year}-Q1/v1", $"{Year}-Q1/v2"], carbonBefore.Select(IdOf));

        await QueueOf(Dashboard).DeleteAsync();
        clock.Advance(TimeSpan.FromMinutes(10));
        var answer = await Redelivery().RedeliverAsync(Dashboard, Start.ToString("O"), null, Ops, CancellationToken.None);

        Assert.Equal(200, answer.Status);
        var report = Assert.IsType<RedeliveryReport>(answer.Body);
        Assert.Equal((3, 3, 0, null), (report.Matched, report.Sent, report.Remaining, report.ContinueSince));
        Assert.Equal(events.Select(e => e.Id), report.EventIds);
        // The same events, byte for byte: what was first sent is what comes back, oldest first.
        Assert.Equal(original, await MessagesAsync(Dashboard));
        Assert.Equal(annualBefore, await MessagesAsync(Annual));
        Assert.Equal(carbonBefore, await MessagesAsync(CarbonDesk));
    }

    [Fact]
    public async Task Redeliver_FeedLateSubscriberLostItsQueue_GetsItsFeedLateEventsBackByteForByte_NoDataSet()
    {
        var transport = await AnnounceLateAsync("transport", Year + "-01");
        await AnnounceThreeAsync();
        var powerGrid = await AnnounceLateAsync("power-grid", Year + "-02");
        var original = await MessagesAsync(SupplyOffice);
        Assert.Equal([transport.Id, powerGrid.Id], original.Select(IdOf));

        await QueueOf(SupplyOffice).DeleteAsync();
        clock.Advance(TimeSpan.FromMinutes(10));
        var report = Assert.IsType<RedeliveryReport>((await Redelivery().RedeliverAsync(SupplyOffice,
            Start.ToString("O"), null, Ops, CancellationToken.None)).Body);

        // It asks for feed-late only: the three data sets announced between are not its events.
        Assert.Equal((2, 2, 0, null), (report.Matched, report.Sent, report.Remaining, report.ContinueSince));
        Assert.Equal([transport.Id!, powerGrid.Id!], report.EventIds);
        Assert.Equal(original, await MessagesAsync(SupplyOffice));
        // Recorded as sent and as redelivered: newest first, no version for a late feed.
        var logged = (await deliveries.ReadAsync(SupplyOffice, 10, null, CancellationToken.None)).Deliveries;
        // The two redeliveries share the clock's time, so their order between them is not fixed.
        Assert.Equal([(powerGrid.Id!, false), (transport.Id!, false)], logged.Skip(2).Select(d => (d.EventId, d.Redelivery)));
        Assert.Equal([(powerGrid.Id!, Year + "-02"), (transport.Id!, Year + "-01")], logged.Take(2).Where(d => d.Redelivery)
            .Select(d => (d.EventId, d.Period)).OrderBy(d => d.Period == Year + "-01"));
        Assert.All(logged, d => Assert.Equal(("cn.xiangjiang.dualcarbon.feed.late", (int?)null), (d.Type, d.Version)));
    }

    [Fact]
    public async Task Redeliver_SinceAFeedLateEventId_FromThatEventOn()
    {
        await AnnounceLateAsync("transport", Year + "-01");
        var powerGrid = await AnnounceLateAsync("power-grid", Year + "-02");
        await QueueOf(SupplyOffice).DeleteAsync();

        var report = Assert.IsType<RedeliveryReport>((await Redelivery().RedeliverAsync(SupplyOffice, powerGrid.Id, null, Ops, CancellationToken.None)).Body);

        Assert.Equal([powerGrid.Id!], report.EventIds);
        Assert.Equal([powerGrid.Id], (await MessagesAsync(SupplyOffice)).Select(IdOf));
    }

    [Fact]
    public async Task Deliveries_AfterPublicationAndRedelivery_NewestFirstWithTimesAndPagedByToken()
    {
        await AnnounceThreeAsync();
        clock.Advance(TimeSpan.FromMinutes(10));
        await Redelivery().RedeliverAsync(Annual, $"{Year}-Q1/v2", null, Ops, CancellationToken.None);

        var page = await deliveries.ReadAsync(Annual, 1, null, CancellationToken.None);
        var newest = Assert.Single(page.Deliveries);
        // Start + 3 minutes: the year's announcement; + 10 more: its redelivery.
        Assert.Equal((Year + "/v1", Year, 1, Start.AddMinutes(13), true), (newest.EventId, newest.Period, newest.Version, newest.SentAt, newest.Redelivery));
        Assert.Equal("cn.xiangjiang.dualcarbon.dataset.published", newest.Type);
        Assert.Equal("queue:" + QueueDatasetPublisher.QueueName(Annual, prefix), newest.Channel);
        Assert.NotNull(page.ContinuationToken);

        var rest = await deliveries.ReadAsync(Annual, 10, page.ContinuationToken, CancellationToken.None);
        var first = Assert.Single(rest.Deliveries);
        Assert.Equal((Year + "/v1", Start.AddMinutes(3), false), (first.EventId, first.SentAt, first.Redelivery));
        Assert.Null(rest.ContinuationToken);
        Assert.Equal(3, (await deliveries.ReadAsync(Dashboard, 10, null, CancellationToken.None)).Deliveries.Count);
    }

    [Fact]
    public async Task Redeliver_MoreThanTheLimit_SendsTheOldestAndSaysWhereToGoOn()
    {
        var events = await AnnounceThreeAsync();
        await QueueOf(Dashboard).DeleteAsync();

        var first = Assert.IsType<RedeliveryReport>((await Redelivery().RedeliverAsync(Dashboard, Start.ToString("O"), "2", Ops, CancellationToken.None)).Body);
        Assert.Equal((3, 2, 1, events[2].Id), (first.Matched, first.Sent, first.Remaining, first.ContinueSince));

        var rest = Assert.IsType<RedeliveryReport>((await Redelivery().RedeliverAsync(Dashboard, first.ContinueSince, "2", Ops, CancellationToken.None)).Body);
        Assert.Equal((1, 1, 0, null), (rest.Matched, rest.Sent, rest.Remaining, rest.ContinueSince));
        Assert.Equal(events.Select(e => e.Id), (await MessagesAsync(Dashboard)).Select(IdOf));
    }

    [Fact]
    public async Task Redeliver_SmallLimitAfterManyAnnouncements_ReadsVersionsOnlyUntilThePageIsFull()
    {
        // Six versions of one quarter, each a carbon change the dashboard takes.
        var events = new List<CloudEvent>();
        for (var version = 1; version <= 6; version++)
        {
            events.Add(await AnnounceAsync(Dataset(Year + "-Q3", version, "complete", ("XJNA", "carbon.totalTco2", 2_400_000 + version))));
        }

        await QueueOf(Dashboard).DeleteAsync();
        var reads = new VersionReads(Year + "-Q3");
        var options = new Azure.Storage.Blobs.BlobClientOptions();
        options.AddPolicy(reads, Azure.Core.HttpPipelinePosition.PerCall);
        var counted = new SubscriberRedelivery(
            Hub, new DatasetStore(new Azure.Storage.Blobs.BlobServiceClient(azurite.ConnectionString, options)), lateFeeds, publisher, deliveries, audit);

        var report = Assert.IsType<RedeliveryReport>((await counted.RedeliverAsync(Dashboard, Start.ToString("O"), "2", Ops, CancellationToken.None)).Body);

        Assert.Equal([events[0].Id!, events[1].Id!], report.EventIds);
        Assert.Equal((3, 2, 1, events[2].Id), (report.Matched, report.Sent, report.Remaining, report.ContinueSince));
        // The two sent and the one that says where to go on; not the other three.
        Assert.Equal(3, reads.Count);
        Assert.Equal([events[0].Id, events[1].Id], (await MessagesAsync(Dashboard)).Select(IdOf));
    }

    // Counts the GETs of a period's version documents ({period}/v{n}.json in the datasets container).
    private sealed class VersionReads(string period) : Azure.Core.Pipeline.HttpPipelineSynchronousPolicy
    {
        private int count;

        public int Count => count;

        public override void OnSendingRequest(Azure.Core.HttpMessage message)
        {
            var path = Uri.UnescapeDataString(message.Request.Uri.Path);
            if (message.Request.Method == Azure.Core.RequestMethod.Get
                && System.Text.RegularExpressions.Regex.IsMatch(path, $"/{HubContainers.Datasets}/{period}/v[0-9]+\\.json$"))
            {
                Interlocked.Increment(ref count);
            }
        }
    }

    [Theory]
    [InlineData(Dashboard, "last week", 400, "since")]
    [InlineData(Dashboard, null, 400, "since")]
    [InlineData(Dashboard, "2024-Q4/v999", 400, "since")]
    [InlineData(Dashboard, "2140-01-01T00:00:00Z", 400, "limit")]
    [InlineData("no-such-subscriber", "2140-01-01T00:00:00Z", 404, "name")]
    public async Task Redeliver_BadInput_ProblemNamingTheParameter_NothingSent(string subscriber, string? since, int status, string parameter)
    {
        var answer = await Redelivery().RedeliverAsync(subscriber, since, parameter == "limit" ? "0" : null, Ops, CancellationToken.None);

        Assert.Equal(status, answer.Status);
        Assert.True(answer.IsProblem);
        Assert.Equal(parameter, answer.ProblemExtensions!["parameter"]);
        Assert.Empty(await MessagesAsync(Dashboard));
    }

    // The words every ops route uses for a bad limit or page token, so a client reads one shape.
    [Fact]
    public async Task BadLimitOrToken_400InTheOpsRoutesWords_ForRedeliveryAndDeliveries()
    {
        var redelivery = await Redelivery().RedeliverAsync(Dashboard, "2140-01-01T00:00:00Z", "1001", Ops, CancellationToken.None);
        var deliveries = await Redelivery().DeliveriesAsync(Dashboard, "0", null, CancellationToken.None);
        var token = await Redelivery().DeliveriesAsync(Dashboard, null, "not-a-token", CancellationToken.None);

        Assert.Equal((400, "Invalid limit", "'1001' is not a limit; use 1 to 1000."),
            (redelivery.Status, redelivery.ProblemBody!.Title, redelivery.ProblemBody.Detail));
        Assert.Equal((400, "Invalid limit", "'0' is not a limit; use 1 to 500."),
            (deliveries.Status, deliveries.ProblemBody!.Title, deliveries.ProblemBody.Detail));
        Assert.Equal((400, "Invalid continuation token", "Pass back the continuationToken of the previous page as it was given.", "continuationToken"),
            (token.Status, token.ProblemBody!.Title, token.ProblemBody.Detail, token.ProblemExtensions!["parameter"]));
    }

    [Fact]
    public async Task UnknownSubscriber_404Problem_AsWritten_ForRedeliveryAndDeliveries()
    {
        var expected = JsonNode.Parse("""
            {
              "type": "about:blank", "title": "Unknown subscriber", "status": 404,
              "detail": "No subscriber is named 'no-such'; GET /api/ops/subscribers lists them.", "parameter": "name"
            }
            """);
        var redelivery = await Redelivery().RedeliverAsync("no-such", "2140-01-01T00:00:00Z", null, Ops, CancellationToken.None);
        var log = await Redelivery().DeliveriesAsync("no-such", null, null, CancellationToken.None);

        foreach (var (answer, path) in new[] { (redelivery, "redeliver"), (log, "deliveries") })
        {
            var written = await HttpHarness.Execute(HttpHarness.Get($"/api/ops/subscribers/no-such/{path}"), answer.ToActionResult());
            Assert.Equal(404, written.Status);
            Assert.StartsWith("application/problem+json", written.ContentType, StringComparison.Ordinal);
            Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(written.Body)), System.Text.Encoding.UTF8.GetString(written.Body));
        }
    }

    [Fact]
    public async Task Redeliver_Done_AuditedBeforeAndAfter_WithWhatWasSent()
    {
        await AnnounceThreeAsync();

        await Redelivery().RedeliverAsync(Annual, Start.ToString("O"), null, Ops, CancellationToken.None);

        var lines = (await MonthLinesAsync()).Where(e => e.GetProperty("action").GetString() == "redeliver").ToList();
        Assert.Equal(["requested", "done"], lines.Select(e => e.GetProperty("outcome").GetString()));
        Assert.All(lines, e => Assert.Equal("subscriber:" + Annual, e.GetProperty("target").GetString()));
        Assert.StartsWith("sent 1 of 1 since", lines[1].GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redeliver_AuditLogCannotBeWritten_RefusedAndNothingSent()
    {
        await AnnounceThreeAsync();
        await QueueOf(Dashboard).DeleteAsync();
        // The month's audit blob leased by someone else: every append is refused, as a broken log would refuse it.
        await audit.RecordAsync(Ops, "warm-up", "x", "done", 200, null, CancellationToken.None);
        var lease = MonthBlob().GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(-1));
        try
        {
            await Assert.ThrowsAsync<DependencyUnavailableException>(() =>
                Redelivery().RedeliverAsync(Dashboard, Start.ToString("O"), null, Ops, CancellationToken.None));
        }
        finally
        {
            await lease.ReleaseAsync();
        }

        Assert.False(await QueueOf(Dashboard).ExistsAsync());
        Assert.Equal(3, (await deliveries.ReadAsync(Dashboard, 10, null, CancellationToken.None)).Deliveries.Count);
    }

    private AppendBlobClient MonthBlob() =>
        azurite.Blobs.GetBlobContainerClient(HubContainers.Audit).GetAppendBlobClient(clock.GetUtcNow().ToString("yyyy/MM",
            System.Globalization.CultureInfo.InvariantCulture) + ".jsonl");

    private async Task<List<JsonElement>> MonthLinesAsync()
    {
        var text = (await MonthBlob().DownloadContentAsync()).Value.Content.ToString();
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset now = start;

        public void Advance(TimeSpan by) => now += by;

        public override DateTimeOffset GetUtcNow() => now;
    }
}
