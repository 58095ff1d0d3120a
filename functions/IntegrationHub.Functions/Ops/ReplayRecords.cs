using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Storage;

namespace IntegrationHub.Functions.Ops;

/// <summary>
/// Which failures have been replayed: one small blob per failure, <c>ledger/replays/{instanceId}/{failedAt}</c>, created
/// with If-None-Match so that of two concurrent replays of the same failure (two operators, or replay-failed called
/// twice) exactly one goes ahead. A failure is the instance id with the time it failed: once replayed, the instance
/// runs again, and should it fail again that is a new failure, which may be replayed in its turn.
/// </summary>
public sealed class ReplayRecords(BlobServiceClient blobs, TimeProvider clock)
{
    private const string StateKey = "state";
    private const string ClaimedAtKey = "claimedat";
    private const string Claimed = "claimed";
    private const string Replayed = "replayed";

    /// <returns>True when this caller may replay the failure; false when it was replayed, or is being replayed, by another.</returns>
    public async Task<bool> ClaimAsync(string instanceId, DateTimeOffset failedAt, CancellationToken cancellationToken)
    {
        var blob = Record(instanceId, failedAt);
        var now = clock.GetUtcNow();
        try
        {
            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                Metadata = Metadata(Claimed, now),
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Recorded before: replayed, or claimed by a caller that may have died before starting anything.
        }

        try
        {
            var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            var claimedAt = DateTimeOffset.Parse(properties.Metadata[ClaimedAtKey], CultureInfo.InvariantCulture);
            if (properties.Metadata[StateKey] != Claimed || now - claimedAt < OrchestrationStarter.ClaimLifetime)
            {
                return false;
            }

            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfMatch = properties.ETag },
                Metadata = Metadata(Claimed, now),
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            return false;
        }
    }

    /// <summary>The replay was started: the failure stays recorded as replayed.</summary>
    public Task ConfirmAsync(string instanceId, DateTimeOffset failedAt, CancellationToken cancellationToken) =>
        Record(instanceId, failedAt).SetMetadataAsync(Metadata(Replayed, clock.GetUtcNow()), cancellationToken: cancellationToken);

    /// <summary>Nothing was started after all: a later call may try again.</summary>
    public Task ReleaseAsync(string instanceId, DateTimeOffset failedAt, CancellationToken cancellationToken) =>
        Record(instanceId, failedAt).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    private BlobClient Record(string instanceId, DateTimeOffset failedAt) =>
        blobs.GetBlobContainerClient(HubContainers.Ledger).GetBlobClient(
            $"replays/{instanceId}/{failedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss.fffffff'Z'", CultureInfo.InvariantCulture)}");

    private static Dictionary<string, string> Metadata(string state, DateTimeOffset at) =>
        new() { [StateKey] = state, [ClaimedAtKey] = at.ToString("O", CultureInfo.InvariantCulture) };
}
