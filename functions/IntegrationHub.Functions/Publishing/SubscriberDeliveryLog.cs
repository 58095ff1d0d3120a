using System.ComponentModel;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudNative.CloudEvents;
using IntegrationHub.Core;
using IntegrationHub.Functions.Storage;

namespace IntegrationHub.Functions.Publishing;

/// <summary>One event sent to one subscriber.</summary>
/// <param name="Channel">How: <c>queue:{name}</c>, <c>service-bus:{topic}</c> or <c>webhook:{url}</c>.</param>
/// <param name="Redelivery">True when ops re-sent it (<c>POST /api/ops/subscribers/{name}/redeliver</c>).</param>
public sealed record SubscriberDelivery(
    [property: JsonPropertyName("eventId"), Description("The CloudEvent id (`{period}/v{n}`, or `feed-late:…`): the same on a redelivery.")]
    string EventId,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("period"), Description("The data set's period, or the period of the late feed.")] string Period,
    [property: JsonPropertyName("version"), Description("The data-set version; null for a `feed-late` event.")] int? Version,
    [property: JsonPropertyName("sentAt"), Description("When it was sent (for a webhook: when the receiver answered 2xx).")] DateTimeOffset SentAt,
    [property: JsonPropertyName("channel"), Description("How: `queue:{queue}`, `service-bus:{topic}/{subscription}` or `webhook:{url}`.")] string Channel,
    [property: JsonPropertyName("redelivery"), Description("True when ops sent it again.")] bool Redelivery);

/// <summary>A page of a subscriber's deliveries, newest first.</summary>
public sealed record SubscriberDeliveryPage(
    [property: JsonPropertyName("subscriber")] string Subscriber,
    [property: JsonPropertyName("deliveries")] IReadOnlyList<SubscriberDelivery> Deliveries,
    [property: JsonPropertyName("continuationToken"), Description("Pass it back for older deliveries; null after the oldest.")] string? ContinuationToken);

/// <summary>The page token was not one this log gave.</summary>
public sealed class InvalidDeliveryTokenException(string message, Exception? inner = null) : FormatException(message, inner);

/// <summary>
/// What was sent to each subscriber and when: one empty blob per delivery, the record in its metadata, named
/// <c>{subscriber}/{inverted ticks}-{event id}-{nonce}</c> so a listing comes newest first and one listing call serves
/// a page however long the log grows. Records are written once and never changed.
/// </summary>
/// <param name="container">The container; tests give their own to keep apart.</param>
public sealed class SubscriberDeliveryLog(BlobServiceClient blobs, TimeProvider clock, string container = HubContainers.Deliveries)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
    private const string TokenVersion = "d1";

    private BlobContainerClient Container => blobs.GetBlobContainerClient(container);

    /// <summary>Records that <paramref name="sent"/> went to <paramref name="subscriber"/> just now.</summary>
    public async Task RecordAsync(string subscriber, CloudEvent sent, string channel, bool redelivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(sent);
        var (period, version) = PeriodAndVersionOf(sent);
        var at = clock.GetUtcNow();
        var inverted = DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks;
        // The nonce keeps two sends of one event in the same tick (a retried publish) as two records.
        var name = string.Create(CultureInfo.InvariantCulture,
            $"{subscriber}/{inverted:D19}-{sent.Id!.Replace('/', '_')}-{Guid.NewGuid().ToString("N")[..8]}");
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["eventid"] = sent.Id!,
            ["type"] = sent.Type ?? "",
            ["period"] = period,
            ["version"] = version?.ToString(CultureInfo.InvariantCulture) ?? "",
            ["sentat"] = at.ToString("O", CultureInfo.InvariantCulture),
            // Metadata values are ASCII: a webhook URL is kept percent-encoded.
            ["channel"] = Uri.EscapeDataString(channel),
            ["redelivery"] = redelivery ? "true" : "false",
        };
        var blob = Container.GetBlobClient(name);
        try
        {
            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Metadata = metadata }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            await Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Metadata = metadata }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One page, newest first; <paramref name="continuationToken"/> is the previous page's.</summary>
    /// <exception cref="InvalidDeliveryTokenException">The token is not one this log gave.</exception>
    public async Task<SubscriberDeliveryPage> ReadAsync(string subscriber, int limit, string? continuationToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        var marker = continuationToken is null ? null : Decode(continuationToken);
        var deliveries = new List<SubscriberDelivery>();
        try
        {
            var pages = Container.GetBlobsAsync(new GetBlobsOptions { Prefix = subscriber + "/", Traits = BlobTraits.Metadata }, cancellationToken)
                .AsPages(marker, limit);
            await foreach (var page in pages.ConfigureAwait(false))
            {
                deliveries.AddRange(page.Values.Select(Parse).OfType<SubscriberDelivery>());
                var next = string.IsNullOrEmpty(page.ContinuationToken) ? null : Encode(page.ContinuationToken);
                return new SubscriberDeliveryPage(subscriber, deliveries, next);
            }
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // Nothing sent yet.
        }
        catch (RequestFailedException ex) when (ex.Status == 400 && marker is not null)
        {
            throw new InvalidDeliveryTokenException("The storage refused the continuation token.", ex);
        }

        return new SubscriberDeliveryPage(subscriber, deliveries, null);
    }

    /// <summary>The newest delivery to <paramref name="subscriber"/>, if any.</summary>
    public async Task<SubscriberDelivery?> LastAsync(string subscriber, CancellationToken cancellationToken) =>
        (await ReadAsync(subscriber, 1, null, cancellationToken).ConfigureAwait(false)).Deliveries.FirstOrDefault();

    private static SubscriberDelivery? Parse(BlobItem item)
    {
        IDictionary<string, string> m = item.Metadata;
        return m.TryGetValue("eventid", out var id) && m.TryGetValue("sentat", out var at)
            && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var sentAt)
            && m.TryGetValue("version", out var v) && (v.Length == 0 || int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            ? new SubscriberDelivery(
                id, Get(m, "type") ?? "", Get(m, "period") ?? "", v.Length == 0 ? null : int.Parse(v, CultureInfo.InvariantCulture), sentAt,
                Uri.UnescapeDataString(Get(m, "channel") ?? ""), Get(m, "redelivery") == "true")
            : null;
    }

    // A data-set event names its version; any other event (feed-late) its data's period only.
    private static (string Period, int? Version) PeriodAndVersionOf(CloudEvent sent)
    {
        if (sent.Type == DatasetPublishedEvent.EventType)
        {
            var data = DatasetPublishedEvent.DataOf(sent);
            return (data.Period, data.Version);
        }

        var json = sent.Data as JsonElement? ?? JsonSerializer.SerializeToElement(sent.Data, HubJson.Options);
        return (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("period", out var period) ? period.GetString() ?? "" : "", null);
    }

    private static string? Get(IDictionary<string, string> metadata, string key) => metadata.TryGetValue(key, out var value) ? value : null;

    private static string Encode(string marker) => $"{TokenVersion}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(marker))}";

    private static string Decode(string token)
    {
        if (!token.StartsWith(TokenVersion + ".", StringComparison.Ordinal))
        {
            throw new InvalidDeliveryTokenException("Not a token of this log.");
        }

        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.AsSpan(TokenVersion.Length + 1)));
        }
        catch (FormatException ex)
        {
            throw new InvalidDeliveryTokenException("Not a token of this log.", ex);
        }
    }
}
