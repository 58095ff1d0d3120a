using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IntegrationHub.Core;
using IntegrationHub.Functions.Storage;

namespace IntegrationHub.Functions.Audit;

/// <summary>
/// Which audit entries to read: each set empty means any; <see cref="TargetPrefix"/> matches the start of the target.
/// </summary>
public sealed record AuditFilter(
    IReadOnlySet<string> Actors, IReadOnlySet<string> Actions, IReadOnlySet<string> Outcomes, string? TargetPrefix, DateTimeOffset? From, DateTimeOffset? To)
{
    public static readonly AuditFilter None = new(
        new HashSet<string>(), new HashSet<string>(), new HashSet<string>(), null, null, null);

    public bool Matches(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return (Actors.Count == 0 || Actors.Contains(entry.Actor))
            && (Actions.Count == 0 || Actions.Contains(entry.Action))
            && (Outcomes.Count == 0 || Outcomes.Contains(entry.Outcome))
            && (TargetPrefix is null || entry.Target.StartsWith(TargetPrefix, StringComparison.Ordinal))
            && (From is null || entry.At >= From)
            && (To is null || entry.At <= To);
    }
}

/// <summary>
/// Where an audit read stopped: in this blob, everything before byte <see cref="End"/> is still to be read.
/// </summary>
public sealed record AuditPosition(string Blob, long End)
{
    public string ToToken() => PageToken.Encode("a1", End.ToString(CultureInfo.InvariantCulture), Blob);

    public static bool TryParse(string token, out AuditPosition? position)
    {
        position = PageToken.Decode(token, "a1") is (var end, var blob)
            && long.TryParse(end, NumberStyles.None, CultureInfo.InvariantCulture, out var at) && AuditReader.PartOf(blob) is not null
            ? new AuditPosition(blob, at)
            : null;
        return position is not null;
    }
}

/// <summary>
/// Reads the audit log newest first, a page at a time, without holding a month in memory: each blob backwards in
/// ranges of <see cref="ChunkBytes"/>, at most <see cref="BytesPerAnswer"/> an answer (then a token to go on).
/// </summary>
public sealed partial class AuditReader(BlobServiceClient blobs)
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 1000;
    public const int ChunkBytes = 256 * 1024;
    public const long MaxBytesPerAnswer = 16L * 1024 * 1024;

    // An append block holds at most 4 MiB, so no line is longer.
    private const int MaxLineBytes = 4 * 1024 * 1024;

    // An entry is stamped before it is appended; reading stops this far (more than that gap) before `from`.
    private static readonly TimeSpan AppendLag = TimeSpan.FromMinutes(5);

    private static readonly JsonSerializerOptions LineOptions = new(HubJson.Options) { WriteIndented = false };

    /// <summary>How much of the log one answer reads at most; tests make it smaller.</summary>
    public long BytesPerAnswer { get; init; } = MaxBytesPerAnswer;

    /// <summary>
    /// The month and part of an audit blob name (<c>2025/01.jsonl</c>, <c>2025/01-2.jsonl</c>); null for others.
    /// </summary>
    public static (string Month, int Part)? PartOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var match = BlobName().Match(name);
        if (!match.Success)
        {
            return null;
        }

        var part = match.Groups["part"].Success ? int.Parse(match.Groups["part"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture) : 1;
        return (match.Groups["month"].Value, part);
    }

    public async Task<AuditLogPage> ReadAsync(AuditFilter filter, int limit, AuditPosition? after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var container = blobs.GetBlobContainerClient(HubContainers.Audit);
        var lastMonth = filter.To is { } to ? Month(to) : null;
        var firstMonth = filter.From is { } from ? Month(from - AppendLag) : null;
        var parts = new List<(string Name, string Month, int Part, long Length)>();
        try
        {
            await foreach (var item in container.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (PartOf(item.Name) is { } p
                    && (lastMonth is null || string.CompareOrdinal(p.Month, lastMonth) <= 0)
                    && (firstMonth is null || string.CompareOrdinal(p.Month, firstMonth) >= 0))
                {
                    parts.Add((item.Name, p.Month, p.Part, item.Properties.ContentLength ?? 0));
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return new AuditLogPage([]);
        }

        // Newest first: months down, and within a month its later parts (which fill after the earlier ones) first.
        parts.Sort((a, b) => a.Month != b.Month ? string.CompareOrdinal(b.Month, a.Month) : b.Part.CompareTo(a.Part));
        if (after is not null)
        {
            var (month, part) = PartOf(after.Blob)!.Value;
            parts.RemoveAll(p => string.CompareOrdinal(p.Month, month) > 0 || (p.Month == month && p.Part > part));
        }

        var entries = new List<AuditEntry>();
        long read = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            var (name, _, _, length) = parts[i];
            var blob = container.GetBlobClient(name);
            var end = after is not null && after.Blob == name ? Math.Min(after.End, length) : length;
            var chunk = ChunkBytes;
            while (end > 0)
            {
                if (read >= BytesPerAnswer)
                {
                    return new AuditLogPage(entries, new AuditPosition(name, end).ToToken());
                }

                var start = Math.Max(0, end - chunk);
                var data = (await blob.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(start, end - start) },
                    cancellationToken).ConfigureAwait(false))
                    .Value.Content.ToMemory();
                read += data.Length;
                var first = 0;
                if (start > 0)
                {
                    // The chunk begins inside a line: that line is read with the next chunk back.
                    var newline = data.Span.IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        chunk = Math.Min(chunk * 2, MaxLineBytes * 2);
                        if (end - start >= MaxLineBytes * 2)
                        {
                            end = start; // not the hub's line: skip it
                        }

                        continue;
                    }

                    first = newline + 1;
                }

                foreach (var (offset, line) in LinesBackwards(data[first..]))
                {
                    var lineStart = start + first + offset;
                    if (Parse(line.Span) is not { } entry)
                    {
                        continue;
                    }

                    if (filter.From is { } earliest && entry.At < earliest - AppendLag)
                    {
                        return new AuditLogPage(entries);
                    }

                    if (filter.Matches(entry))
                    {
                        entries.Add(entry);
                        if (entries.Count >= limit)
                        {
                            var more = lineStart > 0 || i + 1 < parts.Count;
                            return new AuditLogPage(entries, more ? new AuditPosition(name, lineStart).ToToken() : null);
                        }
                    }
                }

                end = start + first;
                chunk = ChunkBytes;
            }
        }

        return new AuditLogPage(entries);
    }

    // Last line first, each with its offset in the run.
    private static IEnumerable<(int Offset, ReadOnlyMemory<byte> Line)> LinesBackwards(ReadOnlyMemory<byte> run)
    {
        var end = run.Length;
        while (end > 0)
        {
            var lineEnd = run.Span[end - 1] == (byte)'\n' ? end - 1 : end;
            var newline = run.Span[..lineEnd].LastIndexOf((byte)'\n');
            var lineStart = newline + 1;
            yield return (lineStart, run[lineStart..lineEnd]);
            end = lineStart;
        }
    }

    private static AuditEntry? Parse(ReadOnlySpan<byte> line)
    {
        if (line.Trim((byte)'\r').IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<AuditEntry>(line, LineOptions);
        }
        catch (JsonException)
        {
            // A line the hub did not write whole: the others still read.
            return null;
        }
    }

    private static string Month(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy/MM", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<month>\d{4}/\d{2})(-(?<part>[1-9]\d{0,3}))?\.jsonl$", RegexOptions.CultureInvariant)]
    private static partial Regex BlobName();
}
