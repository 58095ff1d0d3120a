using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using IntegrationHub.Core;

namespace IntegrationHub.Functions.Storage;

/// <summary>An accepted feed as consolidation sees it: where its normalised form is, and when the ledger learnt of it.</summary>
/// <param name="ReceivedAt">The hub's clock when the bytes arrived (the supply calendar's received time); null in entries of older builds.</param>
public sealed record LedgerEntry(
    [property: JsonPropertyName("feedId")] string FeedId,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("period")] string Period,
    [property: JsonPropertyName("revision")] int Revision,
    [property: JsonPropertyName("schemaVersion")] string SchemaVersion,
    [property: JsonPropertyName("normalizedBlob")] string NormalizedBlob,
    [property: JsonPropertyName("generation")] long Generation,
    [property: JsonPropertyName("producedAt")] DateTimeOffset? ProducedAt = null,
    [property: JsonPropertyName("receivedAt")] DateTimeOffset? ReceivedAt = null);

/// <summary>Every accepted feed of one calendar year; <see cref="Generation"/> grows with each new feed.</summary>
public sealed record LedgerDocument(
    [property: JsonPropertyName("year")] int Year,
    [property: JsonPropertyName("generation")] long Generation,
    [property: JsonPropertyName("entries")] IReadOnlyList<LedgerEntry> Entries);

