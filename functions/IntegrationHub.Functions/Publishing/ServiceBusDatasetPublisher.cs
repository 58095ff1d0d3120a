using Azure.Messaging.ServiceBus;
using CloudNative.CloudEvents;
using IntegrationHub.Core.Publishing;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Publishing;

/// <summary>
/// Publishes to the Service Bus topic: one message per event, its body the structured CloudEvent JSON. The topic's
/// subscriptions select by SQL filters (SubscriptionFilter.ToSql) over the application properties set here.
/// </summary>
public sealed partial class ServiceBusDatasetPublisher(ServiceBusSender sender, ILogger<ServiceBusDatasetPublisher> logger) : IDatasetPublisher
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
    }

    /// <summary>The message for an event; its id is the event id, so the topic's duplicate detection drops a re-send.</summary>
    public static ServiceBusMessage ToMessage(CloudEvent dataSetEvent)
    {
        ArgumentNullException.ThrowIfNull(dataSetEvent);
        var routing = DatasetPublishedEvent.RoutingOf(dataSetEvent);
        var message = new ServiceBusMessage(DatasetPublishedEvent.Serialize(dataSetEvent))
        {
            MessageId = dataSetEvent.Id,
            ContentType = DatasetPublishedEvent.StructuredContentType,
            Subject = dataSetEvent.Subject,
        };

        var properties = message.ApplicationProperties;
        properties[SubscriptionFilter.PeriodKindProperty] = routing.PeriodKind;
        properties[SubscriptionFilter.AreasProperty] = SubscriptionFilter.DelimitedList(routing.Areas);
        properties[SubscriptionFilter.IndicatorsProperty] = SubscriptionFilter.DelimitedList(routing.IndicatorIds);
        properties[CloudEventsPropertyPrefix + "specversion"] = dataSetEvent.SpecVersion.VersionId;
        properties[CloudEventsPropertyPrefix + "id"] = dataSetEvent.Id;
        properties[CloudEventsPropertyPrefix + "type"] = dataSetEvent.Type;
        properties[CloudEventsPropertyPrefix + "source"] = dataSetEvent.Source?.OriginalString;
        properties[CloudEventsPropertyPrefix + "subject"] = dataSetEvent.Subject;
        properties[CloudEventsPropertyPrefix + "time"] = dataSetEvent.Time;
        return message;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {EventId} to Service Bus topic {Topic} (areas {Areas})")]
    private static partial void LogPublished(ILogger logger, string eventId, string topic, string areas);
}
