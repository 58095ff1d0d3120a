using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using IntegrationHub.Core.Datasets;

namespace IntegrationHub.Functions.Datasets;

/// <summary>One row of <c>GET /api/datasets</c>: a period with a published data set.</summary>
/// <param name="Kind"><c>quarter</c> or <c>year</c>.</param>
/// <param name="Url">The immutable URL of <paramref name="LatestVersion"/>, so a dashboard that follows it gets a response it may cache for good.</param>
public sealed record PublishedPeriod(
    [property: JsonPropertyName("period")] string Period,
    [property: JsonPropertyName("kind"), AllowedValues("quarter", "year")] string Kind,
    [property: JsonPropertyName("latestVersion"), Description("The current version.")] int LatestVersion,
    [property: JsonPropertyName("url"), Description("The current version's immutable URL.")] string Url);

/// <summary><c>GET /api/datasets/{period}/versions</c>: the published versions of a period, ascending.</summary>
public sealed record PublishedVersions(
    [property: JsonPropertyName("period")] string Period,
    [property: JsonPropertyName("latestVersion")] int LatestVersion,
    [property: JsonPropertyName("versions")] IReadOnlyList<PublishedVersion> Versions);

public sealed record PublishedVersion(
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("url")] string Url);

/// <summary>
/// <c>GET /api/datasets/{period}/diff?from=&amp;to=</c>: the figures that differ between two versions (<c>old</c> from
/// <paramref name="From"/>, <c>new</c> from <paramref name="To"/>) and the feed ids <paramref name="To"/> uses that
/// <paramref name="From"/> does not.
/// </summary>
public sealed record VersionComparison(
    [property: JsonPropertyName("period")] string Period,
    [property: JsonPropertyName("from")] int From,
    [property: JsonPropertyName("to")] int To,
    [property: JsonPropertyName("changedIndicators")] IReadOnlyList<IndicatorChange> ChangedIndicators,
    [property: JsonPropertyName("changedInputs")] IReadOnlyList<string> ChangedInputs);

/// <summary>
/// <c>GET /api/areas</c>: the areas a data set can hold, from the reference data, in its order (the New Area, its units
/// under their parents, then the overlay parks), so a dashboard names an area without a list of its own.
/// </summary>
public sealed record AreaDirectory(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("areas")] IReadOnlyList<AreaName> Areas);

/// <summary>One area: its code (the data set's <c>areaCode</c>), its names and where it sits.</summary>
/// <param name="Overlay">True for a park, whose figures overlap the units it lies in rather than adding to a parent.</param>
public sealed record AreaName(
    [property: JsonPropertyName("code"), Description("The area code used in data sets: an NBS division code, or `XJNA`, `WCM`, `PARK_…`.")] string Code,
    [property: JsonPropertyName("nameZh")] string NameZh,
    [property: JsonPropertyName("nameEn")] string NameEn,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("parent"), Description("The code of the area it adds up into; null for the New Area and the parks.")] string? Parent,
    [property: JsonPropertyName("overlay"), Description("True for a park: its figures overlap the units it lies in.")] bool Overlay);

/// <summary>What a query answers: JSON to send, or a reason to refuse (turned into a problem response).</summary>
public abstract record DatasetAnswer
{
    private DatasetAnswer()
    {
    }

    /// <param name="Json">The exact response body.</param>
    /// <param name="ETag">Strong entity tag, quoted, derived from <paramref name="Json"/>.</param>
    /// <param name="Immutable">True when the body can never change (a version, or a diff of two versions).</param>
    public sealed record Found(byte[] Json, string ETag, bool Immutable) : DatasetAnswer;

    /// <param name="Parameter">The request parameter at fault (route or query name), when one is.</param>
    public sealed record Refused(int Status, string Title, string Detail, string? Parameter) : DatasetAnswer;
}
