using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using CloudNative.CloudEvents;
using IntegrationHub.Core.Publishing;
using IntegrationHub.Core.Reference;
using IntegrationHub.Functions.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Publishing;

/// <summary>
/// Publishes to one Storage queue per subscriber, so the hub announces data sets on Azurite alone; a queue gets the
/// event only when its filter matches (<see cref="SubscriptionFilter.Matches"/>, as its Service Bus rule in Azure).
/// Messages are Base64 because Functions queue triggers expect it; an event over a message's size goes by claim check
/// (<see cref="DatasetPublishedEvent.DataRef"/>), since a real version 1 does not fit.
/// </summary>
public sealed partial class QueueDatasetPublisher : IDatasetPublisher, ISubscriberRedelivery
{
    public const string DefaultQueueNamePrefix = "sub-";

    private readonly QueueServiceClient queues;
    private readonly BlobServiceClient blobs;
    private readonly IReadOnlyList<(Subscriber Subscriber, string Queue)> subscribers;
    private readonly ILogger<QueueDatasetPublisher> logger;
    private readonly SubscriberDeliveryLog? deliveries;
    private readonly WebhookOutbox? webhooks;

    /// <param name="queues">The queue service of the subscribers' queues, with Base64 message encoding.</param>
    /// <param name="blobs">The hub's blob service, where events too large for a queue message are stored (claim check).</param>
    /// <param name="deliveries">Where each send to a subscriber's queue is recorded; none: not recorded.</param>
    /// <param name="webhooks">The local webhook delivery, for subscribers with a webhook (they get no queue).</param>
    public QueueDatasetPublisher(
        QueueServiceClient queues,
        BlobServiceClient blobs,
        IReadOnlyList<Subscriber> subscribers,
        ILogger<QueueDatasetPublisher> logger,
        string queueNamePrefix = DefaultQueueNamePrefix,
        SubscriberDeliveryLog? deliveries = null,
        WebhookOutbox? webhooks = null)
    {
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(subscribers);
        this.queues = queues;
        this.blobs = blobs;
        this.logger = logger;
        this.deliveries = deliveries;
        this.webhooks = webhooks;
        if (webhooks is null && subscribers.FirstOrDefault(s => s.Webhook is not null) is { } hooked)
        {
            throw new ArgumentException($"Subscriber {hooked.Name} has a webhook, but no webhook delivery was given.", nameof(webhooks));
        }
        this.subscribers = [.. subscribers.Select(s => (s, QueueName(s.Name, queueNamePrefix)))];
        var clash = this.subscribers.GroupBy(s => s.Queue, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new ArgumentException($"Subscribers {string.Join(", ", clash.Select(s => s.Subscriber.Name))} would share queue {clash.Key}.",
                nameof(subscribers));
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

    /// <summary>The queues of the subscribers whose filter matches the event (subscribers with a webhook have none).</summary>
    public IReadOnlyList<string> QueuesFor(CloudEvent dataSetEvent) =>
        [.. Matching(dataSetEvent).Where(s => s.Subscriber.Webhook is null).Select(s => s.Queue)];

    // Sent whole to the queue of every subscriber asking for feed-late (a few hundred bytes, no claim check), and
    // through the webhook outbox to those with a webhook: the same id, retries and dead letters as a data set.
    public async Task PublishFeedLateAsync(CloudEvent feedLateEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedLateEvent);
        var body = BinaryData.FromBytes(DatasetPublishedEvent.Serialize(feedLateEvent));
        foreach (var (subscriber, name) in subscribers.Where(s => SubscriptionFilter.Wants(s.Subscriber, SubscriptionFilter.FeedLate)))
        {
            if (subscriber.Webhook is { } hook)
            {
                await webhooks!.EnqueueAsync(feedLateEvent, subscriber.Name, hook.Url, redelivery: false, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var queue = queues.GetQueueClient(name);
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await queue.SendMessageAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            LogPublished(logger, feedLateEvent.Id!, name);
            if (deliveries is not null)
            {
                await deliveries.RecordAsync(subscriber.Name, feedLateEvent, "queue:" + name, redelivery: false, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task PublishAsync(CloudEvent dataSetEvent, CancellationToken cancellationToken)
    {
        // Routed on the full event, before any claim check leaves its data out.
        var matching = Matching(dataSetEvent);
        if (matching.Count == 0)
        {
            LogNoSubscriber(logger, dataSetEvent.Id!);
            return;
        }

        var targets = matching.Where(s => s.Subscriber.Webhook is null).Select(s => s.Queue).ToList();
        if (targets.Count > 0)
        {
            await SendAsync(dataSetEvent, targets, redelivery: false, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (subscriber, _) in matching.Where(s => s.Subscriber.Webhook is not null))
        {
            await webhooks!.EnqueueAsync(dataSetEvent, subscriber.Name, subscriber.Webhook!.Url, redelivery: false, cancellationToken).ConfigureAwait(false);
        }
    }

    public string ChannelOf(Subscriber subscriber)
    {
        var own = Own(subscriber);
        return own.Subscriber.Webhook is { } hook ? WebhookOutbox.ChannelOf(hook.Url) : "queue:" + own.Queue;
    }

    public Task RedeliverAsync(CloudEvent dataSetEvent, Subscriber subscriber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSetEvent);
        var own = Own(subscriber);
        return own.Subscriber.Webhook is { } hook
            ? webhooks!.EnqueueAsync(dataSetEvent, own.Subscriber.Name, hook.Url, redelivery: true, cancellationToken)
            : SendAsync(dataSetEvent, [own.Queue], redelivery: true, cancellationToken);
    }

    private List<(Subscriber Subscriber, string Queue)> Matching(CloudEvent dataSetEvent)
    {
        var routing = DatasetPublishedEvent.RoutingOf(dataSetEvent);
        return [.. subscribers.Where(s => SubscriptionFilter.Wants(s.Subscriber, SubscriptionFilter.DatasetPublished)
            && SubscriptionFilter.Matches(s.Subscriber.Filter, routing.PeriodKind, routing.Areas, routing.IndicatorIds))];
    }

    // This publisher's entry for the subscriber of that name (its webhook may come from the settings).
    private (Subscriber Subscriber, string Queue) Own(Subscriber subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        var own = subscribers.FirstOrDefault(s => s.Subscriber.Name == subscriber.Name);
        return own.Subscriber is not null
            ? own
            : throw new ArgumentException($"'{subscriber.Name}' is not a subscriber of this publisher.", nameof(subscriber));
    }

    private async Task SendAsync(CloudEvent dataSetEvent, IReadOnlyList<string> targets, bool redelivery, CancellationToken cancellationToken)
    {
        var structured = DatasetPublishedEvent.Serialize(dataSetEvent);
        var maxBytes = queues.GetQueueClient(targets[0]).MessageMaxBytes;
        var body = BinaryData.FromBytes(structured);
        if (Base64Length(structured.Length) > maxBytes)
        {
            // Checked before anything is written or sent, so an event that cannot be announced reaches nobody rather than some.
            var data = DatasetPublishedEvent.DataOf(dataSetEvent);
            var dataRef = DatasetPublishedEvent.DataRef(data.Period, data.Version);
            var slim = DatasetPublishedEvent.Serialize(DatasetPublishedEvent.WithDataRef(dataSetEvent, dataRef));
            if (Base64Length(slim.Length) > maxBytes)
            {
                throw new EventTooLargeForQueueException(dataSetEvent.Id!, Base64Length(slim.Length), maxBytes);
            }

            // Stored before any message is sent, so the reference resolves by the time a subscriber reads it. The bytes of
            // a version's event are always the same, so a retried publish overwrites them with themselves.
            await StoreClaimCheckAsync(DatasetPublishedEvent.ClaimCheckBlobName(data.Period, data.Version),
                structured, cancellationToken).ConfigureAwait(false);
            LogClaimChecked(logger, dataSetEvent.Id!, Base64Length(structured.Length), maxBytes, dataRef.OriginalString);
            body = BinaryData.FromBytes(slim);
        }

        // Sent queue by queue: a failure part-way is retried by the caller and the queues already served receive the
        // event again. Delivery is at least once; subscribers drop duplicates by the CloudEvent id.
        foreach (var name in targets)
        {
            var queue = queues.GetQueueClient(name);
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await queue.SendMessageAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            LogPublished(logger, dataSetEvent.Id!, name);
            if (deliveries is not null)
            {
                await deliveries.RecordAsync(SubscriberOf(name), dataSetEvent, "queue:" + name, redelivery, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private string SubscriberOf(string queue) => subscribers.First(s => s.Queue == queue).Subscriber.Name;

    // Length of the Base64 text of bytes bytes, padding included: what a queue message counts.
    private static int Base64Length(int bytes) => 4 * ((bytes + 2) / 3);

    private async Task StoreClaimCheckAsync(string blobName, byte[] structured, CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(HubContainers.Datasets);
        // The data set being announced is in this container already; created here too so a publish never depends on that.
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await container.GetBlobClient(blobName).UploadAsync(
            BinaryData.FromBytes(structured),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = DatasetPublishedEvent.StructuredContentType } },
            cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {EventId} to queue {Queue}")]
    private static partial void LogPublished(ILogger logger, string eventId, string queue);

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "Event {EventId} is {EncodedBytes} bytes Base64-encoded, over the {MaxBytes} of a queue message: "
            + "stored whole at {DataRef}, sent without data")]
    private static partial void LogClaimChecked(ILogger logger, string eventId, int encodedBytes, int maxBytes, string dataRef);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {EventId} to no queue: no subscriber's filter matches it")]
    private static partial void LogNoSubscriber(ILogger logger, string eventId);
}

/// <summary>
/// Even without its data (sent by claim check, with <c>dataref</c>), the event Base64-encoded is larger than a Storage
/// queue message may be (64 KiB). The envelope alone is a few hundred bytes, so this does not happen with events made by
/// <see cref="DatasetPublishedEvent.Create"/>; it guards against extension attributes too large for a queue. Retrying
/// cannot help. Nothing was stored or sent.
/// </summary>
public sealed class EventTooLargeForQueueException : InvalidOperationException
{
    public EventTooLargeForQueueException(string eventId, int encodedBytes, int maxBytes)
        : base($"Event {eventId} is {encodedBytes} bytes Base64-encoded even without its data; a Storage queue message holds at most {maxBytes}. "
            + "Announce it through Service Bus (Publishing:Mode ServiceBus).")
    {
        EventId = eventId;
        EncodedBytes = encodedBytes;
        MaxBytes = maxBytes;
    }

    public string EventId { get; }

    /// <summary>Base64 length of the event without its data.</summary>
    public int EncodedBytes { get; }

    public int MaxBytes { get; }
}
