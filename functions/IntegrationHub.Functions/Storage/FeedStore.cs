using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IntegrationHub.Core;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Normalisation;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Functions.Storage;

[JsonConverter(typeof(JsonStringEnumConverter<FeedState>))]
public enum FeedState
{
    Received,
    Validated,
    Quarantined,

    /// <summary>Validated and part of at least one published data-set version.</summary>
    Consolidated,
}

/// <summary>What the hub knows about one feed, as <c>GET /api/feeds/{source}/{feedId}</c> shows it.</summary>
/// <param name="Datasets">The data-set versions that first included the feed, as <c>{period}/v{n}</c>.</param>
public sealed record FeedStatus(
    string FeedId,
    string Source,
    [property: Description("Its period, when the envelope could be read.")] string? Period,
    [property: Description("`Received`: landed, no verdict yet.")] FeedState State,
    [property: Description("Where the bytes are kept.")] string LandingBlob,
    [property: Description("When the bytes landed.")] DateTimeOffset ReceivedAt,
    ValidationReport? Report,
    [property: Description("The data-set versions that first included the feed, as `{period}/v{n}`.")] IReadOnlyList<string> Datasets)
{
    /// <summary>Where the feed sits in the ledger, once recorded: what its consolidated state is worked out from.</summary>
    [JsonIgnore]
    public LedgerPosition? Ledger { get; init; }

    /// <summary>The signed receipt the push was answered with; null for bytes landed before receipts existed.</summary>
    [Description("The signed receipt the push was answered with (as `receipt` of a push); null for bytes landed before receipts.")]
    public string? Receipt { get; init; }
}

/// <summary>Where an accepted feed sits in its year's ledger, and the data sets (periods) that must take it in.</summary>
public sealed record LedgerPosition(int Year, long Generation, IReadOnlyList<string> Periods);

/// <summary>One landed body as its landing blob records it (no report, no content): what reconciliation walks.</summary>
/// <param name="FeedId">Empty for bytes landed by an older build that never judged them.</param>
/// <param name="Datasets">Versions recorded by builds before the inclusion records (<c>ConsolidationRecords</c>); new feeds have none here.</param>
/// <param name="Ledger">Set once the feed is recorded in the ledger and handed to consolidation.</param>
public sealed record LandedFeed(
    string Source, string ContentHash, string FeedId, string? Period, FeedState State, DateTimeOffset ReceivedAt, IReadOnlyList<string> Datasets,
    LedgerPosition? Ledger = null)
{
    /// <summary>The signed receipt landed with the bytes; null for bytes landed before receipts existed.</summary>
    public string? Receipt { get; init; }
}

/// <summary>A quarantine report as its listing shows it, without reading it.</summary>
/// <param name="Source">The folder: the source of the URL the body was pushed to (the feed id names the body's own).</param>
/// <param name="ContentHash">The body's SHA-256 (its landing blob's name); null for a report written before it was recorded.</param>
/// <param name="Errors">Errors in the report, listed or not; null for a report written before it was recorded.</param>
public sealed record QuarantineReportEntry(string Source, string FeedId, string? ContentHash, string? Period, DateTimeOffset QuarantinedAt, int? Errors);

/// <summary>
/// Landing and quarantine on Blob Storage. The landing blob is created with If-None-Match: * before anything can
/// fail, so a feed is never lost and the same bytes can never be written twice; its state lives in the blob's
/// metadata (the content itself is never rewritten).
/// </summary>
public sealed class FeedStore(BlobServiceClient blobs)
{
    private const string StateKey = "state";
    private const string FeedIdKey = "feedid";
    private const string PeriodKey = "period";
    private const string DatasetsKey = "datasets";
    private const string LedgerYearKey = "ledgeryear";
    private const string LedgerGenerationKey = "ledgergeneration";
    private const string PeriodsKey = "periods";
    private const string ReportLandingKey = "landing";
    private const string ReportErrorsKey = "errors";

    // The receipt is landed in the same write as the bytes, so the first lander's receipt is the one every duplicate gets.
    private const string ReceiptKey = "receipt";
    private const int MaxAttempts = 20;

    /// <summary>
    /// The blob index tag every landed body carries with its verdict (<c>Quarantined</c>, <c>Validated</c>): metadata
    /// cannot be matched by storage lifecycle rules, tags can (infra/ deletes quarantined bodies after a retention).
    /// </summary>
    public const string StateTag = "state";

