using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IntegrationHub.Core;

namespace IntegrationHub.Functions.Storage;

/// <summary>An accepted feed as consolidation sees it: where its normalised form is, and when the ledger learnt of it.</summary>
public sealed record LedgerEntry(
    [property: JsonPropertyName("feedId")] string FeedId,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("period")] string Period,
    [property: JsonPropertyName("revision")] int Revision,
    [property: JsonPropertyName("schemaVersion")] string SchemaVersion,
    [property: JsonPropertyName("normalizedBlob")] string NormalizedBlob,
    [property: JsonPropertyName("generation")] long Generation,
    [property: JsonPropertyName("producedAt")] DateTimeOffset? ProducedAt = null);

/// <summary>Every accepted feed of one calendar year; <see cref="Generation"/> grows by one with each new feed.</summary>
public sealed record LedgerDocument(
    [property: JsonPropertyName("year")] int Year,
    [property: JsonPropertyName("generation")] long Generation,
    [property: JsonPropertyName("entries")] IReadOnlyList<LedgerEntry> Entries);

/// <summary>
/// The period ledger: one blob per calendar year, changed only with an ETag condition so concurrent recorders
/// never lose each other's entries. Consolidation compares generations to know whether a data set has seen every
/// feed the ledger holds, which is what lets a feed arriving mid-consolidation queue a re-run instead of racing it.
/// </summary>
public sealed class PeriodLedger(BlobServiceClient blobs)
{
    private const int MaxAttempts = 20;

    public async Task<LedgerDocument> ReadAsync(int year, CancellationToken cancellationToken) =>
        (await ReadWithETagAsync(year, cancellationToken).ConfigureAwait(false)).Document;

    /// <summary>Adds the feed unless it is there already (activities run at least once); returns the entry as recorded.</summary>
    public async Task<LedgerEntry> RecordAsync(int year, LedgerEntry entry, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (document, etag) = await ReadWithETagAsync(year, cancellationToken).ConfigureAwait(false);
            var existing = document.Entries.FirstOrDefault(e => e.FeedId == entry.FeedId);
            if (existing is not null)
            {
                return existing;
            }

            var recorded = entry with { Generation = document.Generation + 1 };
            var next = document with { Generation = recorded.Generation, Entries = [.. document.Entries, recorded] };
            if (attempt == MaxAttempts)
            {
                // The last attempt fails with the service's own reason (another writer, or a lease ops must see).
                await ConditionalJsonBlob.WriteAsync(Blob(year), next, etag, cancellationToken).ConfigureAwait(false);
                return recorded;
            }

            if (await ConditionalJsonBlob.TryWriteAsync(Blob(year), next, etag, cancellationToken).ConfigureAwait(false))
            {
                return recorded;
            }

            // Another feed was recorded in between: read again and retry on top of it.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 50 * attempt)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The years that have a ledger, ascending.</summary>
    public async Task<IReadOnlyList<int>> ListYearsAsync(CancellationToken cancellationToken)
    {
        var years = new List<int>();
        try
        {
            await foreach (var item in blobs.GetBlobContainerClient(HubContainers.Ledger).GetBlobsAsync(new GetBlobsOptions(), cancellationToken).ConfigureAwait(false))
            {
                // Only the top-level year documents; start claims and replay records live in sub-folders.
                if (item.Name.Length == 9 && item.Name.EndsWith(".json", StringComparison.Ordinal)
                    && int.TryParse(item.Name[..4], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var year))
                {
                    years.Add(year);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No container yet means no ledger yet.
        }

        years.Sort();
        return years;
    }

    private BlobClient Blob(int year) => blobs.GetBlobContainerClient(HubContainers.Ledger).GetBlobClient($"{year}.json");

    private async Task<(LedgerDocument Document, ETag? ETag)> ReadWithETagAsync(int year, CancellationToken cancellationToken)
    {
        var (document, etag) = await ConditionalJsonBlob.ReadAsync<LedgerDocument>(Blob(year), cancellationToken).ConfigureAwait(false);
        return (document ?? new LedgerDocument(year, 0, []), etag);
    }
}
