using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IntegrationHub.Functions.Storage;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.Functions.Durable;

// Kept: with the start claim alone, a caller who saw a failure restarts it after another's rerun of it ended.
/// <summary>
/// Each failure (instance id and time) is run again once: <c>ledger/replays/{instanceId}/{failedAt}</c>, If-None-Match.
/// </summary>
public sealed class ReplayRecords(BlobServiceClient blobs, EarlierRuns earlierRuns, OrchestrationStarter starter, TimeProvider clock)
{
    private const string StateKey = "state";
    private const string ClaimedAtKey = "claimedat";
    private const string Claimed = "claimed";
    private const string Replayed = "replayed";

    /// <summary>Keeps the failed run, then starts it again; null when another caller handled this failure.</summary>
    public async Task<StartOutcome?> RunAgainAsync(DurableTaskClient client, OrchestrationMetadata instance, object input, string replacedBy,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        StartOutcome? started = null;
        var claimed = await OnceAsync(instance.InstanceId, instance.LastUpdatedAt, async () =>
        {
            // The engine forgets the run it restarts: the hub keeps it, for the detail's earlier runs.
            await earlierRuns.KeepAsync(client, instance, replacedBy, cancellationToken).ConfigureAwait(false);
            started = await starter.StartAsync(client, instance.Name, instance.InstanceId, input, restartFinished: true,
                cancellationToken).ConfigureAwait(false);
            return started == StartOutcome.Started;
        }, cancellationToken).ConfigureAwait(false);
        return claimed ? started : null;
    }

    /// <summary>
    /// Runs <paramref name="act"/> unless another handled this failure; its false or a throw lets a later call try.
    /// </summary>
    public async Task<bool> OnceAsync(string instanceId, DateTimeOffset failedAt, Func<Task<bool>> act, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(act);
        var record = Record(instanceId, failedAt);
        if (!await ClaimAsync(record, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        bool done;
        try
        {
            done = await act().ConfigureAwait(false);
        }
        catch
        {
            await record.DeleteIfExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (done)
        {
            await record.SetMetadataAsync(Metadata(Replayed, clock.GetUtcNow()), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await record.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    private async Task<bool> ClaimAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        try
        {
            await blob.UploadAsync(BinaryData.Empty,
                new BlobUploadOptions { Conditions = new() { IfNoneMatch = ETag.All }, Metadata = Metadata(Claimed, now) }, cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Replayed, or claimed by a caller that may have died before starting anything.
        }

        try
        {
            var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            var claimedAt = DateTimeOffset.Parse(properties.Metadata[ClaimedAtKey], CultureInfo.InvariantCulture);
            if (properties.Metadata[StateKey] != Claimed || now - claimedAt < OrchestrationStarter.ClaimLifetime)
            {
                return false;
            }

            await blob.UploadAsync(BinaryData.Empty,
                new BlobUploadOptions { Conditions = new() { IfMatch = properties.ETag }, Metadata = Metadata(Claimed, now) }, cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            return false;
        }
    }

    private BlobClient Record(string instanceId, DateTimeOffset failedAt) =>
        blobs.GetBlobContainerClient(HubContainers.Ledger).GetBlobClient(
            $"replays/{instanceId}/{failedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss.fffffff'Z'", CultureInfo.InvariantCulture)}");

    private static Dictionary<string, string> Metadata(string state, DateTimeOffset at) =>
        new() { [StateKey] = state, [ClaimedAtKey] = at.ToString("O", CultureInfo.InvariantCulture) };
}
