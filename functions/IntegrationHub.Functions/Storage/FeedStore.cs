using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IntegrationHub.Core;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Functions.Storage;

public enum FeedState
{
    Received,
    Validated,
    Quarantined,
}

/// <summary>What the hub knows about one feed, as <c>GET /api/feeds/{feedId}</c> shows it.</summary>
public sealed record FeedStatus(string FeedId, string Source, FeedState State, string LandingBlob, DateTimeOffset ReceivedAt, ValidationReport? Report);

/// <summary>
/// Landing and quarantine on Blob Storage. The landing blob is created with If-None-Match: * before anything can
/// fail, so a feed is never lost and the same bytes can never be written twice; its state lives in the blob's
/// metadata (the content itself is never rewritten).
/// </summary>
public sealed class FeedStore(BlobServiceClient blobs)
{
    private const string StateKey = "state";
    private const string FeedIdKey = "feedid";

    public static string LandingPath(string source, string contentHash) => $"{source}/{contentHash}.json";

    public async Task EnsureContainersAsync(CancellationToken cancellationToken)
    {
        foreach (var name in HubContainers.All)
        {
            await blobs.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <returns>True when these bytes were stored now; false when the same bytes were already landed.</returns>
    public async Task<bool> LandAsync(string source, string contentHash, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var blob = blobs.GetBlobContainerClient(HubContainers.Landing).GetBlobClient(LandingPath(source, contentHash));
        try
        {
            await blob.UploadAsync(BinaryData.FromBytes(body), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                Metadata = new Dictionary<string, string> { [StateKey] = nameof(FeedState.Received) },
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>The recorded state of landed bytes and the ETag to claim them with; Received means nobody has recorded a verdict yet.</summary>
    public async Task<(FeedState State, ETag ETag)> GetLandingStateAsync(string source, string contentHash, CancellationToken cancellationToken)
    {
        var properties = await blobs.GetBlobContainerClient(HubContainers.Landing).GetBlobClient(LandingPath(source, contentHash))
            .GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return (Enum.Parse<FeedState>(properties.Value.Metadata[StateKey]), properties.Value.ETag);
    }

    /// <summary>
    /// Records the verdict if nobody else has since <paramref name="landedETag"/>: concurrent receivers of the same bytes
    /// race here and exactly one wins, while a receiver that died before recording leaves the claim to the next one.
    /// </summary>
    /// <returns>False when another receiver recorded first.</returns>
    public async Task<bool> RecordAsync(string source, string contentHash, ETag landedETag, string feedId, FeedState state, ValidationReport report, CancellationToken cancellationToken)
    {
        if (state == FeedState.Quarantined)
        {
            var quarantine = blobs.GetBlobContainerClient(HubContainers.Quarantine).GetBlobClient($"{source}/{feedId}.json");
            await quarantine.UploadAsync(BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(report, HubJson.Options)), overwrite: true, cancellationToken).ConfigureAwait(false);
        }

        var landing = blobs.GetBlobContainerClient(HubContainers.Landing).GetBlobClient(LandingPath(source, contentHash));
        try
        {
            await landing.SetMetadataAsync(
                new Dictionary<string, string> { [StateKey] = state.ToString(), [FeedIdKey] = feedId },
                new BlobRequestConditions { IfMatch = landedETag },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }
    }

    public async Task<FeedStatus?> GetStatusAsync(string feedId, CancellationToken cancellationToken)
    {
        var source = FeedSource.All.FirstOrDefault(s => feedId.StartsWith(s + "-", StringComparison.Ordinal));
        var hashPrefix = feedId.Length > 16 ? feedId[^16..] : null;
        if (source is null || hashPrefix is null)
        {
            return null;
        }

        var landing = blobs.GetBlobContainerClient(HubContainers.Landing);
        await foreach (var item in landing.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata, Prefix = $"{source}/{hashPrefix}" }, cancellationToken).ConfigureAwait(false))
        {
            if (!item.Metadata.TryGetValue(FeedIdKey, out var id) || id != feedId)
            {
                continue;
            }

            var state = Enum.Parse<FeedState>(item.Metadata[StateKey]);
            ValidationReport? report = null;
            if (state == FeedState.Quarantined)
            {
                var content = await blobs.GetBlobContainerClient(HubContainers.Quarantine).GetBlobClient($"{source}/{feedId}.json")
                    .DownloadContentAsync(cancellationToken).ConfigureAwait(false);
                report = content.Value.Content.ToObjectFromJson<ValidationReport>(HubJson.Options);
            }

            return new FeedStatus(feedId, source, state, $"{HubContainers.Landing}/{item.Name}", item.Properties.CreatedOn ?? DateTimeOffset.MinValue, report);
        }

        return null;
    }
}