/// <summary>
/// The period ledger: per calendar year an append-only log of accepted feeds, one block per feed, whose block count is
/// the feed's generation, so recording is one call that never retries against other writers (a whole-year document
/// rewritten per feed made a 5,000-feed backlog quadratic). Segment k numbers from k × 50,000, keeping generations
/// ordered across segments; a year an older build wrote as <c>{year}.json</c> is read first. A retried append can
/// appear twice: the first one counts.
/// </summary>
public sealed class PeriodLedger(BlobServiceClient blobs, long segmentBytes = PeriodLedger.SegmentBytes,
    int readRangeBytes = PeriodLedger.ReadRangeBytes)
{
    // One read of a log asks for at most this much: under a 5,000-feed burst the emulator ended a single 850 KB
    // answer early ("response ended prematurely") and three builds failed; bounded ranges are also what a real
    // account streams best. 256 KiB holds about 800 entries.
    public const int ReadRangeBytes = 256 * 1024;

    /// <summary>Well below an append blob's 195 GB; a year's log of ~300-byte lines reaches the block cap first.</summary>
    public const long SegmentBytes = 64L * 1024 * 1024;

    /// <summary>The service's cap on blocks in one append blob, and so the generation span of a segment.</summary>
    public const long SegmentSpan = 50_000;

    // Per year: the older build's generation (fixed once this build writes) and the newest segment seen.
    // One entry per line: each append block is one line, so lines and generations match.
    private static readonly JsonSerializerOptions OneLine = new(HubJson.Options) { WriteIndented = false };

    private readonly ConcurrentDictionary<int, LedgerDocument> legacyDocuments = new();
    private readonly ConcurrentDictionary<int, int> currentSegments = new();

    // What this instance has read of each segment: a log only grows, so a later read asks for the bytes after these.
    private readonly ConcurrentDictionary<(int Year, int Segment), SegmentPrefix> prefixes = new();

    private sealed record SegmentPrefix(long Length, IReadOnlyList<LedgerEntry> Lines);

    private BlobContainerClient Container => blobs.GetBlobContainerClient(HubContainers.Ledger);

    public static string SegmentName(int year, int segment) => string.Create(CultureInfo.InvariantCulture, $"log/{year}/{segment:D4}.jsonl");

    /// <summary>Adds the feed; returns the entry as recorded, with its generation.</summary>
    public async Task<LedgerEntry> RecordAsync(int year, LedgerEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var offset = (await LegacyAsync(year, cancellationToken).ConfigureAwait(false)).Generation;
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry with { Generation = 0 }, OneLine) + "\n");
        var segment = currentSegments.GetValueOrDefault(year);
        while (true)
        {
            var log = Container.GetAppendBlobClient(SegmentName(year, segment));
            try
            {
                using var content = new MemoryStream(line, writable: false);
                var appended = await log.AppendBlockAsync(content, new AppendBlobAppendBlockOptions
                {
                    Conditions = new AppendBlobRequestConditions { IfMaxSizeLessThanOrEqual = segmentBytes },
                }, cancellationToken).ConfigureAwait(false);
                currentSegments.AddOrUpdate(year, segment, (_, seen) => Math.Max(seen, segment));
                return entry with { Generation = offset + (segment * SegmentSpan) + appended.Value.BlobCommittedBlockCount };
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == "BlobNotFound")
            {
                // The year's first feed (or a segment just opened): create the log and append again.
                await log.CreateIfNotExistsAsync(new AppendBlobCreateOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/x-ndjson" } },
                    cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.ErrorCode is "MaxBlobSizeConditionNotMet" or "BlockCountExceedsLimit")
            {
                segment++;
            }
        }
    }

    public async Task<LedgerDocument> ReadAsync(int year, CancellationToken cancellationToken) =>
        await ReadAsync(year, (await ListSegmentsAsync(year, cancellationToken).ConfigureAwait(false))
            .Select(s => (s, (long?)null)), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Every year from <paramref name="fromYear"/> on, ascending, from one listing of the logs with their lengths: a
    /// segment no longer than what this instance has read is not asked for again, so a second reader of the same years
    /// (the supply route, then the late-feed check) reads only what was appended between them.
    /// </summary>
    public async Task<IReadOnlyList<LedgerDocument>> ReadYearsAsync(int fromYear, CancellationToken cancellationToken)
    {
        var logs = new List<(int Year, int Segment, long Length)>();
        var years = new SortedSet<int>();
        try
        {
            var listing = Container.GetBlobsAsync(new GetBlobsOptions { Prefix = "log/" }, cancellationToken);
            await foreach (var item in listing.ConfigureAwait(false))
            {
                if (TryLog(item.Name, out var year, out var segment))
                {
                    logs.Add((year, segment, item.Properties.ContentLength ?? 0));
                    years.Add(year);
                }
            }

            // An older build's year documents sit at the root: one level, not the claims and records in the folders.
            var root = Container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", null, cancellationToken);
            await foreach (var item in root.ConfigureAwait(false))
            {
                if (item.IsBlob && item.Blob.Name.Length == 9 && item.Blob.Name.EndsWith(".json", StringComparison.Ordinal)
                    && TryYear(item.Blob.Name.AsSpan(0, 4), out var legacy))
                {
                    years.Add(legacy);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return []; // No container yet means no ledger yet.
        }

        var documents = new List<LedgerDocument>();
        foreach (var year in years.Where(y => y >= fromYear))
        {
            var segments = logs.Where(l => l.Year == year).OrderBy(l => l.Segment).Select(l => (l.Segment, (long?)l.Length));
            documents.Add(await ReadAsync(year, segments, cancellationToken).ConfigureAwait(false));
        }

        return documents;
    }

    private async Task<LedgerDocument> ReadAsync(
        int year, IEnumerable<(int Segment, long? Length)> segments, CancellationToken cancellationToken)
    {
        var legacy = await LegacyAsync(year, cancellationToken).ConfigureAwait(false);
        var offset = legacy.Generation;
        var entries = new List<LedgerEntry>(legacy.Entries);
        var seen = entries.Select(e => e.FeedId).ToHashSet(StringComparer.Ordinal);
        var generation = offset;
        foreach (var (segment, listedLength) in segments)
        {
            var lines = await ReadSegmentAsync(year, segment, listedLength, cancellationToken).ConfigureAwait(false);
            for (var index = 0; index < lines.Count; index++)
            {
                generation = offset + (segment * SegmentSpan) + index + 1;
                if (seen.Add(lines[index].FeedId))
                {
                    entries.Add(lines[index] with { Generation = generation });
                }
            }
        }

        return new LedgerDocument(year, generation, entries);
    }

    // The segment's lines, reading only the bytes appended since this instance last read it (the emulator reads an
    // append blob block by block, so reading a year of thousands of feeds whole for every build was most of its
    // cost), in ranges of at most readRangeBytes. A range may end inside a line: that line is read again with the
    // next range, so only whole lines (each append block is one) are ever parsed or remembered.
    // A listed length no longer than what was read (partial lines excluded) means nothing new: no request at all.
    private async Task<IReadOnlyList<LedgerEntry>> ReadSegmentAsync(
        int year, int segment, long? listedLength, CancellationToken cancellationToken)
    {
        var known = prefixes.GetValueOrDefault((year, segment)) ?? new SegmentPrefix(0, []);
        if (listedLength is { } listed && listed <= known.Length)
        {
            return known.Lines;
        }

        var blob = Container.GetBlobClient(SegmentName(year, segment));
        var lines = new List<LedgerEntry>(known.Lines);
        var length = known.Length;
        var range = readRangeBytes;
        while (true)
        {
            ReadOnlyMemory<byte> bytes;
            try
            {
                bytes = (await blob.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(length, range) },
                    cancellationToken).ConfigureAwait(false)).Value.Content.ToMemory();
            }
            catch (RequestFailedException ex) when (ex.Status == 416)
            {
                break; // Nothing after `length`.
            }

            var whole = bytes.Span.LastIndexOf((byte)'\n') + 1;
            if (whole == 0 && bytes.Length == range)
            {
                range *= 2; // One line longer than the range: ask for more rather than fail.
                continue;
            }

            foreach (var line in Encoding.UTF8.GetString(bytes.Span[..whole]).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                lines.Add(JsonSerializer.Deserialize<LedgerEntry>(line, HubJson.Options)
                    ?? throw new InvalidDataException($"Ledger {year} segment {segment} line {lines.Count + 1} is empty."));
            }

            length += whole;
            if (bytes.Length < range)
            {
                break; // The end of the log as it stood when this range was read.
            }

            range = readRangeBytes;
        }

        var read = new SegmentPrefix(length, lines);
        prefixes.AddOrUpdate((year, segment), read, (_, other) => other.Length >= read.Length ? other : read);
        return read.Lines;
    }

    /// <summary>The year's newest generation without reading its entries: the newest segment's block count.</summary>
    public async Task<long> ReadGenerationAsync(int year, CancellationToken cancellationToken)
    {
        var offset = (await LegacyAsync(year, cancellationToken).ConfigureAwait(false)).Generation;
        var segments = await ListSegmentsAsync(year, cancellationToken).ConfigureAwait(false);
        if (segments.Count == 0)
        {
            return offset;
        }

        var newest = segments[^1];
        var properties = await Container.GetBlobClient(SegmentName(year,
            newest)).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return offset + (newest * SegmentSpan) + properties.Value.BlobCommittedBlockCount;
    }

    // log/{year}/{segment}.jsonl
    private static bool TryLog(string name, out int year, out int segment)
    {
        year = segment = 0;
        return name.Length > 15 && name.StartsWith("log/", StringComparison.Ordinal) && name[8] == '/'
            && name.EndsWith(".jsonl", StringComparison.Ordinal) && TryYear(name.AsSpan(4, 4), out year)
            && int.TryParse(name.AsSpan(9, name.Length - 15), NumberStyles.None, CultureInfo.InvariantCulture, out segment);
    }

    private static bool TryYear(ReadOnlySpan<char> text, out int year) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out year);

    private async Task<IReadOnlyList<int>> ListSegmentsAsync(int year, CancellationToken cancellationToken)
    {
        var segments = new List<int>();
        var prefix = string.Create(CultureInfo.InvariantCulture, $"log/{year}/");
        try
        {
            await foreach (var item in Container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).ConfigureAwait(false))
            {
                if (item.Name.EndsWith(".jsonl", StringComparison.Ordinal)
                    && int.TryParse(item.Name.AsSpan(prefix.Length, item.Name.Length - prefix.Length - 6),
                        NumberStyles.None, CultureInfo.InvariantCulture, out var segment))
                {
                    segments.Add(segment);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No container yet.
        }

        segments.Sort();
        return segments;
    }

    // An older build's year document (empty if none): this build only reads it, so each instance reads it once.
    private async Task<LedgerDocument> LegacyAsync(int year, CancellationToken cancellationToken)
    {
        if (legacyDocuments.TryGetValue(year, out var known))
        {
            return known;
        }

        var (legacy, _) = await ConditionalJsonBlob.ReadAsync<LedgerDocument>(LegacyBlob(year), cancellationToken).ConfigureAwait(false);
        return legacyDocuments.GetOrAdd(year, legacy ?? new LedgerDocument(year, 0, []));
    }

    private BlobClient LegacyBlob(int year) => Container.GetBlobClient(string.Create(CultureInfo.InvariantCulture, $"{year}.json"));
}
