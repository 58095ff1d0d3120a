using System.Globalization;
using IntegrationHub.Core.Feeds;

namespace IntegrationHub.Core.Normalisation;

/// <summary>
/// The feed schema major versions the data set is mapped from, per source. Minor versions of a major only add optional
/// fields (the schema evolution gate proves it), so <see cref="MeasureCatalog.Flatten"/> reads every minor of a listed
/// major. A new major may rename, remove or re-mean fields: it becomes data only once the normaliser has learnt it and
/// it is listed here; the gate refuses a feed schema whose major is not listed.
/// </summary>
public static class DatasetFeedMapping
{
    // Feeds 1.x (contract 2.0) into data set 2.0: fields as the contract's tables name them.
    private static readonly Dictionary<string, int[]> Majors = new(StringComparer.Ordinal)
    {
        [FeedSource.Statistics] = [1],
        [FeedSource.PowerGrid] = [1],
        [FeedSource.Transport] = [1],
        [FeedSource.Environment] = [1],
    };

    /// <summary>The majors of a source's feed schema the data set is mapped from; none for an unknown source.</summary>
    public static IReadOnlyList<int> MajorsOf(string source) => Majors.TryGetValue(source, out var majors) ? majors : [];

    public static bool Maps(string source, int major) => MajorsOf(source).Contains(major);

    /// <summary>Whether a feed schema version (MAJOR.MINOR) of a source is mapped to the data set.</summary>
    public static bool Maps(string source, string schemaVersion)
    {
        var dot = schemaVersion.IndexOf('.', StringComparison.Ordinal);
        return int.TryParse(dot < 0 ? schemaVersion : schemaVersion[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            && Maps(source, major);
    }
}
