using System.Globalization;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Normalisation;
using IntegrationHub.Core.Reference;

namespace IntegrationHub.Core.Consolidation;

/// <summary>
/// Turns the accepted feeds of a quarter or year into per-area facts: latest revision per source and period,
/// months combined by each measure's rule (flow, stock, peak), then areas combined up the reference hierarchy.
/// </summary>
public sealed class PeriodAggregator(ReferenceData reference)
{
    public PeriodFacts Aggregate(Period period, IEnumerable<NormalisedFeed> feeds)
    {
        if (period.Kind == PeriodKind.Month)
        {
            throw new ArgumentException("Data sets are computed per quarter and per year.", nameof(period));
        }

        var latest = SelectLatestRevisions(feeds);
        var warnings = new List<DatasetWarning>();
        var missing = new List<string>();
        var inputs = new List<NormalisedFeed>();
        var direct = new Dictionary<string, AreaFacts>(StringComparer.Ordinal);

        foreach (var source in FeedSource.All)
        {
            IReadOnlyList<Period> wanted = source == FeedSource.Statistics ? [period] : period.Months();
            var present = new List<NormalisedFeed>();
            foreach (var p in wanted)
            {
                if (latest.TryGetValue((source, p.ToString()), out var feed))
                {
                    present.Add(feed);
                }
                else
                {
                    missing.Add($"{source}:{p}");
                }
            }

            if (present.Count == 0)
            {
                continue;
            }

            inputs.AddRange(present);
            var coverage = present.Count == wanted.Count ? Quality.Complete : Quality.Partial;
            CombineMonths(source, wanted[^1].ToString(), present, coverage, direct, warnings);
        }

        var areas = new Dictionary<string, AreaFacts>(StringComparer.Ordinal);
        Resolve(reference.Root.Code, direct, areas, warnings);
        foreach (var overlay in reference.Areas.Areas.Where(a => a.Overlay && direct.ContainsKey(a.Code)))
        {
            areas[overlay.Code] = direct[overlay.Code];
        }

        return new PeriodFacts(period, areas, inputs, missing, warnings);
    }

    /// <summary>Every revision is kept; the highest revision of a (source, period) is the one in force.</summary>
    public static Dictionary<(string Source, string Period), NormalisedFeed> SelectLatestRevisions(IEnumerable<NormalisedFeed> feeds) =>
        feeds.GroupBy(f => (f.Source, f.Period))
            .ToDictionary(
                g => g.Key,
                g => g.OrderByDescending(f => f.Revision).ThenByDescending(f => f.ProducedAt).ThenBy(f => f.FeedId, StringComparer.Ordinal).First());

