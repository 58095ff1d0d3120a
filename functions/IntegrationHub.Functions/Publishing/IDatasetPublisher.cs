using CloudNative.CloudEvents;

namespace IntegrationHub.Functions.Publishing;

/// <summary>Announces a data-set version to its subscribers.</summary>
public interface IDatasetPublisher
{
    /// <summary>
    /// Delivers the event (made by <see cref="DatasetPublishedEvent.Create"/>) to every subscriber whose filter matches it.
    /// Delivery is at least once: a retried call may deliver again, and subscribers drop duplicates by the event id.
    /// </summary>
    Task PublishAsync(CloudEvent dataSetEvent, CancellationToken cancellationToken);

    /// <summary>
    /// Delivers a <c>feed-late</c> event to every subscriber that asks for that event type (its data-set filter does not
    /// apply). At least once, like <see cref="PublishAsync"/>.
    /// </summary>
    Task PublishFeedLateAsync(CloudEvent feedLateEvent, CancellationToken cancellationToken);
}
