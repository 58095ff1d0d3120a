using System.Text.Json;
using Azure;
using Azure.Messaging.EventGrid;
using Azure.Messaging.ServiceBus;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Reference;
using IntegrationHub.Core.Supply;
using IntegrationHub.Functions.Publishing;
using IntegrationHub.Functions.Supply;
using Microsoft.Extensions.Logging.Abstractions;
using static IntegrationHub.Integration.Tests.Publishing.PublishingSamples;

namespace IntegrationHub.Integration.Tests.Publishing;

/// <summary>
/// Azure with webhook subscribers, through the SDKs' test seams: the carbon desk takes its events by webhook, so an
/// event it wants goes to the Event Grid topic as well as to Service Bus, carrying the routing extensions the event
/// subscriptions' advanced filters read.
/// </summary>
public sealed class EventGridDatasetPublisherTests
{
    private const string CarbonDesk = "carbon-market-desk";
    private const string SupplyOffice = "carbon-office-supply";

    private static readonly SupplyCell TransportMarch = new(
        "transport", "2025-03", "month", "2025-04-15", new DateTimeOffset(2025, 4, 15, 16, 0, 0, TimeSpan.Zero), SupplyState.Missing, null, []);

    private static readonly DatasetDocument Q4Version2 = Dataset(
        "2024-Q4", 2, "complete", ("XJNA", "carbon.totalTco2", 2_400_000), ("430104", "carbon.totalTco2", 1_700_000));

    private static readonly IndicatorChange[] QuarterCarbonIn430104 =
    [
        new("430104", "carbon.totalTco2", 1_690_000, 1_700_000),
        new("XJNA", "carbon.totalTco2", 2_390_000, 2_400_000),
    ];

    private readonly RecordingSender sender = new();
    private readonly RecordingEventGrid eventGrid = new();

    private static IReadOnlyList<Subscriber> Subscribers =>
        new PublishingOptions { Webhooks = { [CarbonDesk] = "https://carbon-desk.example.org/hub-events" } }.Effective(Hub.Reference.Subscribers.Subscribers);

    private EventGridDatasetPublisher Publisher() => new(
        new ServiceBusDatasetPublisher(sender, NullLogger<ServiceBusDatasetPublisher>.Instance, [.. Subscribers.Where(s => s.Webhook is null)]),
        eventGrid, Subscribers, NullLogger<EventGridDatasetPublisher>.Instance);

    [Fact]
    public async Task Publish_EventAWebhookSubscriberWants_ToServiceBusAndOnceToEventGridWithTheRoutingExtensions()
    {
        var published = DatasetPublishedEvent.Create(Q4Version2, QuarterCarbonIn430104);

        await Publisher().PublishAsync(published, CancellationToken.None);

        Assert.Equal("2024-Q4/v2", Assert.Single(sender.Sent).MessageId);
        var batch = Assert.Single(eventGrid.Batches);
        var sent = Assert.Single(batch.RootElement.EnumerateArray().ToList());
        Assert.Equal("2024-Q4/v2", sent.GetProperty("id").GetString());
        Assert.Equal("cn.xiangjiang.dualcarbon.dataset.published", sent.GetProperty("type").GetString());
        Assert.Equal("quarter", sent.GetProperty("periodkind").GetString());
        Assert.Equal(",XJNA,430104,", sent.GetProperty("areas").GetString());
        Assert.Equal(",carbon.totalTco2,", sent.GetProperty("indicators").GetString());
        Assert.False(sent.TryGetProperty("redeliverto", out _));
        // The data is the event's own: the webhook gets what a queue subscriber gets.
        using var original = JsonDocument.Parse(DatasetPublishedEvent.Serialize(published));
        Assert.Equal(original.RootElement.GetProperty("data").GetRawText(), sent.GetProperty("data").GetRawText());
    }

    [Fact]
    public async Task Publish_EventNoWebhookSubscriberWants_NothingToEventGrid()
    {
        // A year's energy revision: the carbon desk takes quarterly carbon figures only.
        var year = Dataset("2024", 2, "complete", ("430104", "energy.totalTce", 3_100_000));

        await Publisher().PublishAsync(DatasetPublishedEvent.Create(year, [new("430104", "energy.totalTce", 3_050_000, 3_100_000)]), CancellationToken.None);

        Assert.Single(sender.Sent);
        Assert.Empty(eventGrid.Batches);
    }

