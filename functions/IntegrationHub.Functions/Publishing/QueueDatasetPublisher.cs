using System.Text;
using Azure.Storage.Queues;
using CloudNative.CloudEvents;
using IntegrationHub.Core.Publishing;
using IntegrationHub.Core.Reference;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Publishing;

/// <summary>
/// Publishes to Storage queues, one per subscriber of the reference subscribers file, so the hub announces data sets on
/// Azurite alone. Each subscriber's queue receives the structured CloudEvent JSON only when its filter matches
/// (<see cref="SubscriptionFilter.Matches"/>, the meaning its Service Bus rule has in Azure).
/// </summary>
/// <remarks>
/// <para>
/// Queue names are <c>{prefix}{subscriber name}</c>, lower-cased, every character outside a-z, 0-9 and '-' and every run
/// of hyphens turned into one hyphen: <c>sub-dual-carbon-dashboard</c>. The prefix is <see cref="DefaultQueueNamePrefix"/>
/// unless one is given (tests give their own to keep their queues apart). A queue is created, if missing, when an
/// event is sent to it.
/// </para>
/// <para>
/// Messages are Base64-encoded, which is what Functions queue triggers expect by default: the
/// <see cref="QueueServiceClient"/> given must be configured with <see cref="QueueMessageEncoding.Base64"/>
/// (AddPublishing does so).
/// </para>
/// </remarks>
public sealed partial class QueueDatasetPublisher : IDatasetPublisher
{
    public const string DefaultQueueNamePrefix = "sub-";

    private readonly QueueServiceClient queues;
    private readonly IReadOnlyList<(Subscriber Subscriber, string Queue)> subscribers;
    private readonly ILogger<QueueDatasetPublisher> logger;

    public QueueDatasetPublisher(
        QueueServiceClient queues, IReadOnlyList<Subscriber> subscribers, ILogger<QueueDatasetPublisher> logger, string queueNamePrefix = DefaultQueueNamePrefix)
    {
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(subscribers);
        this.queues = queues;
        this.logger = logger;
        this.subscribers = [.. subscribers.Select(s => (s, QueueName(s.Name, queueNamePrefix)))];
        var clash = this.subscribers.GroupBy(s => s.Queue, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new ArgumentException($"Subscribers {string.Join(", ", clash.Select(s => s.Subscriber.Name))} would share queue {clash.Key}.", nameof(subscribers));
        }
    }

    /// <summary>The queue of a subscriber (see the class remarks); throws when no valid queue name results.</summary>
    public static string QueueName(string subscriberName, string prefix = DefaultQueueNamePrefix)
    {
        ArgumentNullException.ThrowIfNull(subscriberName);
        ArgumentNullException.ThrowIfNull(prefix);
        var name = new StringBuilder();
        foreach (var c in (prefix + subscriberName).ToLowerInvariant())
        {
            var next = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '-';
            if (next != '-' || (name.Length > 0 && name[^1] != '-'))
            {
                name.Append(next);
            }
        }

        var queue = name.ToString().TrimEnd('-');
        // Storage rules: 3-63 characters, lower-case letters, digits and single hyphens, starting and ending with a letter or digit.
        return queue.Length is >= 3 and <= 63
            ? queue
            : throw new ArgumentException($"'{prefix}{subscriberName}' gives no valid queue name (3-63 letters, digits and hyphens).", nameof(subscriberName));
    }

    /// <summary>The queues of the subscribers whose filter matches the event.</summary>
    public IReadOnlyList<string> QueuesFor(CloudEvent dataSetEvent)
    {
        var routing = DatasetPublishedEvent.RoutingOf(dataSetEvent);
        return [.. subscribers
            .Where(s => SubscriptionFilter.Matches(s.Subscriber.Filter, routing.PeriodKind, routing.Areas, routing.IndicatorIds))
            .Select(s => s.Queue)];
    }

    public async Task PublishAsync(CloudEvent dataSetEvent, CancellationToken cancellationToken)
    {
        var targets = QueuesFor(dataSetEvent);
        var body = BinaryData.FromBytes(DatasetPublishedEvent.Serialize(dataSetEvent));
        if (targets.Count == 0)
        {
            LogNoSubscriber(logger, dataSetEvent.Id!);
            return;
        }

        // Check the size before sending anything, so an event too large for queues reaches nobody rather than some.
        var first = queues.GetQueueClient(targets[0]);
        var encodedBytes = 4 * ((body.ToMemory().Length + 2) / 3);
        if (encodedBytes > first.MessageMaxBytes)
        {
            throw new EventTooLargeForQueueException(dataSetEvent.Id!, encodedBytes, first.MessageMaxBytes);
        }

        // Sent queue by queue: a failure part-way is retried by the caller and the queues already served receive the
        // event again. Delivery is at least once; subscribers drop duplicates by the CloudEvent id.
        foreach (var name in targets)
        {
            var queue = queues.GetQueueClient(name);
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await queue.SendMessageAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            LogPublished(logger, dataSetEvent.Id!, name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {EventId} to queue {Queue}")]
    private static partial void LogPublished(ILogger logger, string eventId, string queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {EventId} to no queue: no subscriber's filter matches it")]
    private static partial void LogNoSubscriber(ILogger logger, string eventId);
}

/// <summary>
/// The event, Base64-encoded, is larger than a Storage queue message may be (64 KiB). Retrying cannot help; a version 1
/// of a full data set lists every figure and does not fit. Service Bus (256 KB on the Standard tier) carries it.
/// </summary>
public sealed class EventTooLargeForQueueException : InvalidOperationException
{
    public EventTooLargeForQueueException(string eventId, int encodedBytes, int maxBytes)
        : base($"Event {eventId} is {encodedBytes} bytes Base64-encoded; a Storage queue message holds at most {maxBytes}. "
            + "Announce it through Service Bus (Publishing:Mode ServiceBus).")
    {
        EventId = eventId;
        EncodedBytes = encodedBytes;
        MaxBytes = maxBytes;
    }

    public string EventId { get; }

    public int EncodedBytes { get; }

    public int MaxBytes { get; }
}
