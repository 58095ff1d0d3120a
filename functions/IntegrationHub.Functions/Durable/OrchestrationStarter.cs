using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IntegrationHub.Functions.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Durable;

public enum StartOutcome
{
    Started,

    /// <summary>The instance is pending or running; nothing was started.</summary>
    Running,

    /// <summary>The instance exists and has finished; the caller asked not to start it again.</summary>
    Finished,
}

/// <summary>
/// Starts an orchestration under a deterministic instance id at most once at a time, across every process of the app.
/// Two schedules of the same id racing each other corrupt the instance on the Azure Storage backend (both write its
/// history: "split brain"), and the backend's own duplicate check is a read followed by a write, not atomic. So a
/// caller first claims the start with a conditional write of a small blob; only the winner schedules.
/// </summary>
public sealed partial class OrchestrationStarter(BlobServiceClient blobs, TimeProvider clock, ILogger<OrchestrationStarter> logger)
{
    private const string ClaimedAtKey = "claimedat";

    /// <summary>
    /// A claim older than this, whose instance never appeared, is taken to be from a caller that died before scheduling.
    /// A live claimer schedules within one storage round trip of its claim; this leaves it ample room, and bounds what a
    /// dead claimer costs the feed behind it.
    /// </summary>
    public static readonly TimeSpan ClaimLifetime = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan ClaimPollInterval = TimeSpan.FromMilliseconds(250);

    /// <param name="claimedAt">
    /// When something the caller's instance id is derived from was created write-once by another caller, which then
    /// starts the instance itself (a feed's landing): that creation is the claim, held as long as a claim blob's.
    /// </param>
    public async Task<StartOutcome> StartAsync(
        DurableTaskClient client, TaskName orchestrator, string instanceId, object input, bool restartFinished, CancellationToken cancellationToken,
        DateTimeOffset? claimedAt = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        while (true)
        {
            var outcome = await TryStartAsync(client, orchestrator, instanceId, input, restartFinished, claimedAt, cancellationToken).ConfigureAwait(false);
            if (outcome is { } settled)
            {
                return settled;
            }

            // Someone else holds a fresh claim. Answering "being started" now would be a promise nobody may keep: the
            // claimer can die between its claim and its schedule (a host stopped, a crash), and a caller that is itself
            // a retry after such a death would then start nothing. So wait until the instance appears (normally
            // milliseconds) or the claim goes stale and can be taken over.
            await Task.Delay(ClaimPollInterval, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Schedules an instance whose id nobody else can be starting: the caller created, write-once, what the id is
    /// derived from (see <c>claimedAt</c> of <see cref="StartAsync"/>). Two round trips fewer than a claimed start.
    /// </summary>
    public async Task ScheduleOwnedAsync(DurableTaskClient client, TaskName orchestrator, string instanceId, object input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input,
            new StartOrchestrationOptions(instanceId), cancellationToken).ConfigureAwait(false);
        LogStarted(logger, orchestrator.Name, instanceId);
    }

    // Null while another caller holds a fresh claim.
    private async Task<StartOutcome?> TryStartAsync(
        DurableTaskClient client, TaskName orchestrator, string instanceId, object input, bool restartFinished,
            DateTimeOffset? claimedAt, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (instance is { RuntimeStatus: OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended })
        {
            return StartOutcome.Running;
        }

        if (instance is not null && !restartFinished)
        {
            return StartOutcome.Finished;
        }

        var now = clock.GetUtcNow();
        if (instance is null && claimedAt is { } owned && now - owned < ClaimLifetime)
        {
            // The creator of what the id derives from is starting it: wait for it, as for a claim blob.
            return null;
        }

        var claim = blobs.GetBlobContainerClient(HubContainers.Ledger).GetBlobClient($"starts/{instanceId}");
        ETag? etag = null;
        // A new instance is the usual case and has no claim yet: claim it outright, and read the claim only when one is there.
        if (instance is null && await TryClaimAsync(claim, null, now, cancellationToken).ConfigureAwait(false) is { } fresh)
        {
            return await ScheduleAsync(client, orchestrator, instanceId, input, claim, fresh, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var properties = await claim.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            etag = properties.Value.ETag;
            var claimTime = DateTimeOffset.Parse(properties.Value.Metadata[ClaimedAtKey], CultureInfo.InvariantCulture);
            var instanceCreated = instance?.CreatedAt ?? DateTimeOffset.MinValue;
            if (claimTime > instanceCreated && now - claimTime < ClaimLifetime)
            {
                return null;
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Never claimed before.
        }

        return await TryClaimAsync(claim, etag, now, cancellationToken).ConfigureAwait(false) is { } claimed
            ? await ScheduleAsync(client, orchestrator, instanceId, input, claim, claimed, cancellationToken).ConfigureAwait(false)
            : null;
    }

    // replacing: The ETag of a stale claim to take over; null when there is none. The claim's ETag; null when another
    // caller claimed first.
    private static async Task<ETag?> TryClaimAsync(BlobClient claim, ETag? replacing, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var claimed = await claim.UploadAsync(BinaryData.Empty, new BlobUploadOptions
            {
                Conditions = replacing is { } match ? new BlobRequestConditions { IfMatch = match } : new BlobRequestConditions { IfNoneMatch = ETag.All },
                Metadata = new Dictionary<string, string> { [ClaimedAtKey] = now.ToString("O", CultureInfo.InvariantCulture) },
            }, cancellationToken).ConfigureAwait(false);
            return claimed.Value.ETag;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return null;
        }
    }

    private async Task<StartOutcome> ScheduleAsync(
        DurableTaskClient client, TaskName orchestrator, string instanceId, object input, BlobClient claim, ETag claimed, CancellationToken cancellationToken)
    {
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input,
                new StartOrchestrationOptions(instanceId), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Give the claim up at once, so a retry (this caller's or another's) need not wait for it to go stale.
            await claim.DeleteIfExistsAsync(conditions: new BlobRequestConditions { IfMatch = claimed },
                cancellationToken: CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        LogStarted(logger, orchestrator.Name, instanceId);
        return StartOutcome.Started;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Orchestrator} started as {InstanceId}")]
    private static partial void LogStarted(ILogger logger, string orchestrator, string instanceId);
}
