using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CloudNative.CloudEvents;
using IntegrationHub.Core;
using IntegrationHub.Core.Supply;
using IntegrationHub.Functions.Storage;

namespace IntegrationHub.Functions.Publishing;

/// <summary>One announced late feed: its event id, when it was sent, and where its record is.</summary>
public sealed record LateFeedAnnouncement(string EventId, DateTimeOffset SentAt, string RecordName);

/// <summary>
/// The record of each announced late feed, <c>supply/late/{source}/{period}.json</c> in the ledger container: the event
/// id, when it was sent, the due time, and the structured event as sent (<c>event</c>), so a redelivery sends the same
/// bytes. The id and time are in the blob's metadata too, so one listing finds what was sent since a time.
/// </summary>
/// <param name="container">The container; tests give their own to keep apart.</param>
public sealed class LateFeedRecords(BlobServiceClient blobs, string container = HubContainers.Ledger)
{
    public const string RecordPrefix = "supply/late/";

    private BlobContainerClient Container => blobs.GetBlobContainerClient(container);

    public static string RecordName(string source, string period) => $"{RecordPrefix}{source}/{period}.json";

    /// <summary>The records already written, by name.</summary>
    public async Task<HashSet<string>> ListNamesAsync(CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var item in Container.GetBlobsAsync(new GetBlobsOptions { Prefix = RecordPrefix }, cancellationToken).ConfigureAwait(false))
        {
            names.Add(item.Name);
        }

        return names;
    }

    /// <summary>Records <paramref name="sent"/> for <paramref name="cell"/>; false when another check recorded it first.</summary>
    public async Task<bool> RecordAsync(SupplyCell cell, CloudEvent sent, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(sent);
        using var structured = JsonDocument.Parse(DatasetPublishedEvent.Serialize(sent));
        var record = new { eventId = sent.Id, sentAt, dueAt = cell.DueAt, @event = structured.RootElement };
        try
        {
            await Container.GetBlobClient(RecordName(cell.Source, cell.Period)).UploadAsync(
                BinaryData.FromObjectAsJson(record, HubJson.Options),
                new BlobUploadOptions
                {
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    Metadata = new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["eventid"] = sent.Id!,
                        ["sentat"] = sentAt.ToString("O", CultureInfo.InvariantCulture),
                    },
                },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// Every announcement sent at or after <paramref name="from"/>, from one listing (metadata only, no record read).
    /// Records written before the event was kept in them have no metadata and are left out: they cannot be re-sent as sent.
    /// </summary>
    public async Task<IReadOnlyList<LateFeedAnnouncement>> SentSinceAsync(DateTimeOffset from, CancellationToken cancellationToken)
    {
        var found = new List<LateFeedAnnouncement>();
        try
        {
            var options = new GetBlobsOptions { Prefix = RecordPrefix, Traits = BlobTraits.Metadata };
            await foreach (var item in Container.GetBlobsAsync(options, cancellationToken).ConfigureAwait(false))
            {
                if (item.Metadata.TryGetValue("eventid", out var id) && item.Metadata.TryGetValue("sentat", out var at)
                    && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var sentAt) && sentAt >= from)
                {
                    found.Add(new LateFeedAnnouncement(id, sentAt, item.Name));
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No container: nothing announced.
        }

        return found;
    }

    /// <summary>When the event of that id was sent, or null when no record has it.</summary>
    public async Task<DateTimeOffset?> SentAtAsync(string eventId, CancellationToken cancellationToken) =>
        (await SentSinceAsync(DateTimeOffset.MinValue, cancellationToken).ConfigureAwait(false)).FirstOrDefault(a => a.EventId == eventId)?.SentAt;

    /// <summary>The event as it was sent, or null when the record is gone or does not hold it.</summary>
    public async Task<CloudEvent?> ReadEventAsync(LateFeedAnnouncement announcement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        try
        {
            var content = (await Container.GetBlobClient(announcement.RecordName).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
            using var record = JsonDocument.Parse(content.ToMemory());
            return record.RootElement.TryGetProperty("event", out var sent)
                ? DatasetPublishedEvent.Deserialize(JsonSerializer.SerializeToUtf8Bytes(sent))
                : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}
