using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using IntegrationHub.Core;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Reference;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Storage;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.Functions.Datasets;

/// <summary>
/// The dashboards' reads of published data sets. A version counts as published once the period's pointer has
/// reached it: a version written by a consolidation whose pointer move has not happened (or lost a race) is
/// neither listed nor served, so nothing is visible before its <c>dataset-published</c> event could be.
/// </summary>
public sealed class DatasetQueries(DatasetStore store, ReferenceData reference)
{
    public const string PeriodParameter = "period";
    public const string VersionParameter = "n";
    public const string KindParameter = "kind";
    public const string FromParameter = "from";
    public const string ToParameter = "to";

    public const string ListUrl = "/api/datasets";

    // Reference data is embedded in the build: serialise and hash it once.
    private readonly Lazy<DatasetAnswer> areas = new(() => Json(
        new AreaDirectory(reference.Areas.Version,
            [.. reference.Areas.Areas.Select(a => new AreaName(a.Code, a.NameZh, a.NameEn, a.Kind, a.Parent, a.Overlay))]),
        immutable: false));

    public static string PeriodUrl(string period) => $"{ListUrl}/{period}";

    /// <summary>The <c>area</c> and <c>indicator</c> parameters of a data-set read (see <see cref="DatasetFilter"/>).</summary>
    public bool TryParseFilter(IQueryCollection query, [NotNullWhen(true)] out DatasetFilter? filter,
        [NotNullWhen(false)] out DatasetAnswer.Refused? refusal) =>
        DatasetFilter.TryParse(query[DatasetFilter.AreaParameter], query[DatasetFilter.IndicatorParameter], reference, out filter, out refusal);

    /// <summary>The reference data's areas with their names (<see cref="AreaDirectory"/>); fixed while the app runs.</summary>
    public DatasetAnswer Areas() => areas.Value;

    public static string VersionUrl(string period, int version) => string.Create(CultureInfo.InvariantCulture, $"{ListUrl}/{period}/versions/{version}");

    /// <summary>Every period with a published data set, in period order (<see cref="Period.CompareTo"/>: by first
    /// month, a year before its first quarter).</summary>
    public async Task<DatasetAnswer> ListAsync(CancellationToken cancellationToken)
    {
        var periods = (await store.ListPeriodsAsync(cancellationToken).ConfigureAwait(false))
            .Select(name => Period.TryParse(name, out var p) ? p : (Period?)null)
            .OfType<Period>()
            .Order()
            .ToArray();
        var pointers = await Task.WhenAll(periods.Select(p => store.GetPointerAsync(p.ToString(), cancellationToken))).ConfigureAwait(false);
        var rows = periods
            .Zip(pointers)
            .Where(x => x.Second is not null)
            .Select(x => new PublishedPeriod(x.First.ToString(), KindName(x.First.Kind),
                x.Second!.Value.Pointer.Version, VersionUrl(x.First.ToString(), x.Second!.Value.Pointer.Version)))
            .ToArray();
        return Json(rows, immutable: false);
    }

