using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using CloudNative.CloudEvents;
using IntegrationHub.Core;
using IntegrationHub.Functions.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Publishing;

/// <summary>One event waiting to be POSTed to one subscriber's webhook.</summary>
public sealed record WebhookDelivery(
    [property: JsonPropertyName("subscriber")] string Subscriber,
    [property: JsonPropertyName("url")] Uri Url,
    [property: JsonPropertyName("eventId")] string EventId,
    [property: JsonPropertyName("redelivery")] bool Redelivery,
    [property: JsonPropertyName("event")] JsonElement Event);

/// <summary>A delivery that failed every attempt, as kept in the dead-letter container.</summary>
public sealed record WebhookDeadLetter(
    [property: JsonPropertyName("subscriber")] string Subscriber,
    [property: JsonPropertyName("url")] Uri Url,
    [property: JsonPropertyName("eventId")] string EventId,
    [property: JsonPropertyName("attempts")] long Attempts,
    [property: JsonPropertyName("lastError")] string LastError,
    [property: JsonPropertyName("deadLetteredAt")] DateTimeOffset DeadLetteredAt,
    [property: JsonPropertyName("event")] JsonElement Event);

/// <summary>How the local webhook delivery retries (settings section <c>Publishing:Webhook</c>).</summary>
public sealed class WebhookRetryOptions
{
    /// <summary>Attempts, the first included, before a delivery goes to the dead-letter container (Event Grid's default is 30).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait before the second attempt; each next wait doubles, capped at <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one POST may take before it counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The local webhook delivery, with Event Grid's semantics (at least once, backoff, dead letter after the last
/// attempt) so subscribers meet the same behaviour on Azurite: one outbox message per webhook subscriber, deleted only
/// after a 2xx; a failed attempt stays invisible for the backoff and the dequeue count is the attempt number. No
/// validation handshake locally: the URLs come from the reference file and settings, not from callers.
/// </summary>
public sealed partial class WebhookOutbox(
    QueueServiceClient queues,
    BlobServiceClient blobs,
    HttpClient http,
    WebhookRetryOptions options,
    TimeProvider clock,
    ILogger<WebhookOutbox> logger,
    SubscriberDeliveryLog? deliveries = null,
    string queueName = WebhookOutbox.DefaultQueueName,
    string deadLetterContainer = HubContainers.WebhookDeadLetters)
{
    public const string DefaultQueueName = "webhook-outbox";

    private const int BatchSize = 16;

    private static readonly JsonSerializerOptions MessageOptions = new(HubJson.Options) { WriteIndented = false };

    // The outbox queue message: where to POST, and which stored event (claim-check blob of the datasets container).
    private sealed record OutboxMessage(
        [property: JsonPropertyName("subscriber")] string Subscriber,
        [property: JsonPropertyName("url")] Uri Url,
        [property: JsonPropertyName("eventId")] string EventId,
        [property: JsonPropertyName("eventBlob")] string EventBlob,
        [property: JsonPropertyName("redelivery")] bool Redelivery);

    /// <summary>Whether a webhook URL may be called: https, or http to a loopback address (local development).</summary>
    public static bool IsAllowed(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && IsLoopback(url)));
    }

    /// <summary>
    /// How the delivery log and the ops answers name a webhook: <c>webhook:</c> and its URL without query or fragment,
    /// where a receiver's access code would be.
    /// </summary>
    public static string ChannelOf(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return "webhook:" + url.GetLeftPart(UriPartial.Path);
    }

    /// <summary>
    /// Where, in the datasets container, the outbox keeps an event's bytes: a data set's claim-check blob, or
    /// <c>events/feed-late/{hash}.json</c> for a feed-late event (its id with ':' as '/'). One name per event id.
    /// </summary>
    public static string EventBlobName(CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        if (cloudEvent.Type == DatasetPublishedEvent.EventType)
        {
            var data = DatasetPublishedEvent.DataOf(cloudEvent);
            return DatasetPublishedEvent.ClaimCheckBlobName(data.Period, data.Version);
        }

        // Never "{period}/…": the data-set listings read those prefixes.
        return "events/" + cloudEvent.Id!.Replace(':', '/') + ".json";
    }

    /// <summary>
    /// Stores the event (a data set's or a feed-late one) and queues its POST to <paramref name="url"/>; nothing is
    /// sent yet.
    /// </summary>
    public async Task EnqueueAsync(CloudEvent cloudEvent, string subscriber, Uri url, bool redelivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        ArgumentNullException.ThrowIfNull(url);
        if (!IsAllowed(url))
        {
            throw new ArgumentException($"Webhook of {subscriber}: '{url}' is neither https nor loopback.", nameof(url));
        }

        var blobName = EventBlobName(cloudEvent);
        var container = blobs.GetBlobContainerClient(HubContainers.Datasets);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        // One name per event id: a retried publish overwrites the event with itself (a feed-late re-send, with its time).
        await container.GetBlobClient(blobName).UploadAsync(
            BinaryData.FromBytes(DatasetPublishedEvent.Serialize(cloudEvent)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = DatasetPublishedEvent.StructuredContentType } },
            cancellationToken).ConfigureAwait(false);
        var queue = queues.GetQueueClient(queueName);
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var message = new OutboxMessage(subscriber, url, cloudEvent.Id!, blobName, redelivery);
        await queue.SendMessageAsync(BinaryData.FromObjectAsJson(message, MessageOptions), cancellationToken: cancellationToken).ConfigureAwait(false);
        LogQueued(logger, cloudEvent.Id!, subscriber);
    }

    /// <summary>One pass over the deliveries due now; returns how many were attempted.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var queue = queues.GetQueueClient(queueName);
        QueueMessage[] batch;
        try
        {
            // Invisible for longer than one POST may take, so a pass never races itself on a message.
            batch = (await queue.ReceiveMessagesAsync(BatchSize, options.Timeout + TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == QueueErrorCode.QueueNotFound)
        {
            return 0;
        }

        foreach (var received in batch)
        {
            await AttemptAsync(queue, received, cancellationToken).ConfigureAwait(false);
        }

        return batch.Length;
    }

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based): the first delay, doubling, capped.</summary>
    public TimeSpan BackoffAfter(long attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(options.FirstDelay.Ticks * factor, options.MaxDelay.Ticks));
    }

    private async Task AttemptAsync(QueueClient queue, QueueMessage received, CancellationToken cancellationToken)
    {
        OutboxMessage? message;
        try
        {
            message = received.Body.ToObjectFromJson<OutboxMessage>(MessageOptions);
        }
        catch (JsonException)
        {
            message = null;
        }

        if (message is null)
        {
            // Not the hub's: nothing to deliver, and retrying cannot help.
            LogUnreadable(logger, received.MessageId);
            await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt, cancellationToken).ConfigureAwait(false);
            return;
        }

        var body = (await blobs.GetBlobContainerClient(HubContainers.Datasets).GetBlobClient(message.EventBlob)
            .DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
        var (delivered, retriable, error) = await PostAsync(message.Url, body, cancellationToken).ConfigureAwait(false);
        if (delivered)
        {
            LogDelivered(logger, message.EventId, message.Subscriber, received.DequeueCount);
            if (deliveries is not null)
            {
                await deliveries.RecordAsync(
                    message.Subscriber, DatasetPublishedEvent.Deserialize(body.ToMemory()), ChannelOf(message.Url), message.Redelivery,
                    cancellationToken).ConfigureAwait(false);
            }

            await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!retriable || received.DequeueCount >= options.MaxAttempts)
        {
            await DeadLetterAsync(message, received.DequeueCount, error, body, cancellationToken).ConfigureAwait(false);
            await queue.DeleteMessageAsync(received.MessageId, received.PopReceipt, cancellationToken).ConfigureAwait(false);
            return;
        }

        var wait = BackoffAfter(received.DequeueCount);
        LogRetrying(logger, message.EventId, message.Subscriber, received.DequeueCount, error, wait);
        await queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, visibilityTimeout: wait, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<(bool Delivered, bool Retriable, string Error)> PostAsync(Uri url, BinaryData body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ReadOnlyMemoryContent(body.ToMemory()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(DatasetPublishedEvent.StructuredContentType) { CharSet = "utf-8" };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 300
                ? (true, false, "")
                : (false, status is not (400 or 413), string.Create(CultureInfo.InvariantCulture, $"HTTP {status}"));
        }
        catch (HttpRequestException ex)
        {
            return (false, true, ex.HttpRequestError.ToString());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, true, "timeout");
        }
    }

    private async Task DeadLetterAsync(OutboxMessage message, long attempts, string error, BinaryData body, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow();
        using var parsed = JsonDocument.Parse(body.ToMemory());
        var letter = new WebhookDeadLetter(message.Subscriber, message.Url, message.EventId, attempts, error, at, parsed.RootElement.Clone());
        var container = blobs.GetBlobContainerClient(deadLetterContainer);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var name = string.Create(CultureInfo.InvariantCulture, $"{message.Subscriber}/{at:yyyy/MM/dd}/{message.EventId.Replace('/', '_')}-{at.UtcTicks}.json");
        await container.GetBlobClient(name).UploadAsync(
            BinaryData.FromObjectAsJson(letter, HubJson.Options),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, cancellationToken).ConfigureAwait(false);
        LogDeadLettered(logger, message.EventId, message.Subscriber, attempts, error, name);
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (System.Net.IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery of {EventId} to {Subscriber} queued")]
    private static partial void LogQueued(ILogger logger, string eventId, string subscriber);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered {EventId} to {Subscriber}'s webhook (attempt {Attempt})")]
    private static partial void LogDelivered(ILogger logger, string eventId, string subscriber, long attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery of {EventId} to {Subscriber} failed (attempt {Attempt}: {Error}); next try in {Wait}")]
    private static partial void LogRetrying(ILogger logger, string eventId, string subscriber, long attempt, string error, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook delivery of {EventId} to {Subscriber} dead-lettered after {Attempts} attempts ({Error}): {Blob}")]
    private static partial void LogDeadLettered(ILogger logger, string eventId, string subscriber, long attempts, string error, string blob);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook outbox message {MessageId} is not the hub's; deleted")]
    private static partial void LogUnreadable(ILogger logger, string messageId);
}
