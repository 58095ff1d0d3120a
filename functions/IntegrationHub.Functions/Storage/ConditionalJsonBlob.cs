using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IntegrationHub.Core;

namespace IntegrationHub.Functions.Storage;

/// <summary>
/// A small JSON document changed only under an ETag condition (optimistic concurrency): the ledger years, the data-set
/// pointers and the consolidation demands all race concurrent writers this way.
/// </summary>
internal static class ConditionalJsonBlob
{
    /// <returns>The document and its ETag; (null, null) when the blob does not exist.</returns>
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

    /// <summary>Writes only if nobody wrote since <paramref name="expected"/> was read (null: only if the blob does not exist yet).</summary>
    /// <exception cref="RequestFailedException">409 or 412 when the condition failed (with the service's reason, a lease for example).</exception>
    public static Task WriteAsync<T>(BlobClient blob, T document, ETag? expected, CancellationToken cancellationToken) =>
        blob.UploadAsync(BinaryData.FromObjectAsJson(document, HubJson.Options), new BlobUploadOptions
        {
            Conditions = expected is { } match ? new BlobRequestConditions { IfMatch = match } : new BlobRequestConditions { IfNoneMatch = ETag.All },
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
        }, cancellationToken);

    /// <returns>False when the condition of <see cref="WriteAsync"/> failed.</returns>
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
