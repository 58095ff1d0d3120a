using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using IntegrationHub.Core;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Functions.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Ops;

/// <summary>
/// The audit log: every push (whatever its answer) and every ops action, with who did it, one JSON line each, appended to one append blob per month
/// (<c>audit/{yyyy}/{MM}.jsonl</c>, then <c>{MM}-2.jsonl</c>, … should a month outgrow the 50,000 blocks an append
/// blob holds). The app only ever appends: an append is one atomic block, so concurrent writers never interleave
/// within a line, and nothing in the app rewrites or deletes a line.
/// </summary>
public sealed partial class AuditLog(BlobServiceClient blobs, TimeProvider clock, ILogger<AuditLog> logger)
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 1000;
    private const int MaxBlobsPerMonth = 100;

    // One entry per line: the hub's JSON conventions, not indented.
    private static readonly JsonSerializerOptions LineOptions = new(HubJson.Options) { WriteIndented = false };

    /// <summary>Appends one entry for a caller identified by its key (a department, ops, or <c>anonymous</c>).</summary>
    public Task RecordAsync(Caller caller, string action, string target, string outcome, int status, string? detail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return RecordAsync(new OpsActor(caller.Principal, caller.KeySlot), action, target, outcome, status, detail, cancellationToken);
    }

    /// <summary>Appends one entry. A failure to write is logged with the whole entry and does not undo the action, which has happened.</summary>
    public async Task RecordAsync(OpsActor actor, string action, string target, string outcome, int status, string? detail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var entry = new AuditEntry(clock.GetUtcNow(), actor.Principal, actor.KeySlot, action, target, outcome, status, detail);
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, LineOptions) + "\n");
        try
        {
            await AppendAsync(entry.At, line, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            LogNotRecorded(logger, ex, Encoding.UTF8.GetString(line).TrimEnd());
        }
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
                await blob.CreateIfNotExistsAsync(new AppendBlobCreateOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/x-ndjson" } }, cancellationToken)
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Action not recorded in the audit log: {Entry}")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string entry);
}
