using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Core.Parsing;

/// <summary>Limits applied to every feed before it is parsed (settings section <c>Intake</c>).</summary>
public sealed class IntakeLimits
{
    public const string SectionName = "Intake";

    /// <summary>Largest accepted body in bytes (default 8 MiB: 5,000 records of the largest feed family fit in about 3 MiB).</summary>
    [Range(1024, 256L * 1024 * 1024)]
    public long MaxFeedBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>Deepest accepted nesting (the contract's deepest path is 5 levels; 64 leaves room and stops stack abuse).</summary>
    [Range(8, 256)]
    public int MaxDepth { get; set; } = 64;

    /// <summary>
    /// Most JSON values a feed may hold, derived from <see cref="MaxFeedBytes"/>: a body of two-byte values would cost
    /// minutes of schema evaluation, while a contract feed (at least ~16 bytes a value) that fits the byte limit stays
    /// below this one.
    /// </summary>
    public long MaxValues => Math.Max(1024, MaxFeedBytes / 12);
}
