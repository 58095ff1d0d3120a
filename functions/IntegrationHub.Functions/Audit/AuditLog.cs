using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using IntegrationHub.Core;
using IntegrationHub.Functions.Resilience;
using IntegrationHub.Functions.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Audit;

/// <summary>
/// The audit log: every key holder's push and every ops action, one JSON line each in an append blob per month
/// (<c>audit/{yyyy}/{MM}.jsonl</c>, then <c>{MM}-2.jsonl</c>, …). Each append is one atomic block, so concurrent
/// writers never interleave within a line; nothing in the app rewrites or deletes a line.
/// </summary>
public sealed partial class AuditLog(BlobServiceClient blobs, TimeProvider clock, ILogger<AuditLog> logger)
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 1000;
    private const int MaxBlobsPerMonth = 100;

    // One entry per line: the hub's JSON conventions, not indented.
    private static readonly JsonSerializerOptions LineOptions = new(HubJson.Options) { WriteIndented = false };

    /// <summary>The outcome of the line written before an ops action takes effect (<see cref="RecordBeforeAsync"/>).</summary>
    public const string Requested = "requested";

    /// <summary>
    /// Appends the outcome of something that has happened. A failure to write is logged with the whole entry and does
    /// not undo it; an ops action with an effect was recorded by <see cref="RecordBeforeAsync"/> before it took effect.
    /// </summary>
    public async Task RecordAsync(OpsActor actor, string action, string target, string outcome, int status, string? detail, CancellationToken cancellationToken)
    {
        var (at, line) = Line(actor, action, target, outcome, status, detail);
        try
        {
            await AppendAsync(at, line, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            LogNotRecorded(logger, ex, Encoding.UTF8.GetString(line).TrimEnd());
        }
    }

    /// <summary>
    /// Records that <paramref name="actor"/> is about to do <paramref name="action"/> (outcome <see cref="Requested"/>,
    /// status 0: not answered yet). Called before the action's effect; when the line cannot be written it throws
    /// <see cref="DependencyUnavailableException"/> (answered 503), so no action happens unrecorded.
    /// </summary>
    public async Task RecordBeforeAsync(OpsActor actor, string action, string target, string? detail, CancellationToken cancellationToken)
    {
        var (at, line) = Line(actor, action, target, Requested, 0, detail);
        try
        {
            await AppendAsync(at, line, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            LogRefusedUnrecorded(logger, ex, Encoding.UTF8.GetString(line).TrimEnd());
            throw new DependencyUnavailableException(
                DependencyOutage.AuditLog, "the audit log could not record the action, so it was not done", ex);
        }
    }

    private (DateTimeOffset At, byte[] Line) Line(OpsActor actor, string action, string target, string outcome, int status, string? detail)
    {
        ArgumentNullException.ThrowIfNull(actor);

        // Every field may carry caller text (a URL's source, a feed id, a reason): capped and single-line, so a line
        // stays small and a reader of the log sees nothing the terminal would interpret.
        var entry = new AuditEntry(
            clock.GetUtcNow(),
            AuditText.Cap(actor.Principal, AuditText.MaxName),
            AuditText.Cap(actor.KeySlot, AuditText.MaxName),
            AuditText.Cap(action, AuditText.MaxName),
            AuditText.Cap(target, AuditText.MaxTarget),
            AuditText.Cap(outcome, AuditText.MaxName),
            status,
            detail is null ? null : AuditText.Cap(detail, AuditText.MaxDetail),
            actor.Name is null ? null : AuditText.Cap(actor.Name, AuditText.MaxName));
        return (entry.At, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, LineOptions) + "\n"));
    }

    private async Task AppendAsync(DateTimeOffset at, byte[] line, CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(HubContainers.Audit);
        var month = MonthPrefix(at);
        for (var part = 1; part <= MaxBlobsPerMonth; part++)
        {
            var blob = container.GetAppendBlobClient(part == 1 ? $"{month}.jsonl" : string.Create(CultureInfo.InvariantCulture, $"{month}-{part}.jsonl"));
            try
            {
                using var stream = new MemoryStream(line);
                await blob.AppendBlockAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobNotFound)
            {
                await blob.CreateIfNotExistsAsync(new AppendBlobCreateOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/x-ndjson" } },
                    cancellationToken)
                    .ConfigureAwait(false);
                using var stream = new MemoryStream(line);
                try
                {
                    await blob.AppendBlockAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (RequestFailedException full) when (full.ErrorCode == BlobErrorCode.BlockCountExceedsLimit)
                {
                    // Filled up between create and append; the next part takes it.
                }
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlockCountExceedsLimit)
            {
                // This part of the month is full; the next one takes it.
            }
        }

        throw new RequestFailedException($"The audit log of {month} has {MaxBlobsPerMonth} full append blobs.");
    }

    private static string MonthPrefix(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy/MM", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Error, Message = "Action refused: the audit log could not record it: {Entry}")]
    private static partial void LogRefusedUnrecorded(ILogger logger, Exception exception, string entry);

    [LoggerMessage(Level = LogLevel.Error, Message = "Action not recorded in the audit log: {Entry}")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string entry);
}
