using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IntegrationHub.Core;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Storage;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.Functions.Durable;

// The engine keeps one run per id; the hub keeps the ones a replay (or a reprocess) replaced.
[ApiSchema]
[Description("A run of the instance that a replay or reprocess replaced, as the hub kept it just before.")]
public sealed record EarlierRun(
    [property: Description("How it ended: `Failed` or `Terminated`.")] string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset EndedAt,
    DateTimeOffset ReplacedAt,
    [property: Description("The action and principal, e.g. `replay by ops`.")] string ReplacedBy,
    string? CustomStatus,
    [property: Description("Its output or failure message, at most 4096 characters.")] string? Output,
    bool OutputTruncated,
    [property: Description("Why it failed, as `failure` of the instance.")] FailureView? Failure,
    [property: Description("Its last 500 history events, in order.")] IReadOnlyList<HistoryEventView> History,
    [property: Description("Earlier events of a longer history that were not kept.")] int EventsNotKept);

/// <summary>
/// The runs a replay or reprocess replaced, which the engine forgets: <c>ledger/runs/{instanceId}/{endedAt}.json</c>,
/// one blob per run (two callers racing for one failure write the same).
/// </summary>
public sealed class EarlierRuns(BlobServiceClient blobs, TaskHubHistory history, TimeProvider clock)
{
    public const int MaxShown = 10;

    // A longer history keeps its last events, where the failure is.
    public const int MaxEvents = 500;

    public async Task KeepAsync(DurableTaskClient client, OrchestrationMetadata instance, string replacedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(instance);
        var events = await history.ReadAsync(client, instance.InstanceId, cancellationToken).ConfigureAwait(false);
        var (output, outputCut) = InstanceReading.Summary(instance.SerializedOutput);
        var views = events.Events.Select(e => e.View).ToList();
        var run = new EarlierRun(
            instance.RuntimeStatus.ToString(), instance.CreatedAt, instance.LastUpdatedAt, clock.GetUtcNow(), replacedBy,
                instance.SerializedCustomStatus, output, outputCut,
            InstanceReading.Failure(instance, events.Events), [.. views.Skip(Math.Max(0, views.Count - MaxEvents))], Math.Max(0, views.Count - MaxEvents));
        await Blob(instance.InstanceId, instance.LastUpdatedAt)
            .UploadAsync(BinaryData.FromObjectAsJson(run, HubJson.Options),
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The newest <see cref="MaxShown"/> earlier runs, and how many there are.</summary>
    public async Task<(IReadOnlyList<EarlierRun> Runs, int Count)> ReadAsync(string instanceId, CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(HubContainers.Ledger);
        var names = new List<string>();
        try
        {
            await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = Prefix(instanceId) }, cancellationToken).ConfigureAwait(false))
            {
                names.Add(item.Name);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return ([], 0);
        }

        var runs = new List<EarlierRun>();
        // The names sort by the time the run ended.
        foreach (var name in names.OrderDescending(StringComparer.Ordinal).Take(MaxShown))
        {
            try
            {
                var content = await container.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
                if (content.Value.Content.ToObjectFromJson<EarlierRun>(HubJson.Options) is { } run)
                {
                    runs.Add(run);
                }
            }
            catch (Exception ex) when (ex is JsonException || (ex is RequestFailedException { Status: 404 }))
            {
                // Unreadable or gone meanwhile: the others still show.
            }
        }

        return (runs, names.Count);
    }

    private static string Prefix(string instanceId) => $"runs/{instanceId}/";

    private BlobClient Blob(string instanceId, DateTimeOffset endedAt) =>
        blobs.GetBlobContainerClient(HubContainers.Ledger).GetBlobClient(
            Prefix(instanceId) + endedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss.fffffff'Z'", CultureInfo.InvariantCulture) + ".json");
}
