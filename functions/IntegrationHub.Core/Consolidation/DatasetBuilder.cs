using System.Globalization;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Normalisation;
using IntegrationHub.Core.Reference;

namespace IntegrationHub.Core.Consolidation;

/// <summary>
/// Builds one version of a period's unified data set (2.0) from accepted feeds. Base-year values come from the
/// base-year feeds among <c>feeds</c>, previous-year and earlier-quarter values (early warnings, non-fossil-rising)
/// from theirs, each computed with its own year's coefficients; nothing is a constant.
/// </summary>
public sealed class DatasetBuilder
{
    /// <summary>
    /// The base year the ledger helpers (<see cref="DatasetPeriods"/>) read feeds for. The targets reference file's
    /// <c>baseYear</c> is the value of record; <see cref="DatasetBuilder(ReferenceData)"/> refuses a file that disagrees.
    /// </summary>
    public const int BaselineYear = 2020;

    private readonly ReferenceData reference;
    private readonly PeriodAggregator aggregator;
    private readonly IndicatorCalculator calculator;

    public DatasetBuilder(ReferenceData reference)
    {
        this.reference = reference;
        if (reference.Targets.BaseYear != BaselineYear)
        {
            throw new InvalidDataException($"targets.json says baseYear {reference.Targets.BaseYear}, but the ledger reads base-year feeds of {BaselineYear}.");
        }

        aggregator = new PeriodAggregator(reference);
        calculator = new IndicatorCalculator(reference);
    }

    public DatasetDocument Build(Period period, IReadOnlyCollection<NormalisedFeed> feeds, int version, DateTimeOffset generatedAt)
    {
        var warnings = new List<DatasetWarning>();
        var context = new BuildContext(this, period, feeds);
        var current = context.Facts(period);
        warnings.AddRange(current.Warnings);

        var baseYear = reference.Targets.BaseYear;
        var isBasePeriod = period.Year == baseYear;
        var basePeriod = period.InYear(baseYear);
        var baseIndicators = context.Indicators(basePeriod);

        var indicatorsByArea = new Dictionary<string, Dictionary<string, Quantity>>(StringComparer.Ordinal);
        var areas = new List<AreaIndicators>();
        foreach (var area in OrderedAreas(current))
        {
            var computed = calculator.Compute(area, period.Year, baseIndicators.GetValueOrDefault(area.AreaCode), warnings);
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

        var comparisonMissing = new List<string>();
        var evaluator = new TargetEvaluator(reference, period, context,
            indicatorsByArea.GetValueOrDefault(reference.Root.Code) ?? [], comparisonMissing, warnings);
        var targets = reference.Targets.Targets.Select(evaluator.Evaluate).ToArray();

        var rootIndicators = indicatorsByArea.GetValueOrDefault(reference.Root.Code) ?? [];
        var missing = current.MissingFeeds
            .Concat(isBasePeriod ? [] : context.Facts(basePeriod).MissingFeeds)
            .Concat(comparisonMissing)
            .Concat(IndicatorCatalog.All.Select(i => i.Id).Where(id => !rootIndicators.ContainsKey(id)))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

        AddMethodologyWarnings(period, context, warnings);

        var inputs = context.AggregatedPeriods.Values.SelectMany(f => f.Inputs)
            .DistinctBy(f => f.FeedId, StringComparer.Ordinal)
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
            Methodology = DatasetMethodology.Current(baseYear),
            Coefficients = new CoefficientsBlock(
                reference.Coefficients.Id,
                reference.Coefficients.Version,
                reference.Coefficients.EnergyAccountingMethod,
                reference.Coefficients.Coefficients.Select(c => new CoefficientValue(c.Id, c.Value, c.Unit, c.Source,
                    c.Verification) { Year = c.Year }).ToArray()),
            Areas = areas,
            Targets = targets,
            Warnings = warnings,
        };
    }

