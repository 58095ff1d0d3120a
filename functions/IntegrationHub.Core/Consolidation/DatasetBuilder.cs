using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Normalisation;
using IntegrationHub.Core.Reference;

namespace IntegrationHub.Core.Consolidation;

/// <summary>
/// Builds one version of a period's unified data set from accepted feeds. The 2020 baselines come from the 2020
/// feeds among <c>feeds</c>, ingested like any other; nothing is a constant.
/// </summary>
public sealed class DatasetBuilder(ReferenceData reference)
{
    public const int BaselineYear = 2020;

    private readonly PeriodAggregator aggregator = new(reference);
    private readonly IndicatorCalculator calculator = new(reference);

    public DatasetDocument Build(Period period, IReadOnlyCollection<NormalisedFeed> feeds, int version, DateTimeOffset generatedAt)
    {
        var warnings = new List<DatasetWarning>();
        var current = aggregator.Aggregate(period, feeds);
        warnings.AddRange(current.Warnings);

        // A 2020 period is its own baseline; any other period also needs the same period kind of 2020.
        var isBaselinePeriod = period.Year == BaselineYear;
        var baseline = isBaselinePeriod ? current : aggregator.Aggregate(period.InYear(BaselineYear), feeds);
        var baseIndicators = baseline.Areas.ToDictionary(a => a.Key, a => calculator.Compute(a.Value, null, []), StringComparer.Ordinal);

        var indicatorsByArea = new Dictionary<string, Dictionary<string, Quantity>>(StringComparer.Ordinal);
        var areas = new List<AreaIndicators>();
        foreach (var area in OrderedAreas(current))
        {
            var computed = calculator.Compute(area, baseIndicators.GetValueOrDefault(area.AreaCode), warnings);
            indicatorsByArea[area.AreaCode] = computed;
            var indicators = new Dictionary<string, IndicatorValue>(StringComparer.Ordinal);
            foreach (var (id, unit) in IndicatorCatalog.All)
            {
                if (computed.TryGetValue(id, out var q))
                {
                    indicators[id] = new IndicatorValue(q.Value, unit, QualityName(q.Quality), q.FeedIds.Order(StringComparer.Ordinal).ToArray());
                }
            }

            areas.Add(new AreaIndicators(area.AreaCode, indicators));
        }

        var targets = reference.Targets.Targets
            .Select(t => TargetEvaluator.Evaluate(
                t, period, Value(indicatorsByArea, t.Area, t.Indicator), Value(baseIndicators, t.Area, t.Indicator), warnings))
            .ToArray();

        var rootIndicators = indicatorsByArea.GetValueOrDefault(reference.Root.Code) ?? [];
        var missing = current.MissingFeeds
            .Concat(isBaselinePeriod ? [] : baseline.MissingFeeds)
            .Concat(IndicatorCatalog.All.Select(i => i.Id).Where(id => !rootIndicators.ContainsKey(id)))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

        var inputs = current.Inputs.Concat(isBaselinePeriod ? [] : baseline.Inputs)
            .OrderBy(f => FeedSource.OrderOf(f.Source)).ThenBy(f => Period.Parse(f.Period))
            .Select(f => new DatasetInput(f.FeedId, f.Source, f.Period, f.Revision, f.SchemaVersion))
            .ToArray();

        return new DatasetDocument
        {
            Period = period.ToString(),
            Version = version,
            GeneratedAt = generatedAt,
            Status = current.IsComplete ? "complete" : "partial",
            Missing = missing,
            Inputs = inputs,
            Coefficients = new CoefficientsBlock(
                reference.Coefficients.Id,
                reference.Coefficients.Version,
                reference.Coefficients.EnergyAccountingMethod,
                reference.Coefficients.Coefficients.Select(c => new CoefficientValue(c.Id, c.Value, c.Unit, c.Source, c.Verification)).ToArray()),
            Areas = areas,
            Targets = targets,
            Warnings = warnings,
        };
    }

    /// <summary>The hierarchy in reference-file order (every area, data or not), then overlay areas that sent records.</summary>
    private IEnumerable<AreaFacts> OrderedAreas(PeriodFacts facts) =>
        reference.Areas.Areas
            .Where(a => facts.Areas.ContainsKey(a.Code) || !a.Overlay)
            .Select(a => facts.Areas.GetValueOrDefault(a.Code) ?? new AreaFacts(a.Code));

    private static double? Value(Dictionary<string, Dictionary<string, Quantity>> byArea, string areaCode, string id) =>
        byArea.TryGetValue(areaCode, out var indicators) && indicators.TryGetValue(id, out var q) ? q.Value : null;

    private static string QualityName(Quality quality) => quality switch
    {
        Quality.Complete => "complete",
        Quality.Estimated => "estimated",
        _ => "partial",
    };
}
