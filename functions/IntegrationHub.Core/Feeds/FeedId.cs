using System.Globalization;
using System.Security.Cryptography;

namespace IntegrationHub.Core.Feeds;

/// <summary>
/// Feed ids are derived from the feed's identity and the hash of its exact bytes, so the same feed pushed twice,
/// or pulled again, gets the same id and cannot start a second run.
/// </summary>
public static class FeedId
{
    public static string ContentHash(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    public static string Create(string source, string period, int revision, string contentHash) =>
        string.Create(CultureInfo.InvariantCulture, $"{source}-{period}-r{revision}-{contentHash[..16]}");

    /// <summary>An id for bytes that could not be read as a feed at all (kept in quarantine all the same).</summary>
    public static string CreateUnreadable(string? source, string contentHash) =>
        $"{(FeedSource.IsKnown(source) ? source : "unknown")}-unreadable-{contentHash[..16]}";

    /// <summary>The known source an id starts with; null for an id no source made.</summary>
    public static string? SourceOf(string feedId)
    {
        ArgumentNullException.ThrowIfNull(feedId);
        return FeedSource.All.FirstOrDefault(s => feedId.StartsWith(s + "-", StringComparison.Ordinal));
    }

    /// <summary>
    /// Where a department follows a feed: <c>/api/feeds/{source}/{feedId}</c>. The source is a path segment of its own
    /// so the route's two parameters each mean one thing (the push is <c>/api/feeds/{source}</c>).
    /// </summary>
    public static string StatusUrl(string source, string feedId)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(feedId);
        return $"/api/feeds/{Uri.EscapeDataString(source)}/{Uri.EscapeDataString(feedId)}";
    }

    /// <summary>The first 16 hex digits of the content hash an id made by <see cref="Create"/> ends with.</summary>
    public static string HashPrefixOf(string feedId)
    {
        ArgumentNullException.ThrowIfNull(feedId);
        return feedId[(feedId.LastIndexOf('-') + 1)..];
    }

    /// <summary>
    /// Whether two ids made by <see cref="Create"/> are of the same source and period (any revision or content). The
    /// hash is hex, so the last "-r" of an id starts its revision.
    /// </summary>
    public static bool SameSourceAndPeriod(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var cutA = a.LastIndexOf("-r", StringComparison.Ordinal);
        var cutB = b.LastIndexOf("-r", StringComparison.Ordinal);
        return cutA > 0 && cutA == cutB && string.CompareOrdinal(a, 0, b, 0, cutA) == 0;
    }
}