    // Warnings about the basis of the figures: carried-forward coefficients of every year the data set computed with,
    // months on the default grid share, and feedstock deducted now but not in a 1.0 base-year feed.
    private void AddMethodologyWarnings(Period period, BuildContext context, List<DatasetWarning> warnings)
    {
        foreach (var year in context.AggregatedPeriods.Keys.Select(p => p.Year).Distinct().Order())
        {
            foreach (var series in IndicatorCalculator.YearSeries)
            {
                var used = reference.ForYear(series, year);
                if (used.CarriedForward)
                {
                    warnings.Add(new DatasetWarning("coefficient-carried-forward", string.Create(CultureInfo.InvariantCulture,
                        $"{series}: no value for {year} in the reference data; {used.Coefficient.Id} ({used.Value} {used.Coefficient.Unit}, "
                            + $"{used.FromYear}) is used for {year}."),
                        null, null, null));
                }
            }
        }

        foreach (var (compared, facts) in context.AggregatedPeriods.OrderBy(p => p.Key))
        {
            var defaulted = facts.Inputs.Where(f => f.Source == FeedSource.PowerGrid
                && f.GridNonFossilSharePct is null).Select(f => f.Period).Order(StringComparer.Ordinal).ToArray();
            if (defaulted.Length > 0)
            {
                var sy = reference.ForYear(IndicatorCalculator.GridShareSeries, compared.Year);
                warnings.Add(new DatasetWarning("grid-mix-default-used", string.Create(CultureInfo.InvariantCulture,
                    $"{(compared == period ? "" : $"For {compared} (compared with): ")}no gridNonFossilSharePct for "
                        + $"{string.Join(", ", defaulted)}; the default {sy.Value} % of {sy.FromYear} ({sy.Coefficient.Id}) is used, and "
                        + $"figures built on it are estimated."),
                    null, "power.gridNonFossilSharePct",
                        facts.Inputs.Where(f => defaulted.Contains(f.Period)).Select(f => f.FeedId).Order(StringComparer.Ordinal).ToArray()));
            }
        }

        var baseYear = reference.Targets.BaseYear;
        if (period.Year != baseYear
            && context.Facts(period).Inputs.Any(f => f.Source == FeedSource.Statistics && f.Records.Any(r => r.Measures.GetValueOrDefault("feedstockTce") > 0)))
        {
            var baseStatistics = context.Facts(period.InYear(baseYear)).Inputs.FirstOrDefault(f => f.Source == FeedSource.Statistics);
            if (baseStatistics is not null && baseStatistics.SchemaVersion == "1.0")
            {
                warnings.Add(new DatasetWarning("feedstock-baseline-missing",
                    $"Feedstock is deducted in {period}, but the base-year statistics feed {baseStatistics.FeedId} is version 1.0 and cannot carry "
                        + $"it: the base year's assessed energy keeps its feedstock, so the change on {baseYear} overstates the decline.",
                    null, "energy.assessedIntensityChangeVs2020Pct", [baseStatistics.FeedId]));
            }
        }
    }

    // The hierarchy in reference-file order (every area, data or not), then overlay areas that sent records.
    private IEnumerable<AreaFacts> OrderedAreas(PeriodFacts facts) =>
        reference.Areas.Areas
            .Where(a => facts.Areas.ContainsKey(a.Code) || !a.Overlay)
            .Select(a => facts.Areas.GetValueOrDefault(a.Code) ?? new AreaFacts(a.Code));

    private static string QualityName(Quality quality) => quality switch
    {
        Quality.Complete => "complete",
        Quality.Estimated => "estimated",
        _ => "partial",
    };

    // Facts and indicators of the periods a build reads (its own, the base year's, comparisons), each computed once.
    internal sealed class BuildContext(DatasetBuilder builder, Period dataset, IReadOnlyCollection<NormalisedFeed> feeds)
    {
        private readonly Dictionary<Period, Dictionary<string, Dictionary<string, Quantity>>> indicators = [];

        public Dictionary<Period, PeriodFacts> AggregatedPeriods { get; } = [];

        public PeriodFacts Facts(Period period)
        {
            if (!AggregatedPeriods.TryGetValue(period, out var facts))
            {
                // Early warnings and non-fossil-rising compare energy and carbon only: other sources of those periods
                // are neither read (DatasetPeriods.Reads) nor listed as missing.
                var compared = DatasetPeriods.IsEnergyComparison(dataset, period)
                    ? feeds.Where(f => DatasetPeriods.ComparisonSources.Contains(f.Source)).ToArray()
                    : feeds;
                AggregatedPeriods[period] = facts = builder.aggregator.Aggregate(period, compared);
            }

            return facts;
        }

        // Every area's indicators of a period, without changes on the base year (a comparison never needs them).
        public Dictionary<string, Dictionary<string, Quantity>> Indicators(Period period)
        {
            if (!indicators.TryGetValue(period, out var byArea))
            {
                indicators[period] = byArea = Facts(period).Areas.ToDictionary(
                    a => a.Key, a => builder.calculator.Compute(a.Value, period.Year, null, []), StringComparer.Ordinal);
            }

            return byArea;
        }

        public Quantity? RootIndicator(Period period, string id) =>
            Indicators(period).GetValueOrDefault(builder.reference.Root.Code)?.GetValueOrDefault(id);

        public Quantity? RootMeasure(Period period, string measure) =>
            Facts(period).Areas.GetValueOrDefault(builder.reference.Root.Code)?.Get(measure) is { } fact ? Quantity.Of(fact) : null;
    }
}
