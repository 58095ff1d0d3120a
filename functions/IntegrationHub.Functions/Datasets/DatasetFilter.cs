using System.Diagnostics.CodeAnalysis;
using IntegrationHub.Core.Consolidation;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Reference;

namespace IntegrationHub.Functions.Datasets;

/// <summary>
/// The optional <c>area</c> and <c>indicator</c> narrowing of a data-set read. A filtered document keeps the data set's
/// shape: areas, their indicators, targets and <c>diff.changedIndicators</c> are narrowed; everything else stays as
/// computed for the whole data set (README, "HTTP API").
/// </summary>
public sealed class DatasetFilter
{
    public const string AreaParameter = "area";
    public const string IndicatorParameter = "indicator";

    public static readonly DatasetFilter None = new(null, null);

    private static readonly IReadOnlyList<string> KnownIndicators = [.. IndicatorCatalog.All.Select(i => i.Id)];

    private readonly HashSet<string>? areas;
    private readonly IReadOnlyList<string>? indicators;

    private DatasetFilter(HashSet<string>? areas, IReadOnlyList<string>? indicators)
    {
        this.areas = areas;
        this.indicators = indicators;
    }

    public bool IsEmpty => areas is null && indicators is null;

    /// <summary>
    /// Reads the parameters: each may be repeated and each value may list several entries separated by commas;
    /// blank entries are ignored. An area must be a code of the area reference list; an indicator entry is an id
    /// of the contract, or a prefix ending with '.' (<c>energy.</c>) that at least one id starts with. Anything
    /// else is refused with 400 naming the parameter: a typo should not look like an empty data set.
    /// </summary>
    public static bool TryParse(
        IEnumerable<string?> area,
        IEnumerable<string?> indicator,
        ReferenceData reference,
        [NotNullWhen(true)] out DatasetFilter? filter,
        [NotNullWhen(false)] out DatasetAnswer.Refused? refusal)
    {
        filter = null;
        var areaCodes = Entries(area);
        var unknownAreas = areaCodes.Where(code => !reference.IsKnownArea(code)).ToArray();
        if (unknownAreas.Length > 0)
        {
            refusal = DatasetQueries.BadParameter(AreaParameter,
                $"Unknown area code(s) in '{AreaParameter}': {string.Join(", ", unknownAreas)}. Use codes of the area reference list, e.g. "
                    + $"{reference.Root.Code}.");
            return false;
        }

        var indicatorEntries = Entries(indicator);
        var unknownIndicators = indicatorEntries.Where(entry => !KnownIndicators.Any(id => Matches(entry, id))).ToArray();
        if (unknownIndicators.Length > 0)
        {
            refusal = DatasetQueries.BadParameter(IndicatorParameter,
                $"Unknown indicator(s) in '{IndicatorParameter}': {string.Join(", ", unknownIndicators)}. Give indicator ids (energy.intensity) or "
                    + $"prefixes ending with '.' (energy.).");
            return false;
        }

        refusal = null;
        filter = areaCodes.Count == 0 && indicatorEntries.Count == 0
            ? None
            : new DatasetFilter(areaCodes.Count == 0 ? null : [.. areaCodes], indicatorEntries.Count == 0 ? null : indicatorEntries);
        return true;
    }

    public DatasetDocument Apply(DatasetDocument document)
    {
        if (IsEmpty)
        {
            return document;
        }

        return document with
        {
            Areas = [.. document.Areas
                .Where(a => AreaMatches(a.AreaCode))
                .Select(a =>
                    indicators is null ? a : a with { Indicators = a.Indicators.Where(i => IndicatorMatches(i.Key)).ToDictionary(i => i.Key, i => i.Value,
                    StringComparer.Ordinal) })],
            Targets = indicators is null ? document.Targets : [.. document.Targets.Where(t => IndicatorMatches(t.Indicator))],
            Diff = document.Diff is null ? null : document.Diff with
            {
                ChangedIndicators = [.. document.Diff.ChangedIndicators.Where(c => AreaMatches(c.AreaCode) && IndicatorMatches(c.Id))],
            },
        };
    }

    private bool AreaMatches(string areaCode) => areas is null || areas.Contains(areaCode);

    private bool IndicatorMatches(string id) => indicators is null || indicators.Any(entry => Matches(entry, id));

    private static bool Matches(string entry, string id) =>
        entry.EndsWith('.') ? id.StartsWith(entry, StringComparison.Ordinal) : string.Equals(entry, id, StringComparison.Ordinal);

    private static List<string> Entries(IEnumerable<string?> values) =>
        [.. values
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal)];
}