    [Fact]
    public async Task Redeliver_WebhookSubscriber_ToEventGridAddressedToIt_NothingToServiceBus()
    {
        var published = DatasetPublishedEvent.Create(Q4Version2, QuarterCarbonIn430104);

        await Publisher().RedeliverAsync(published, Hub.Reference.Subscribers.Subscribers.Single(s => s.Name == CarbonDesk), CancellationToken.None);

        Assert.Empty(sender.Sent);
        var sent = Assert.Single(Assert.Single(eventGrid.Batches).RootElement.EnumerateArray().ToList());
        Assert.Equal(("2024-Q4/v2", CarbonDesk), (sent.GetProperty("id").GetString(), sent.GetProperty("redeliverto").GetString()));
    }

    [Fact]
    public async Task Redeliver_ServiceBusSubscriber_TopicMessageOnlyItsRuleTakes_WithAFreshMessageId()
    {
        var published = DatasetPublishedEvent.Create(Q4Version2, QuarterCarbonIn430104);

        await Publisher().RedeliverAsync(published,
            Hub.Reference.Subscribers.Subscribers.Single(s => s.Name == "dual-carbon-dashboard"),
            CancellationToken.None);

        Assert.Empty(eventGrid.Batches);
        var message = Assert.Single(sender.Sent);
        Assert.Equal("dual-carbon-dashboard", message.ApplicationProperties["redeliverTo"]);
        Assert.Equal("2024-Q4/v2", message.ApplicationProperties["cloudEvents_id"]);
        // Not the event id: the topic's duplicate detection would drop a message id it saw within a day.
        Assert.StartsWith("2024-Q4/v2/redelivery/", message.MessageId, StringComparison.Ordinal);
        Assert.Equal("2024-Q4/v2", DatasetPublishedEvent.Deserialize(message.Body.ToMemory()).Id);
    }

    [Fact]
    public async Task PublishFeedLate_WebhookSubscriberAsksForIt_ToServiceBusAndToEventGridWithoutRoutingExtensions()
    {
        // The supply office (feed-late only) takes its events by webhook; the carbon desk's webhook does not ask for them.
        var subscribers = new PublishingOptions
        {
            Webhooks = { [CarbonDesk] = "https://carbon-desk.example.org/hub-events", [SupplyOffice] = "https://supply.example.org/late" },
        }.Effective(Hub.Reference.Subscribers.Subscribers);
        var publisher = new EventGridDatasetPublisher(
            new ServiceBusDatasetPublisher(sender, NullLogger<ServiceBusDatasetPublisher>.Instance, [.. subscribers.Where(s => s.Webhook is null)]),
            eventGrid, subscribers, NullLogger<EventGridDatasetPublisher>.Instance);
        var late = FeedLateEvent.Create(TransportMarch, new DateTimeOffset(2025, 4, 16, 0, 5, 0, TimeSpan.Zero));

        await publisher.PublishFeedLateAsync(late, CancellationToken.None);

        Assert.Equal(late.Id, Assert.Single(sender.Sent).MessageId);
        var sent = Assert.Single(Assert.Single(eventGrid.Batches).RootElement.EnumerateArray().ToList());
        Assert.Equal((late.Id, "cn.xiangjiang.dualcarbon.feed.late"), (sent.GetProperty("id").GetString(), sent.GetProperty("type").GetString()));
        Assert.False(sent.TryGetProperty("periodkind", out _));
        Assert.False(sent.TryGetProperty("redeliverto", out _));
        Assert.Equal("transport", sent.GetProperty("data").GetProperty("source").GetString());
    }

    [Fact]
    public async Task PublishFeedLate_NoWebhookSubscriberAsksForIt_NothingToEventGrid()
    {
        // Only the carbon desk has a webhook, and it takes data sets only.
        await Publisher().PublishFeedLateAsync(FeedLateEvent.Create(TransportMarch,
            new DateTimeOffset(2025, 4, 16, 0, 5, 0, TimeSpan.Zero)), CancellationToken.None);

        Assert.Single(sender.Sent);
        Assert.Empty(eventGrid.Batches);
    }

    private sealed class RecordingSender : ServiceBusSender
    {
        public List<ServiceBusMessage> Sent { get; } = [];

        public override string EntityPath => "dataset-published";

        public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
        {
            Sent.Add(message);
            return Task.CompletedTask;
        }
    }

    // What would have gone to the topic (the SDK's mocking constructor and virtual send).
    private sealed class RecordingEventGrid : EventGridPublisherClient
    {
        public List<JsonDocument> Batches { get; } = [];

        public override Task<Response> SendEncodedCloudEventsAsync(ReadOnlyMemory<byte> cloudEvents, CancellationToken cancellationToken = default)
        {
            Batches.Add(JsonDocument.Parse(cloudEvents));
            return Task.FromResult<Response>(null!);
        }
    }
}