    public static string LandingPath(string source, string contentHash) => $"{source}/{contentHash}.json";

    public static string NormalisedPath(string source, string period, string feedId) => $"{source}/{period}/{feedId}.json";

    /// <summary>
    /// Lands bytes with their verdict in one write (If-None-Match: *), so landed bytes are always judged and never
    /// landed twice; a quarantined feed's report is written first, so its landed bytes always have their report.
    /// </summary>
    /// <param name="receipt">The signed receipt, kept with the bytes (a compact JWS: ASCII, well under the metadata limit).</param>
    /// <returns>The new blob's creation time; null when the same bytes were landed before (the verdict then is theirs).</returns>
    public async Task<DateTimeOffset?> LandJudgedAsync(
        string source, string contentHash, ReadOnlyMemory<byte> body, string feedId, FeedState state, ValidationReport report, string? receipt,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (state == FeedState.Quarantined)
        {
            await StoreQuarantineReportAsync(source, contentHash, feedId, report, cancellationToken).ConfigureAwait(false);
        }

        var blob = blobs.GetBlobContainerClient(HubContainers.Landing).GetBlobClient(LandingPath(source, contentHash));
        var metadata = Verdict(feedId, state, report.Period);
        if (receipt is not null)
        {
            metadata[ReceiptKey] = receipt;
        }

        try
        {
            var stored = await blob.UploadAsync(BinaryData.FromBytes(body), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                Metadata = metadata,
                Tags = new Dictionary<string, string> { [StateTag] = state.ToString() },
            }, cancellationToken).ConfigureAwait(false);
            return stored.Value.LastModified;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return null;
        }
    }

    /// <summary>Landed bytes as their blob records them; null when none are landed under that name.</summary>
    public async Task<LandedFeed?> GetLandedAsync(string source, string contentHash, CancellationToken cancellationToken)
    {
        try
        {
            var properties = await blobs.GetBlobContainerClient(HubContainers.Landing).GetBlobClient(LandingPath(source, contentHash))
                .GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return ToLanded(source, contentHash, properties.Value.Metadata, properties.Value.CreatedOn);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Notes on the landing blob where the feed sits in the ledger and which data sets take it in: its status is read
    /// from there and from the consolidations' inclusion records. Merged under an ETag with whatever else is recorded.
    /// </summary>
    public async Task RecordLedgerPositionAsync(string source, string contentHash, LedgerPosition position, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(position);
        var landing = blobs.GetBlobContainerClient(HubContainers.Landing).GetBlobClient(LandingPath(source, contentHash));
        for (var attempt = 1; ; attempt++)
        {
            var properties = await landing.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var metadata = new Dictionary<string, string>(properties.Value.Metadata)
            {
                [LedgerYearKey] = position.Year.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [LedgerGenerationKey] = position.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [PeriodsKey] = string.Join(',', position.Periods),
            };
            try
            {
                await landing.SetMetadataAsync(metadata,
                    new BlobRequestConditions { IfMatch = properties.Value.ETag }, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < MaxAttempts)
            {
                // Another step changed the metadata in between (ops reprocessing); merge with what it wrote.
            }
        }
    }

    // The report, with what the quarantine list shows in its metadata (the body's hash, the period, the error count):
    // one listing call then makes a page, and it still says so once retention has deleted the body.
    private async Task StoreQuarantineReportAsync(string source, string contentHash, string feedId,
        ValidationReport report, CancellationToken cancellationToken)
    {
        var metadata = new Dictionary<string, string>
        {
            [ReportLandingKey] = contentHash,
            [ReportErrorsKey] = (report.Errors.Count + report.ErrorsNotListed).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (report.Period is { } period && Period.TryParse(period, out _))
        {
            metadata[PeriodKey] = period;
        }

        await blobs.GetBlobContainerClient(HubContainers.Quarantine).GetBlobClient(QuarantinePath(source, feedId)).UploadAsync(
            BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(report, HubJson.Options)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" }, Metadata = metadata },
                cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A quarantined feed's report: under the folder its body was pushed to, by its feed id.</summary>
    public static string QuarantinePath(string source, string feedId) => $"{source}/{feedId}.json";

    private static Dictionary<string, string> Verdict(string feedId, FeedState state, string? period)
    {
        var metadata = new Dictionary<string, string> { [StateKey] = state.ToString(), [FeedIdKey] = feedId };
        // A period as the body states it, only when it can travel as a header: a non-ASCII one made every write fail.
        if (period is { Length: > 0 and <= 64 } && period.All(c => c is >= ' ' and <= '~'))
        {
            metadata[PeriodKey] = period;
        }

        return metadata;
    }

    /// <summary>The landed bytes, exactly as received.</summary>
    public async Task<BinaryData> ReadLandedAsync(string source, string contentHash, CancellationToken cancellationToken)
    {
        var content = await blobs.GetBlobContainerClient(HubContainers.Landing).GetBlobClient(LandingPath(source, contentHash))
            .DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        return content.Value.Content;
    }

    /// <summary>Stores a feed's normalised form; the content is a pure function of the landed bytes, so rewriting it is harmless.</summary>
    /// <returns>The blob's name inside the normalized container.</returns>
    public async Task<string> StoreNormalisedAsync(NormalisedFeed feed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var name = NormalisedPath(feed.Source, feed.Period, feed.FeedId);
        await blobs.GetBlobContainerClient(HubContainers.Normalized).GetBlobClient(name)
            .UploadAsync(BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(feed, HubJson.Options)),
                overwrite: true, cancellationToken).ConfigureAwait(false);
        return name;
    }

    public async Task<NormalisedFeed> ReadNormalisedAsync(string name, CancellationToken cancellationToken)
    {
        var content = await blobs.GetBlobContainerClient(HubContainers.Normalized).GetBlobClient(name).DownloadContentAsync(cancellationToken)
            .ConfigureAwait(false);
        try
        {
            return content.Value.Content.ToObjectFromJson<NormalisedFeed>(HubJson.Options)
                ?? throw new InvalidDataException($"Normalised feed {name} is empty.");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException)
        {
            // Name the blob: ops must know which stored feed to repair before replaying the run.
            throw new InvalidDataException($"Normalised feed {HubContainers.Normalized}/{name} is unreadable: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// A feed by its id, wherever it was pushed: first under the source its id names (one listing of the hash prefix),
    /// then under the other sources' folders, where a body that names another source than its URL (quarantined for
    /// it) or none at all (<c>unknown-unreadable-…</c>) is stored. Null when no judged bytes carry that id.
    /// </summary>
    public async Task<FeedStatus?> GetStatusAsync(string feedId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedId);
        var named = FeedId.SourceOf(feedId);
        foreach (var folder in FeedSource.All.OrderBy(s => s == named ? 0 : 1))
        {
            if (await GetStatusAsync(folder, feedId, cancellationToken).ConfigureAwait(false) is { } status)
            {
                return status;
            }
        }

        return null;
    }

    /// <summary>A feed by its id among the bodies pushed to <paramref name="source"/>'s URL, in one listing; null when none carries it.</summary>
    public async Task<FeedStatus?> GetStatusAsync(string source, string feedId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedId);
        var hashPrefix = FeedId.HashPrefixOf(feedId);
        if (!FeedSource.IsKnown(source) || hashPrefix.Length != 16 || !hashPrefix.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var landing = blobs.GetBlobContainerClient(HubContainers.Landing);
        await foreach (var item in landing.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata, Prefix = $"{source}/{hashPrefix}" },
            cancellationToken).ConfigureAwait(false))
        {
            if (item.Metadata.TryGetValue(FeedIdKey, out var id) && id == feedId)
            {
                return await ToStatusAsync(source, item, cancellationToken).ConfigureAwait(false);
            }
        }

        return null;
    }

    /// <summary>The status of landed bytes by source and (a prefix of) their SHA-256; null when none landed. Bytes
    /// without a verdict yet have an empty feed id.</summary>
    public Task<FeedStatus?> GetStatusByContentHashAsync(string source, string contentHashPrefix, CancellationToken cancellationToken) =>
        FindStatusAsync(source, contentHashPrefix, cancellationToken);

    /// <summary>
    /// Ops reprocessing: a quarantined feed that validates now (its schema or reference data were fixed) is recorded
    /// as Validated, with an ETag condition so that two reprocessing calls cannot both release it; its quarantine
    /// report goes.
    /// </summary>
    /// <returns>False when the feed is not (or no longer) quarantined.</returns>
    public async Task<bool> ReleaseFromQuarantineAsync(string source, string contentHash, string feedId, string? period, CancellationToken cancellationToken)
    {
        var landing = blobs.GetBlobContainerClient(HubContainers.Landing).GetBlobClient(LandingPath(source, contentHash));
        var properties = (await landing.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        if (Enum.Parse<FeedState>(properties.Metadata[StateKey]) != FeedState.Quarantined)
        {
            return false;
        }

        // The receipt stays as it was signed: it says what the hub answered then (quarantined), which is still true.
        var verdict = Verdict(feedId, FeedState.Validated, period);
        if (properties.Metadata.TryGetValue(ReceiptKey, out var receipt))
        {
            verdict[ReceiptKey] = receipt;
        }

        // The tag first: stopped between the two writes, the body is kept as if valid, never deleted while it is.
        await landing.SetTagsAsync(new Dictionary<string, string> { [StateTag] = nameof(FeedState.Validated) },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            await landing.SetMetadataAsync(verdict, new BlobRequestConditions { IfMatch = properties.ETag }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }

        // The id of a quarantined feed may differ from the new one only if the old verdict could not read the envelope.
        await blobs.GetBlobContainerClient(HubContainers.Quarantine).GetBlobClient(QuarantinePath(source, feedId))
            .DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Every landed body with its recorded state, in landing order of name (source, then hash).</summary>
    public async IAsyncEnumerable<LandedFeed> ListLandedAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var landing = blobs.GetBlobContainerClient(HubContainers.Landing);
        await foreach (var item in landing.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, cancellationToken).ConfigureAwait(false))
        {
            if (ToLanded(item) is { } landed)
            {
                yield return landed;
            }
        }
    }

    /// <summary>How many bodies are landed (of one source, or all): names only, for a reconciliation's progress.</summary>
    public async Task<int> CountLandedAsync(string? source, CancellationToken cancellationToken)
    {
        var landing = blobs.GetBlobContainerClient(HubContainers.Landing);
        var count = 0;
        await foreach (var item in landing.GetBlobsAsync(new GetBlobsOptions { Prefix = source is null ? null : source + "/" },
            cancellationToken).ConfigureAwait(false))
        {
            // The names ListLandedAsync takes for landed bodies, no others.
            if (item.Name.IndexOf('/', StringComparison.Ordinal) > 0 && item.Name.EndsWith(".json", StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    // A landing blob as its name and metadata record it; null for a blob that is not a landed body.
    private static LandedFeed? ToLanded(BlobItem item)
    {
        var slash = item.Name.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !item.Name.EndsWith(".json", StringComparison.Ordinal))
        {
            return null;
        }

        return ToLanded(item.Name[..slash], item.Name[(slash + 1)..^".json".Length], item.Metadata, item.Properties.CreatedOn);
    }

    private static LandedFeed ToLanded(string source, string contentHash, IDictionary<string, string> metadata, DateTimeOffset? createdOn)
    {
        metadata.TryGetValue(FeedIdKey, out var id);
        // Bytes landed by an older build before its verdict was set have no state yet, which is "Received".
        var state = metadata.TryGetValue(StateKey, out var recorded) && Enum.TryParse<FeedState>(recorded, out var parsed) ? parsed : FeedState.Received;
        return new LandedFeed(
            source, contentHash, id ?? "", metadata.TryGetValue(PeriodKey, out var period) ? period : null, state, createdOn ?? DateTimeOffset.MinValue,
            metadata.TryGetValue(DatasetsKey, out var list) ? list.Split(',', StringSplitOptions.RemoveEmptyEntries) : [],
            PositionOf(metadata))
        {
            Receipt = metadata.TryGetValue(ReceiptKey, out var receipt) ? receipt : null,
        };
    }

    private static LedgerPosition? PositionOf(IDictionary<string, string> metadata) =>
        metadata.TryGetValue(LedgerYearKey, out var year) && metadata.TryGetValue(LedgerGenerationKey, out var generation)
            ? new LedgerPosition(
                int.Parse(year, System.Globalization.CultureInfo.InvariantCulture), long.Parse(generation, System.Globalization.CultureInfo.InvariantCulture),
                metadata.TryGetValue(PeriodsKey, out var periods) ? periods.Split(',', StringSplitOptions.RemoveEmptyEntries) : [])
            : null;

    /// <summary>Whether a normalised feed is stored under this name.</summary>
    public async Task<bool> NormalisedExistsAsync(string name, CancellationToken cancellationToken) =>
        (await blobs.GetBlobContainerClient(HubContainers.Normalized).GetBlobClient(name).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>The ids of the feeds with a quarantine report (<c>quarantine/{source}/{feedId}.json</c>).</summary>
    public async IAsyncEnumerable<string> ListQuarantinedFeedIdsAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in blobs.GetBlobContainerClient(HubContainers.Quarantine).GetBlobsAsync(cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            var name = item.Name;
            var slash = name.LastIndexOf('/');
            if (slash > 0 && name.EndsWith(".json", StringComparison.Ordinal))
            {
                yield return name[(slash + 1)..^".json".Length];
            }
        }
    }

    /// <summary>
    /// One page of quarantine reports in name order (the folder the body was pushed to, then the feed id: source,
    /// period, revision), in a single listing call; <paramref name="marker"/> is where the previous page stopped.
    /// </summary>
    /// <returns>The reports and the storage's marker for the next page (null after the last).</returns>
    public async Task<(IReadOnlyList<QuarantineReportEntry> Entries, string? NextMarker)> ListQuarantinePageAsync(
        string? source, string? marker, int pageSize, CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(HubContainers.Quarantine);
        var options = new GetBlobsOptions { Traits = BlobTraits.Metadata, Prefix = source is { Length: > 0 } ? source + "/" : null };
        await foreach (var page in container.GetBlobsAsync(options, cancellationToken).AsPages(marker, pageSize).ConfigureAwait(false))
        {
            var entries = new List<QuarantineReportEntry>(page.Values.Count);
            foreach (var item in page.Values)
            {
                var slash = item.Name.IndexOf('/', StringComparison.Ordinal);
                if (slash <= 0 || !item.Name.EndsWith(".json", StringComparison.Ordinal))
                {
                    continue;
                }

                item.Metadata.TryGetValue(ReportLandingKey, out var hash);
                item.Metadata.TryGetValue(PeriodKey, out var period);
                int? errors = item.Metadata.TryGetValue(ReportErrorsKey, out var count)
                    && int.TryParse(count, System.Globalization.NumberStyles.None,
                        System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
                entries.Add(new QuarantineReportEntry(
                    item.Name[..slash], item.Name[(slash + 1)..^".json".Length], hash, period, item.Properties.CreatedOn ?? DateTimeOffset.MinValue, errors));
            }

            return (entries, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }

        return ([], null);
    }

    /// <summary>A quarantined feed's report, stored under the folder its body was pushed to; null when there is none.</summary>
    public async Task<ValidationReport?> ReadQuarantineReportAsync(string source, string feedId, CancellationToken cancellationToken)
    {
        try
        {
            var content = await blobs.GetBlobContainerClient(HubContainers.Quarantine).GetBlobClient(QuarantinePath(source, feedId))
                .DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToObjectFromJson<ValidationReport>(HubJson.Options);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private async Task<FeedStatus?> FindStatusAsync(string source, string hashPrefix, CancellationToken cancellationToken)
    {
        var landing = blobs.GetBlobContainerClient(HubContainers.Landing);
        await foreach (var item in landing.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata, Prefix = $"{source}/{hashPrefix}" },
            cancellationToken).ConfigureAwait(false))
        {
            return await ToStatusAsync(source, item, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private async Task<FeedStatus> ToStatusAsync(string source, BlobItem item, CancellationToken cancellationToken)
    {
        item.Metadata.TryGetValue(FeedIdKey, out var id);
        var state = Enum.Parse<FeedState>(item.Metadata[StateKey]);
        ValidationReport? report = null;
        if (state == FeedState.Quarantined)
        {
            report = await ReadQuarantineReportAsync(source, id ?? "", cancellationToken).ConfigureAwait(false);
        }

        var datasets = item.Metadata.TryGetValue(DatasetsKey, out var list) ? list.Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
        return new FeedStatus(
            id ?? "", source, item.Metadata.TryGetValue(PeriodKey, out var period) ? period : null, state,
                $"{HubContainers.Landing}/{item.Name}", item.Properties.CreatedOn ?? DateTimeOffset.MinValue, report, datasets)
        {
            Ledger = PositionOf(item.Metadata),
            Receipt = item.Metadata.TryGetValue(ReceiptKey, out var receipt) ? receipt : null,
        };
    }
}
