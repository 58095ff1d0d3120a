using Azure.Messaging.EventGrid;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using IntegrationHub.Core;
using IntegrationHub.Core.Publishing;
using IntegrationHub.Core.Reference;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Publishing;

/// <summary>
/// Azure's publisher when some subscribers take webhooks: Service Bus for the others, and one event to the Event Grid
/// topic whose subscriptions push to the webhooks. It is the same CloudEvent with the routing facts added as extension
/// attributes, because the subscriptions' advanced filters (infra/modules/event-grid/topic) can read only those.
/// </summary>
public sealed partial class EventGridDatasetPublisher(
    ServiceBusDatasetPublisher serviceBus,
    EventGridPublisherClient eventGrid,
    IReadOnlyList<Subscriber> subscribers,
    ILogger<EventGridDatasetPublisher> logger,
    SubscriberDeliveryLog? deliveries = null)
    : IDatasetPublisher, ISubscriberRedelivery
{
    public static readonly CloudEventAttribute PeriodKindAttribute = CloudEventAttribute.CreateExtension("periodkind", CloudEventAttributeType.String);
    public static readonly CloudEventAttribute AreasAttribute = CloudEventAttribute.CreateExtension("areas", CloudEventAttributeType.String);
    public static readonly CloudEventAttribute IndicatorsAttribute = CloudEventAttribute.CreateExtension("indicators", CloudEventAttributeType.String);
    public static readonly CloudEventAttribute RedeliverToAttribute = CloudEventAttribute.CreateExtension("redeliverto", CloudEventAttributeType.String);

    private static readonly JsonEventFormatter Formatter = new(new System.Text.Json.JsonSerializerOptions(HubJson.Options) { WriteIndented = false }, default);

    public async Task PublishAsync(CloudEvent dataSetEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSetEvent);
        // Service Bus first, as before webhooks existed; a failure of either is retried whole (subscribers dedup by id).
        await serviceBus.PublishAsync(dataSetEvent, cancellationToken).ConfigureAwait(false);
        var routing = DatasetPublishedEvent.RoutingOf(dataSetEvent);
        var hooked = subscribers
            .Where(s => s.Webhook is not null && SubscriptionFilter.Wants(s, SubscriptionFilter.DatasetPublished)
                && SubscriptionFilter.Matches(s.Filter, routing.PeriodKind, routing.Areas, routing.IndicatorIds))
            .ToList();
        if (hooked.Count == 0)
        {
            return;
        }

        await eventGrid.SendEncodedCloudEventsAsync(Encode(dataSetEvent, redeliverTo: null), cancellationToken).ConfigureAwait(false);
        LogPublished(logger, dataSetEvent.Id!, hooked.Count);
        foreach (var subscriber in hooked)
        {
            // Event Grid pushes on its own from here; the log says when the hub handed it over.
            if (deliveries is not null)
            {
                await deliveries.RecordAsync(subscriber.Name, dataSetEvent, ChannelOf(subscriber), redelivery: false, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // Service Bus for the others, then one event to the topic when a webhook subscriber asks for feed-late (its
    // event subscriptions take the type: infra/modules/event-grid/topic).
    public async Task PublishFeedLateAsync(CloudEvent feedLateEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedLateEvent);
        await serviceBus.PublishFeedLateAsync(feedLateEvent, cancellationToken).ConfigureAwait(false);
        var hooked = subscribers.Where(s => s.Webhook is not null && SubscriptionFilter.Wants(s, SubscriptionFilter.FeedLate)).ToList();
        if (hooked.Count == 0)
        {
            return;
        }

        await eventGrid.SendEncodedCloudEventsAsync(Encode(feedLateEvent, redeliverTo: null), cancellationToken).ConfigureAwait(false);
        LogPublished(logger, feedLateEvent.Id!, hooked.Count);
        foreach (var subscriber in hooked)
        {
            if (deliveries is not null)
            {
                await deliveries.RecordAsync(subscriber.Name, feedLateEvent, ChannelOf(subscriber), redelivery: false, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public string ChannelOf(Subscriber subscriber) =>
        Own(subscriber).Webhook is { } hook ? WebhookOutbox.ChannelOf(hook.Url) : serviceBus.ChannelOf(subscriber);

    public async Task RedeliverAsync(CloudEvent dataSetEvent, Subscriber subscriber, CancellationToken cancellationToken)
    {
        var own = Own(subscriber);
        if (own.Webhook is null)
        {
            await serviceBus.RedeliverAsync(dataSetEvent, own, cancellationToken).ConfigureAwait(false);
            return;
        }

        await eventGrid.SendEncodedCloudEventsAsync(Encode(dataSetEvent, own.Name), cancellationToken).ConfigureAwait(false);
        if (deliveries is not null)
        {
            await deliveries.RecordAsync(own.Name, dataSetEvent, ChannelOf(own), redelivery: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The event as Event Grid takes it: a JSON array of one structured CloudEvent, with the routing extensions when it
    /// is a data set's.
    /// </summary>
    public static ReadOnlyMemory<byte> Encode(CloudEvent dataSetEvent, string? redeliverTo)
    {
        ArgumentNullException.ThrowIfNull(dataSetEvent);
        var routed = new CloudEvent(dataSetEvent.SpecVersion, [PeriodKindAttribute, AreasAttribute, IndicatorsAttribute, RedeliverToAttribute]);
        foreach (var (attribute, value) in dataSetEvent.GetPopulatedAttributes())
        {
            routed[attribute.Name] = value;
        }

        routed.Data = dataSetEvent.Data;
        // Only a data set has routing facts; other types are told apart by their type alone.
        if (dataSetEvent.Type == DatasetPublishedEvent.EventType)
        {
            var routing = DatasetPublishedEvent.RoutingOf(dataSetEvent);
            routed[PeriodKindAttribute] = routing.PeriodKind;
            routed[AreasAttribute] = SubscriptionFilter.DelimitedList(routing.Areas);
            routed[IndicatorsAttribute] = SubscriptionFilter.DelimitedList(routing.IndicatorIds);
        }

        if (redeliverTo is not null)
        {
            routed[RedeliverToAttribute] = redeliverTo;
        }

        return Formatter.EncodeBatchModeMessage([routed], out _);
    }

    private Subscriber Own(Subscriber subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        return subscribers.FirstOrDefault(s => s.Name == subscriber.Name)
            ?? throw new ArgumentException($"'{subscriber.Name}' is not a subscriber of this publisher.", nameof(subscriber));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {EventId} to the Event Grid topic for {Webhooks} webhook subscribers")]
    private static partial void LogPublished(ILogger logger, string eventId, int webhooks);
}
