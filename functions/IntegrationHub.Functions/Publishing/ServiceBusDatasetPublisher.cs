using Azure.Messaging.ServiceBus;
using CloudNative.CloudEvents;
using IntegrationHub.Core.Publishing;
using IntegrationHub.Core.Reference;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Publishing;

/// <summary>
/// Publishes to the Service Bus topic: one message per event, its body the structured CloudEvent JSON. The topic's
/// subscriptions select by SQL rules (SubscriptionFilter.RuleSql) over the application properties set here. The topic
/// gets one message; each subscriber whose filter matches is recorded in the delivery log, when one is given.
/// </summary>
public sealed partial class ServiceBusDatasetPublisher(
    ServiceBusSender sender,
    ILogger<ServiceBusDatasetPublisher> logger,
    IReadOnlyList<Subscriber>? subscribers = null,
    SubscriberDeliveryLog? deliveries = null)
    : IDatasetPublisher, ISubscriberRedelivery
{
    /// <summary>
    /// Prefix of the CloudEvents attributes copied to application properties. The AMQP binding allows them in structured
    /// mode and prefers "_" to ":" as separator, which also keeps them usable in SQL filters.
    /// </summary>
    public const string CloudEventsPropertyPrefix = "cloudEvents_";

    public async Task PublishAsync(CloudEvent dataSetEvent, CancellationToken cancellationToken)
    {
        var message = ToMessage(dataSetEvent);
        await sender.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
        LogPublished(logger, message.MessageId, sender.EntityPath, (string)message.ApplicationProperties[SubscriptionFilter.AreasProperty]);
        if (deliveries is not null && subscribers is not null)
        {
            // The broker routes by the same filters (SubscriptionFilterTests holds the rules to them).
            var routing = DatasetPublishedEvent.RoutingOf(dataSetEvent);
            foreach (var subscriber in subscribers.Where(s => SubscriptionFilter.Wants(s, SubscriptionFilter.DatasetPublished)
                && SubscriptionFilter.Matches(s.Filter, routing.PeriodKind, routing.Areas, routing.IndicatorIds)))
            {
                await deliveries.RecordAsync(subscriber.Name, dataSetEvent, ChannelOf(subscriber), redelivery: false, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public string ChannelOf(Subscriber subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        return $"service-bus:{sender.EntityPath}/{subscriber.Name}";
    }

    public async Task RedeliverAsync(CloudEvent dataSetEvent, Subscriber subscriber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        var message = ToRedelivery(dataSetEvent, subscriber.Name);
        await sender.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
        LogRedelivered(logger, dataSetEvent.Id!, sender.EntityPath, subscriber.Name);
        if (deliveries is not null)
        {
            await deliveries.RecordAsync(subscriber.Name, dataSetEvent, ChannelOf(subscriber), redelivery: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A redelivery of an event (a data set's or a feed-late one) to one subscriber: the same body (same CloudEvent id)
    /// with <c>redeliverTo</c> set, which only that subscriber's rule accepts. Its MessageId is new, or the topic's
    /// duplicate detection would drop it.
    /// </summary>
    public static ServiceBusMessage ToRedelivery(CloudEvent dataSetEvent, string subscriberName)
    {
        ArgumentNullException.ThrowIfNull(subscriberName);
        ArgumentNullException.ThrowIfNull(dataSetEvent);
        var message = dataSetEvent.Type == DatasetPublishedEvent.EventType ? ToMessage(dataSetEvent) : ToFeedLateMessage(dataSetEvent);
        message.MessageId = $"{dataSetEvent.Id}/redelivery/{Guid.NewGuid():N}";
        message.ApplicationProperties[SubscriptionFilter.RedeliverToProperty] = subscriberName;
        return message;
    }

    /// <summary>The message for an event; its id is the event id, so the topic's duplicate detection drops a re-send.</summary>
    public static ServiceBusMessage ToMessage(CloudEvent dataSetEvent)
    {
        ArgumentNullException.ThrowIfNull(dataSetEvent);
        var routing = DatasetPublishedEvent.RoutingOf(dataSetEvent);
        var message = NewMessage(dataSetEvent, SubscriptionFilter.DatasetPublished);
        var properties = message.ApplicationProperties;
        properties[SubscriptionFilter.PeriodKindProperty] = routing.PeriodKind;
        properties[SubscriptionFilter.AreasProperty] = SubscriptionFilter.DelimitedList(routing.Areas);
        properties[SubscriptionFilter.IndicatorsProperty] = SubscriptionFilter.DelimitedList(routing.IndicatorIds);
        return message;
    }

    public async Task PublishFeedLateAsync(CloudEvent feedLateEvent, CancellationToken cancellationToken)
    {
        var message = ToFeedLateMessage(feedLateEvent);
        await sender.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
        LogPublished(logger, message.MessageId, sender.EntityPath, "");
        if (deliveries is not null && subscribers is not null)
        {
            foreach (var subscriber in subscribers.Where(s => SubscriptionFilter.Wants(s, SubscriptionFilter.FeedLate)))
            {
                await deliveries.RecordAsync(subscriber.Name, feedLateEvent, ChannelOf(subscriber), redelivery: false, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A <c>feed-late</c> message: <c>type</c> = feed-late, which only the rules of subscribers asking for it take.</summary>
    public static ServiceBusMessage ToFeedLateMessage(CloudEvent feedLateEvent)
    {
        ArgumentNullException.ThrowIfNull(feedLateEvent);
        return NewMessage(feedLateEvent, SubscriptionFilter.FeedLate);
    }

    // The structured CloudEvent as the body, its id as the message id, and the properties every rule may read.
    private static ServiceBusMessage NewMessage(CloudEvent cloudEvent, string eventType)
    {
        var message = new ServiceBusMessage(DatasetPublishedEvent.Serialize(cloudEvent))
        {
            MessageId = cloudEvent.Id,
            ContentType = DatasetPublishedEvent.StructuredContentType,
            Subject = cloudEvent.Subject,
        };
        var properties = message.ApplicationProperties;
        properties[SubscriptionFilter.EventTypeProperty] = eventType;
        properties[CloudEventsPropertyPrefix + "specversion"] = cloudEvent.SpecVersion.VersionId;
        properties[CloudEventsPropertyPrefix + "id"] = cloudEvent.Id;
        properties[CloudEventsPropertyPrefix + "type"] = cloudEvent.Type;
        properties[CloudEventsPropertyPrefix + "source"] = cloudEvent.Source?.OriginalString;
        properties[CloudEventsPropertyPrefix + "subject"] = cloudEvent.Subject;
        properties[CloudEventsPropertyPrefix + "time"] = cloudEvent.Time;
        return message;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Redelivered {EventId} through Service Bus topic {Topic} to {Subscriber} only")]
    private static partial void LogRedelivered(ILogger logger, string eventId, string topic, string subscriber);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {EventId} to Service Bus topic {Topic} (areas {Areas})")]
    private static partial void LogPublished(ILogger logger, string eventId, string topic, string areas);
}
