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
/// <para>
/// Claim check: a Storage queue message holds at most 64 KiB, Base64 text, so about 48 KiB of JSON, and a version 1 of a
/// real data set (every figure listed as changed) is larger. Such an event is stored whole, exactly the structured JSON
/// that would otherwise have been sent, in the hub's storage at <c>datasets/{period}/events/v{version}.json</c>
/// (content type <c>application/cloudevents+json</c>), before any message is sent. Each matching queue then receives
/// the same event without <c>data</c> and with the CloudEvents <c>dataref</c> extension attribute set to that path
/// (<see cref="DatasetPublishedEvent.DataRef"/>): a relative URI-reference, container then blob name within the hub's
/// storage account. A subscriber that gets an event with <c>dataref</c> and no <c>data</c> reads that blob (locally with
/// the same Azurite connection string as the hub) and handles its content as the event. Filters are evaluated on the
/// full event, so routing is the same either way. Events that fit are sent inline and write no blob.
/// </para>
/// </remarks>
public sealed partial class QueueDatasetPublisher : IDatasetPublisher
{
    public const string DefaultQueueNamePrefix = "sub-";

    private readonly QueueServiceClient queues;
    private readonly BlobServiceClient blobs;
    private readonly IReadOnlyList<(Subscriber Subscriber, string Queue)> subscribers;
    private readonly ILogger<QueueDatasetPublisher> logger;

    /// <param name="queues">The queue service of the subscribers' queues, with Base64 message encoding.</param>
    /// <param name="blobs">The hub's blob service, where events too large for a queue message are stored (claim check).</param>
    public QueueDatasetPublisher(
        QueueServiceClient queues,
        BlobServiceClient blobs,
        IReadOnlyList<Subscriber> subscribers,
        ILogger<QueueDatasetPublisher> logger,
        string queueNamePrefix = DefaultQueueNamePrefix)
    {
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(subscribers);
        this.queues = queues;
        this.blobs = blobs;
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
            .Where(s => SubscriptionFilter.Wants(s.Subscriber, SubscriptionFilter.DatasetPublished))
            .Where(s => SubscriptionFilter.Matches(s.Subscriber.Filter, routing.PeriodKind, routing.Areas, routing.IndicatorIds))
            .Select(s => s.Queue)];
    }

    /// <summary>Sent whole to the queue of every subscriber asking for <c>feed-late</c>: a few hundred bytes, no claim check.</summary>
    public async Task PublishFeedLateAsync(CloudEvent feedLateEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedLateEvent);
        var body = BinaryData.FromBytes(DatasetPublishedEvent.Serialize(feedLateEvent));
        foreach (var (_, name) in subscribers.Where(s => SubscriptionFilter.Wants(s.Subscriber, SubscriptionFilter.FeedLate)))
        {
            var queue = queues.GetQueueClient(name);
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await queue.SendMessageAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            LogPublished(logger, feedLateEvent.Id!, name);
        }
    }

    public async Task PublishAsync(CloudEvent dataSetEvent, CancellationToken cancellationToken)
    {
        // Routed on the full event, before any claim check leaves its data out.
        var targets = QueuesFor(dataSetEvent);
        if (targets.Count == 0)
        {
            LogNoSubscriber(logger, dataSetEvent.Id!);
            return;
        }

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
            await StoreClaimCheckAsync(DatasetPublishedEvent.ClaimCheckBlobName(data.Period, data.Version), structured, cancellationToken).ConfigureAwait(false);
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
        }
    }

    /// <summary>Length of the Base64 text of <paramref name="bytes"/> bytes, padding included: what a queue message counts.</summary>
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
        Message = "Event {EventId} is {EncodedBytes} bytes Base64-encoded, over the {MaxBytes} of a queue message: stored whole at {DataRef}, sent without data")]
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
