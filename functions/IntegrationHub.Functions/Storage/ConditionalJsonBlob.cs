using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IntegrationHub.Core;

namespace IntegrationHub.Functions.Storage;

// A small JSON document changed only under an ETag condition (optimistic concurrency): the ledger years, the data-set
// pointers and the consolidation demands all race concurrent writers this way.
internal static class ConditionalJsonBlob
{
    // Returns the document and its ETag; (null, null) when the blob does not exist.
    public static async Task<(T? Document, ETag? ETag)> ReadAsync<T>(BlobClient blob, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return (content.Value.Content.ToObjectFromJson<T>(HubJson.Options)
                ?? throw new InvalidDataException($"{blob.Name} is empty."), content.Value.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return (null, null);
        }
    }

    // Writes only if nobody wrote since expected was read (null: only if the blob does not exist yet); a failed
    // condition throws RequestFailedException 409 or 412 (with the service's reason, a lease for example).
    public static Task WriteAsync<T>(BlobClient blob, T document, ETag? expected, CancellationToken cancellationToken) =>
        blob.UploadAsync(BinaryData.FromObjectAsJson(document, HubJson.Options), new BlobUploadOptions
        {
            Conditions = expected is { } match ? new BlobRequestConditions { IfMatch = match } : new BlobRequestConditions { IfNoneMatch = ETag.All },
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
        }, cancellationToken);

    // Returns false when the condition of WriteAsync failed.
    public static async Task<bool> TryWriteAsync<T>(BlobClient blob, T document, ETag? expected, CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(blob, document, expected, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }
}