    private static void CombineMonths(
        string source, string lastPeriod, List<NormalisedFeed> present, Quality coverage, Dictionary<string, AreaFacts> direct, List<DatasetWarning> warnings)
    {
        var months = present.Count;
        var byArea = present
            .SelectMany(feed => feed.Records.Select(record => (feed, record)))
            .GroupBy(x => x.record.AreaCode, StringComparer.Ordinal);

        foreach (var area in byArea)
        {
            var facts = direct.TryGetValue(area.Key, out var existing) ? existing : direct[area.Key] = new AreaFacts(area.Key);
            // In month order: `present` follows the period's months and grouping keeps that order, so the last is the latest.
            var readings = area.ToArray();
            var areaQuality = readings.Length == months ? coverage : Quality.Partial;
            facts.Sources[source] = areaQuality;

            foreach (var measure in readings.SelectMany(r => r.record.Measures.Keys).Distinct(StringComparer.Ordinal))
            {
                var withMeasure = readings.Where(r => r.record.Measures.ContainsKey(measure)).ToArray();
                var quality = areaQuality;
                double value;
                IEnumerable<NormalisedFeed> used;
                switch (MeasureCatalog.AggregationOf(measure))
                {
                    case Aggregation.Stock:
                        var last = withMeasure[^1];
                        value = last.record.Measures[measure];
                        used = [last.feed];
                        // A stock is exact when the period's last month has it, whatever other months are missing;
                        // carried forward from an earlier month it is an estimate.
                        quality = Quality.Complete;
                        if (last.feed.Period != lastPeriod)
                        {
                            quality = Quality.Estimated;
                            warnings.Add(new DatasetWarning("stock-from-earlier-month",
                                $"{measure} of {area.Key} is taken from {last.feed.Period}: no {source} value for {lastPeriod}.", area.Key, null,
                                    [last.feed.FeedId]));
                        }

                        break;
                    case Aggregation.Peak:
                        value = withMeasure.Max(r => r.record.Measures[measure]);
                        used = withMeasure.Select(r => r.feed);
                        break;
                    default:
                        value = withMeasure.Sum(r => r.record.Measures[measure]);
                        used = withMeasure.Select(r => r.feed);
                        break;
                }

                facts.Measures[measure] = new Fact(value, used.Select(f => f.FeedId).ToHashSet(StringComparer.Ordinal), quality, Derived: false);
            }

            facts.DataCentresReported |= readings.Any(r => r.record.DataCentres is not null);
            foreach (var centre in readings.SelectMany(r => (r.record.DataCentres ?? []).Select(c => (r.feed, c))).GroupBy(x => x.c.Id, StringComparer.Ordinal))
            {
                var latest = centre.Last();
                facts.DataCentres.Add(new DataCentreFact(
                    centre.Key,
                    latest.c.Name,
                    latest.c.Status,
                    centre.Sum(x => x.c.ItMwh),
                    centre.Sum(x => x.c.TotalMwh),
                    centre.Select(x => x.feed.FeedId).ToHashSet(StringComparer.Ordinal),
                    areaQuality));
            }
        }
    }

    // Post-order over the hierarchy: a value sent for an area wins over the sum of its children.
    private AreaFacts Resolve(string code, Dictionary<string, AreaFacts> direct, Dictionary<string, AreaFacts> result, List<DatasetWarning> warnings)
    {
        var children = reference.ChildrenOf(code).Select(c => Resolve(c.Code, direct, result, warnings)).Where(c => !c.IsEmpty).ToArray();
        var own = direct.GetValueOrDefault(code);
        var facts = new AreaFacts(code);
        var tolerance = reference.Value("rule.parentChildTolerance");

        var measures = (own?.Measures.Keys ?? Enumerable.Empty<string>()).Concat(children.SelectMany(c => c.Measures.Keys)).Distinct(StringComparer.Ordinal);
        foreach (var measure in measures)
        {
            var fromChildren = children.Select(c => c.Get(measure)).OfType<Fact>().ToArray();
            var sum = fromChildren.Length == 0
                ? null
                : new Fact(
                    fromChildren.Sum(f => f.Value),
                    fromChildren.SelectMany(f => f.FeedIds).ToHashSet(StringComparer.Ordinal),
                    fromChildren.Max(f => f.Quality),
                    Derived: true);
            var sent = own?.Get(measure);
            if (sent is not null && sum is not null && MeasureCatalog.IsSummable(measure) && MeasureCatalog.DiffersBeyond(sent.Value, sum.Value, tolerance))
            {
                warnings.Add(new DatasetWarning("parent-children-inconsistent", string.Create(CultureInfo.InvariantCulture,
                    $"{measure} of {code} was sent as {sent.Value} but its child areas add up to {sum.Value}; the value sent for {code} is used."),
                    code, null, sent.FeedIds.Concat(sum.FeedIds).Order(StringComparer.Ordinal).ToArray()));
            }

            facts.Measures[measure] = sent ?? sum!;
        }

        foreach (var (source, quality) in (own?.Sources ?? Enumerable.Empty<KeyValuePair<string, Quality>>()).Concat(children.SelectMany(c => c.Sources)))
        {
            facts.Sources[source] = facts.Sources.TryGetValue(source, out var q) ? Worst(q, quality) : quality;
        }

        facts.DataCentres.AddRange(own is { DataCentres.Count: > 0 } ? own.DataCentres : children.SelectMany(c => c.DataCentres));
        facts.DataCentresReported = (own?.DataCentresReported ?? false) || children.Any(c => c.DataCentresReported);
        result[code] = facts;
        return facts;
    }

    internal static Quality Worst(Quality a, Quality b) => a > b ? a : b;
}
