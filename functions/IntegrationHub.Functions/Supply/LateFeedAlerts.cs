using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IntegrationHub.Core.Supply;
using IntegrationHub.Functions.Publishing;
using IntegrationHub.Functions.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Supply;

/// <summary>
/// Announces each missing feed once: a <c>feed-late</c> event per source and period whose due time passed with nothing
/// received. A record per announced cell (<c>supply/late/{source}/{period}.json</c> in the ledger container) is written
/// after the send, so a crash between the two sends again with the same id (at least once; subscribers dedup by id).
/// </summary>
public sealed partial class LateFeedAlerts(
    SupplyReader reader, IDatasetPublisher publisher, BlobServiceClient blobs, TimeProvider clock, ILogger<LateFeedAlerts> logger)
{
    public const string RecordPrefix = "supply/late/";

    public static string RecordName(string source, string period) => $"{RecordPrefix}{source}/{period}.json";

    /// <returns>The cells announced by this check.</returns>
    public async Task<IReadOnlyList<SupplyCell>> CheckAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var missing = (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)).Where(c => c.State == SupplyState.Missing).ToList();
        if (missing.Count == 0)
        {
            return [];
        }

        var container = blobs.GetBlobContainerClient(HubContainers.Ledger);
        var announced = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = RecordPrefix }, cancellationToken).ConfigureAwait(false))
        {
            announced.Add(item.Name);
        }

        var sent = new List<SupplyCell>();
        foreach (var cell in missing.Where(c => !announced.Contains(RecordName(c.Source, c.Period))))
        {
            var lateEvent = FeedLateEvent.Create(cell, now);
            await publisher.PublishFeedLateAsync(lateEvent, cancellationToken).ConfigureAwait(false);
            try
            {
                await container.GetBlobClient(RecordName(cell.Source, cell.Period)).UploadAsync(
                    BinaryData.FromObjectAsJson(new { eventId = lateEvent.Id, sentAt = now, dueAt = cell.DueAt }),
                    new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // Another instance's check announced it at the same time: the same id, dropped by subscribers.
            }

            LogAnnounced(logger, cell.Source, cell.Period, cell.DueBy, lateEvent.Id!);
            sent.Add(cell);
        }

        return sent;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed {Source} {Period} is late (due by {DueBy}): announced as {EventId}")]
    private static partial void LogAnnounced(ILogger logger, string source, string period, string dueBy, string eventId);
}