    /// <summary>
    /// The current version of the most recent period: the one whose last day is latest. A year and its fourth quarter
    /// end on the same day; the year wins then, because it is the fuller picture (and the one the plan's targets are
    /// set for). <paramref name="kind"/> (<c>quarter</c> or <c>year</c>) narrows the choice to that kind.
    /// </summary>
    public async Task<DatasetAnswer> LatestAsync(string? kind, DatasetFilter filter, CancellationToken cancellationToken)
    {
        PeriodKind? only;
        switch (kind)
        {
            case null or "":
                only = null;
                break;
            case "quarter":
                only = PeriodKind.Quarter;
                break;
            case "year":
                only = PeriodKind.Year;
                break;
            default:
                return BadParameter(KindParameter, $"'{kind}' is not a period kind; use '{KindParameter}=quarter' or '{KindParameter}=year'.");
        }

        var periods = (await store.ListPeriodsAsync(cancellationToken).ConfigureAwait(false))
            .Select(name => Period.TryParse(name, out var p) ? p : (Period?)null)
            .OfType<Period>();
        if (SelectLatest(periods, only) is not { } latest
            || await store.GetLatestAsync(latest.ToString(), cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return NotFound("No data set", only is null ? "No data set has been published yet." : $"No {kind} data set has been published yet.");
        }

        return Render(stored, filter, immutable: false);
    }

    /// <summary>The rule of <see cref="LatestAsync"/>: latest last day, then a year before a quarter before a month; null when there is none.</summary>
    public static Period? SelectLatest(IEnumerable<Period> periods, PeriodKind? kind) =>
        periods
            .Where(p => kind is null || p.Kind == kind)
            .OrderByDescending(p => p.LastDay)
            .ThenByDescending(p => KindRank(p.Kind))
            .Select(p => (Period?)p)
            .FirstOrDefault();

    /// <summary>The period's current version.</summary>
    public async Task<DatasetAnswer> PeriodAsync(string period, DatasetFilter filter, CancellationToken cancellationToken)
    {
        if (ParsePeriod(period) is not { } key)
        {
            return BadPeriod(period);
        }

        return await store.GetLatestAsync(key, cancellationToken).ConfigureAwait(false) is { } stored
            ? Render(stored, filter, immutable: false)
            : UnknownPeriod(key);
    }

    /// <summary>One published version, byte for byte as stored when unfiltered.</summary>
    public async Task<DatasetAnswer> VersionAsync(string period, int version, DatasetFilter filter, CancellationToken cancellationToken)
    {
        if (ParsePeriod(period) is not { } key)
        {
            return BadPeriod(period);
        }

        if (version < 1)
        {
            return BadParameter(VersionParameter, "Versions are numbered from 1.");
        }

        var (stored, refusal) = await ReadPublishedAsync(key, version, cancellationToken).ConfigureAwait(false);
        return stored is null ? refusal! : Render(stored, filter, immutable: true);
    }

    /// <summary>The published version numbers of a period, ascending.</summary>
    public async Task<DatasetAnswer> VersionsAsync(string period, CancellationToken cancellationToken)
    {
        if (ParsePeriod(period) is not { } key)
        {
            return BadPeriod(period);
        }

        if (await store.GetPointerAsync(key, cancellationToken).ConfigureAwait(false) is not { } pointer)
        {
            return UnknownPeriod(key);
        }

        var latest = pointer.Pointer.Version;
        var versions = (await store.ListVersionsAsync(key, cancellationToken).ConfigureAwait(false))
            .Where(v => v >= 1 && v <= latest)
            .Select(v => new PublishedVersion(v, VersionUrl(key, v)))
            .ToArray();
        return Json(new PublishedVersions(key, latest, versions), immutable: false);
    }

    /// <summary>
    /// What changed from version <paramref name="from"/> to version <paramref name="to"/>. Both are required positive
    /// integers and must differ (the same version twice is almost certainly a client bug, and its answer is empty);
    /// <paramref name="from"/> may be the later one: the comparison is then read backwards (<c>old</c> is always
    /// <paramref name="from"/>'s value). Both versions being immutable, so is the answer.
    /// </summary>
    public async Task<DatasetAnswer> DiffAsync(string period, string? from, string? to, CancellationToken cancellationToken)
    {
        if (ParsePeriod(period) is not { } key)
        {
            return BadPeriod(period);
        }

        if (ParseVersion(from) is not { } fromVersion)
        {
            return BadParameter(FromParameter, $"'{FromParameter}' is required: the version number (a positive integer) to compare from.");
        }

        if (ParseVersion(to) is not { } toVersion)
        {
            return BadParameter(ToParameter, $"'{ToParameter}' is required: the version number (a positive integer) to compare to.");
        }

        if (fromVersion == toVersion)
        {
            return BadParameter(ToParameter, $"'{FromParameter}' and '{ToParameter}' are the same version; give two different versions.");
        }

        var (older, olderRefusal) = await ReadPublishedAsync(key, fromVersion, cancellationToken).ConfigureAwait(false);
        if (older is null)
        {
            return olderRefusal!;
        }

        var (newer, newerRefusal) = await ReadPublishedAsync(key, toVersion, cancellationToken).ConfigureAwait(false);
        if (newer is null)
        {
            return newerRefusal!;
        }

        var (a, b) = (older.ToDocument(), newer.ToDocument());
        var before = a.Inputs.Select(i => i.FeedId).ToHashSet(StringComparer.Ordinal);
        var comparison = new VersionComparison(key, fromVersion, toVersion, DatasetDiff.Compare(a, b),
            [.. b.Inputs.Select(i => i.FeedId).Where(id => !before.Contains(id)).Distinct(StringComparer.Ordinal)]);
        return Json(comparison, immutable: true);
    }

    internal static DatasetAnswer.Refused BadParameter(string parameter, string detail) =>
        new(StatusCodes.Status400BadRequest, $"Invalid parameter '{parameter}'", detail, parameter);

    private async Task<(StoredDataset? Stored, DatasetAnswer.Refused? Refusal)> ReadPublishedAsync(string period,
        int version, CancellationToken cancellationToken)
    {
        if (await store.GetPointerAsync(period, cancellationToken).ConfigureAwait(false) is not { } pointer)
        {
            return (null, UnknownPeriod(period));
        }

        var stored = version <= pointer.Pointer.Version ? await store.GetVersionAsync(period, version, cancellationToken).ConfigureAwait(false) : null;
        return stored is null
            ? (null, NotFound("Unknown version", string.Create(CultureInfo.InvariantCulture,
                $"{period} has no published version {version}; its latest is {pointer.Pointer.Version} (see {PeriodUrl(period)}/versions).")))
            : (stored, null);
    }

    private static DatasetAnswer.Found Render(StoredDataset stored, DatasetFilter filter, bool immutable)
    {
        if (filter.IsEmpty)
        {
            // The stored sha256 identifies exactly these bytes: no need to hash them again.
            return new DatasetAnswer.Found(stored.Content.ToArray(), HttpCaching.Quoted(stored.Sha256), immutable);
        }

        return Found(DatasetStore.Serialise(filter.Apply(stored.ToDocument())), immutable);
    }

    private static DatasetAnswer.Found Json<T>(T value, bool immutable) => Found(JsonSerializer.SerializeToUtf8Bytes(value, HubJson.Options), immutable);

    private static DatasetAnswer.Found Found(byte[] json, bool immutable) => new(json, HttpCaching.ETagOf(json), immutable);

    private static string? ParsePeriod(string period) => Period.TryParse(period, out var parsed) ? parsed.ToString() : null;

    private static int? ParseVersion(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version >= 1 ? version : null;

    private static DatasetAnswer.Refused BadPeriod(string period) =>
        BadParameter(PeriodParameter, $"'{period}' is not a period; use YYYY for a year or YYYY-Qn for a quarter (e.g. 2024 or 2024-Q4).");

    private static DatasetAnswer.Refused UnknownPeriod(string period) =>
        NotFound("Unknown period", $"No data set has been published for {period}; {ListUrl} lists the periods that have one.");

    private static DatasetAnswer.Refused NotFound(string title, string detail) => new(StatusCodes.Status404NotFound, title, detail, null);

    private static string KindName(PeriodKind kind) => kind switch
    {
        PeriodKind.Year => "year",
        PeriodKind.Quarter => "quarter",
        _ => "month",
    };

    private static int KindRank(PeriodKind kind) => kind switch
    {
        PeriodKind.Year => 2,
        PeriodKind.Quarter => 1,
        _ => 0,
    };
}
