using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Azure.Storage.Queues;
using CloudNative.CloudEvents;
using IntegrationHub.Core.Reference;
using IntegrationHub.Core.Supply;
using IntegrationHub.Functions.Publishing;
using IntegrationHub.Functions.Storage;
using IntegrationHub.Functions.Supply;
using Microsoft.Extensions.Logging.Abstractions;
using static IntegrationHub.Integration.Tests.Publishing.PublishingSamples;

namespace IntegrationHub.Integration.Tests.Publishing;

/// <summary>
/// The local webhook delivery on Azurite with a real HTTP receiver on loopback: the dashboard subscriber given a
/// webhook receives the structured CloudEvent by POST, retried with backoff until it answers 2xx, dead-lettered when
/// it never does. Each test has its own outbox queue, dead-letter container, delivery log and period.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebhookDeliveryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Dashboard = "dual-carbon-dashboard";
    private const string SupplyOffice = "carbon-office-supply";
    private static int runs;

    private readonly string tag = "w" + Guid.NewGuid().ToString("N")[..8];
    private readonly int run = Interlocked.Increment(ref runs);
    private readonly QueueServiceClient queues = new(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
    private readonly Receiver receiver = new();
    private SubscriberDeliveryLog deliveries = null!;

    private string Period => (2400 + run).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async Task InitializeAsync()
    {
        await azurite.Blobs.GetBlobContainerClient(HubContainers.Datasets).CreateIfNotExistsAsync();
        deliveries = new SubscriberDeliveryLog(azurite.Blobs, TimeProvider.System, tag + "-log");
        receiver.Start();
    }

    public async Task DisposeAsync()
    {
        receiver.Dispose();
        await foreach (var queue in queues.GetQueuesAsync(prefix: tag + "-"))
        {
            await queues.DeleteQueueAsync(queue.Name);
        }

        await azurite.Blobs.GetBlobContainerClient(tag + "-dead").DeleteIfExistsAsync();
        await azurite.Blobs.GetBlobContainerClient(tag + "-log").DeleteIfExistsAsync();
    }

    private WebhookOutbox Outbox(int maxAttempts = 8) => new(
        queues, azurite.Blobs, new HttpClient(),
            new WebhookRetryOptions { MaxAttempts = maxAttempts, FirstDelay = TimeSpan.FromSeconds(1),
            MaxDelay = TimeSpan.FromSeconds(2) },
        TimeProvider.System, NullLogger<WebhookOutbox>.Instance, deliveries, tag + "-outbox", tag + "-dead");

    // The file's subscribers, the dashboard taking its events by webhook at the receiver (as Publishing__Webhooks__…
    // sets it).
    private IReadOnlyList<Subscriber> WithDashboardWebhook() =>
        new PublishingOptions { Webhooks = { [Dashboard] = receiver.Url.ToString() } }.Effective(Hub.Reference.Subscribers.Subscribers);

    private QueueDatasetPublisher Publisher(WebhookOutbox outbox) =>
        new(queues, azurite.Blobs, WithDashboardWebhook(), NullLogger<QueueDatasetPublisher>.Instance, tag + "-", deliveries, outbox);

    private CloudEvent Event() =>
        DatasetPublishedEvent.ForStoredVersion(Dataset(Period + "-Q2", 1, "complete", ("XJNA", "carbon.totalTco2", 2_400_000)));

    // Drains until done holds or 40 s pass (the backoff makes the outbox wait between attempts).
    private static async Task DrainUntilAsync(WebhookOutbox outbox, Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (!await done() && DateTime.UtcNow < deadline)
        {
            await outbox.DrainAsync(CancellationToken.None);
            await Task.Delay(200);
        }
    }

    private async Task<bool> OutboxEmptyAsync()
    {
        var queue = queues.GetQueueClient(tag + "-outbox");
        return (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0;
    }

    [Fact]
    public async Task Publish_WebhookSubscriber_ReceiverGetsTheStructuredCloudEvent_AndNoQueueIsMade()
    {
        var outbox = Outbox();
        var published = Event();

        await Publisher(outbox).PublishAsync(published, CancellationToken.None);
        await DrainUntilAsync(outbox, () => Task.FromResult(receiver.Requests.Count > 0));

        var request = Assert.Single(receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("application/cloudevents+json; charset=utf-8", request.ContentType);
        Assert.Equal(DatasetPublishedEvent.Serialize(published), request.Body);
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal(Period + "-Q2/v1", json.RootElement.GetProperty("id").GetString());
        Assert.Equal("1.0", json.RootElement.GetProperty("specversion").GetString());
        Assert.False(await queues.GetQueueClient(QueueDatasetPublisher.QueueName(Dashboard, tag + "-")).ExistsAsync());
        // The carbon desk (quarterly carbon) still takes it through its queue.
        Assert.True(await queues.GetQueueClient(QueueDatasetPublisher.QueueName("carbon-market-desk", tag + "-")).ExistsAsync());
        var logged = Assert.Single((await deliveries.ReadAsync(Dashboard, 10, null, CancellationToken.None)).Deliveries);
        Assert.Equal(("webhook:" + receiver.Url, Period + "-Q2/v1", false), (logged.Channel, logged.EventId, logged.Redelivery));
    }

    [Fact]
    public async Task Deliver_ReceiverFailsTwiceThenSucceeds_ThreeAttemptsOfTheSameId_ReceivedOnceAfterDedup()
    {
        receiver.Answers.Enqueue(500);
        receiver.Answers.Enqueue(503);
        var outbox = Outbox();

        await Publisher(outbox).PublishAsync(Event(), CancellationToken.None);
        await DrainUntilAsync(outbox, OutboxEmptyAsync);

        // At least once: every attempt carries the same event; the receiver keeps it once by its id.
        Assert.Equal([500, 503, 200], receiver.Requests.Select(r => r.Answered));
        Assert.All(receiver.Requests, r => Assert.Equal(Period + "-Q2/v1", r.EventId));
        Assert.Equal([Period + "-Q2/v1"], receiver.Accepted);
        Assert.Single((await deliveries.ReadAsync(Dashboard, 10, null, CancellationToken.None)).Deliveries);
        Assert.False(await azurite.Blobs.GetBlobContainerClient(tag + "-dead").ExistsAsync());
    }

    [Fact]
    public async Task Deliver_ReceiverAlwaysFails_DeadLetteredAfterTheLastAttempt_WithTheEvent()
    {
        receiver.AlwaysFail = true;
        var outbox = Outbox(maxAttempts: 3);

        await Publisher(outbox).PublishAsync(Event(), CancellationToken.None);
        await DrainUntilAsync(outbox, OutboxEmptyAsync);

        Assert.Equal(3, receiver.Requests.Count);
        var dead = azurite.Blobs.GetBlobContainerClient(tag + "-dead");
        var letters = new List<string>();
        await foreach (var item in dead.GetBlobsAsync())
        {
            letters.Add(item.Name);
        }

        var name = Assert.Single(letters);
        Assert.StartsWith(Dashboard + "/", name, StringComparison.Ordinal);
        using var letter = JsonDocument.Parse((await dead.GetBlobClient(name).DownloadContentAsync()).Value.Content.ToMemory());
        Assert.Equal(Period + "-Q2/v1", letter.RootElement.GetProperty("eventId").GetString());
        Assert.Equal(3, letter.RootElement.GetProperty("attempts").GetInt32());
        Assert.Equal("HTTP 500", letter.RootElement.GetProperty("lastError").GetString());
        Assert.Equal(Period + "-Q2/v1", letter.RootElement.GetProperty("event").GetProperty("id").GetString());
        Assert.Empty((await deliveries.ReadAsync(Dashboard, 10, null, CancellationToken.None)).Deliveries);
    }

    [Fact]
    public async Task Redeliver_WebhookSubscriber_PostedAgainWithTheSameId_RecordedAsRedelivery()
    {
        var outbox = Outbox();
        var publisher = Publisher(outbox);
        var published = Event();
        await publisher.PublishAsync(published, CancellationToken.None);
        await DrainUntilAsync(outbox, () => Task.FromResult(receiver.Requests.Count > 0));

        await publisher.RedeliverAsync(published, Hub.Reference.Subscribers.Subscribers.Single(s => s.Name == Dashboard), CancellationToken.None);
        await DrainUntilAsync(outbox, () => Task.FromResult(receiver.Requests.Count > 1));

        Assert.Equal([Period + "-Q2/v1", Period + "-Q2/v1"], receiver.Requests.Select(r => r.EventId));
        Assert.Equal([true, false], (await deliveries.ReadAsync(Dashboard, 10, null, CancellationToken.None)).Deliveries.Select(d => d.Redelivery));
    }

    // The supply office taking its feed-late events by webhook at the receiver.
    private QueueDatasetPublisher SupplyOfficePublisher(WebhookOutbox outbox) =>
        new(queues, azurite.Blobs,
            new PublishingOptions { Webhooks = { [SupplyOffice] = receiver.Url.ToString() } }
                .Effective(Hub.Reference.Subscribers.Subscribers),
            NullLogger<QueueDatasetPublisher>.Instance, tag + "-", deliveries, outbox);

    private CloudEvent LateEvent() => FeedLateEvent.Create(
        new SupplyCell("transport", Period + "-03", "month", Period + "-04-15",
            new DateTimeOffset(2400 + run, 4, 15, 16, 0, 0, TimeSpan.Zero), SupplyState.Missing, null, []),
        new DateTimeOffset(2400 + run, 4, 16, 0, 5, 0, TimeSpan.Zero));

    [Fact]
    public async Task PublishFeedLate_WebhookSubscriber_FailsOnceThenReceivesTheSameEventById_NoQueue_Logged()
    {
        receiver.Answers.Enqueue(503);
        var outbox = Outbox();
        var late = LateEvent();

        await SupplyOfficePublisher(outbox).PublishFeedLateAsync(late, CancellationToken.None);
        await DrainUntilAsync(outbox, OutboxEmptyAsync);

        // Retried like a data set: both attempts carry the event as structured JSON, byte for byte, under one id.
        Assert.Equal([503, 200], receiver.Requests.Select(r => r.Answered));
        Assert.All(receiver.Requests, r => Assert.Equal(DatasetPublishedEvent.Serialize(late), r.Body));
        Assert.StartsWith("feed-late:", late.Id, StringComparison.Ordinal);
        Assert.Equal([late.Id!], receiver.Accepted);
        Assert.False(await queues.GetQueueClient(QueueDatasetPublisher.QueueName(SupplyOffice, tag + "-")).ExistsAsync());
        // No other subscriber asks for feed-late: nothing for the dashboard.
        Assert.False(await queues.GetQueueClient(QueueDatasetPublisher.QueueName(Dashboard, tag + "-")).ExistsAsync());
        var logged = Assert.Single((await deliveries.ReadAsync(SupplyOffice, 10, null, CancellationToken.None)).Deliveries);
        Assert.Equal((late.Id, "cn.xiangjiang.dualcarbon.feed.late", Period + "-03", (int?)null, "webhook:" + receiver.Url, false),
            (logged.EventId, logged.Type, logged.Period, logged.Version, logged.Channel, logged.Redelivery));
    }

    [Fact]
    public async Task PublishFeedLate_WebhookReceiverAlwaysFails_DeadLetteredWithTheEvent()
    {
        receiver.AlwaysFail = true;
        var outbox = Outbox(maxAttempts: 2);
        var late = LateEvent();

        await SupplyOfficePublisher(outbox).PublishFeedLateAsync(late, CancellationToken.None);
        await DrainUntilAsync(outbox, OutboxEmptyAsync);

        Assert.Equal(2, receiver.Requests.Count);
        var dead = azurite.Blobs.GetBlobContainerClient(tag + "-dead");
        var letters = new List<string>();
        await foreach (var item in dead.GetBlobsAsync())
        {
            letters.Add(item.Name);
        }

        var name = Assert.Single(letters);
        Assert.StartsWith(SupplyOffice + "/", name, StringComparison.Ordinal);
        using var letter = JsonDocument.Parse((await dead.GetBlobClient(name).DownloadContentAsync()).Value.Content.ToMemory());
        Assert.Equal(late.Id, letter.RootElement.GetProperty("eventId").GetString());
        Assert.Equal("transport", letter.RootElement.GetProperty("event").GetProperty("data").GetProperty("source").GetString());
        Assert.Empty((await deliveries.ReadAsync(SupplyOffice, 10, null, CancellationToken.None)).Deliveries);
    }

    [Theory]
    [InlineData("http://dashboard.example.org/events", false)]
    [InlineData("http://10.0.0.5/events", false)]
    [InlineData("ftp://127.0.0.1/events", false)]
    [InlineData("https://dashboard.example.org/events", true)]
    [InlineData("http://127.0.0.1:7090/events", true)]
    [InlineData("http://localhost:7090/events", true)]
    [InlineData("http://[::1]:7090/events", true)]
    public void Webhook_OnlyHttpsOrLoopbackHttp_IsAllowed(string url, bool allowed)
    {
        Assert.Equal(allowed, WebhookOutbox.IsAllowed(new Uri(url)));
        var problem = new PublishingOptions { Webhooks = { [Dashboard] = url } }.WebhookProblem(Hub.Reference.Subscribers.Subscribers);
        Assert.Equal(allowed, problem is null);
    }

    [Fact]
    public void Channel_WebhookWithAnAccessCodeInItsQuery_NamedWithoutIt()
    {
        Assert.Equal("webhook:https://dashboard.example.org/events",
            WebhookOutbox.ChannelOf(new Uri("https://dashboard.example.org/events?code=s3cr3t#x")));
    }

    [Fact]
    public void WebhookSetting_UnknownSubscriber_IsAProblemNamingTheSetting()
    {
        var problem = new PublishingOptions { Webhooks = { ["no-such-subscriber"] = "https://dashboard.example.org/events" } }
            .WebhookProblem(Hub.Reference.Subscribers.Subscribers);

        Assert.Contains("Publishing:Webhooks:no-such-subscriber", problem, StringComparison.Ordinal);
    }

    // A webhook receiver on a free loopback port: answers from Answers (then 200), dedups by event id.
    private sealed class Receiver : IDisposable
    {
        private LoopbackHttpServer? server;
        private readonly ConcurrentQueue<ReceivedRequest> requests = new();
        private readonly HashSet<string> accepted = [];

        public Uri Url { get; private set; } = null!;

        public ConcurrentQueue<int> Answers { get; } = new();

        public bool AlwaysFail { get; set; }

        public IReadOnlyList<ReceivedRequest> Requests => [.. requests];

        // Event ids kept after dedup: what a subscriber acts on.
        public IReadOnlyList<string> Accepted
        {
            get
            {
                lock (accepted)
                {
                    return [.. accepted];
                }
            }
        }

        public void Start()
        {
            server = new LoopbackHttpServer("/events/", AnswerAsync);
            Url = server.Url;
        }

        private async Task AnswerAsync(HttpListenerContext context)
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var status = AlwaysFail ? 500 : Answers.TryDequeue(out var next) ? next : 200;
            var id = JsonDocument.Parse(body.ToArray()).RootElement.GetProperty("id").GetString()!;
            requests.Enqueue(new ReceivedRequest(context.Request.HttpMethod, context.Request.ContentType, body.ToArray(), id, status));
            if (status == 200)
            {
                lock (accepted)
                {
                    accepted.Add(id);
                }
            }

            context.Response.StatusCode = status;
        }

        public void Dispose() => server?.Dispose();
    }

    private sealed record ReceivedRequest(string Method, string? ContentType, byte[] Body, string EventId, int Answered);
}
