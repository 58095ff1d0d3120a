using IntegrationHub.Core.Feeds;

namespace IntegrationHub.Core.Consolidation;

/// <summary>Which data sets a feed feeds into, and which calendar years' feeds a data set reads.</summary>
public static class DatasetPeriods
{
    /// <summary>
    /// The data sets that read a feed of <paramref name="feedPeriod"/>: a month feeds its quarter and its year; a
    /// quarter or year feed (statistics) feeds the data set of that very period. Existing data sets that compare with
    /// it also read it: every later one whose base-year period it is part of, later quarters of its year (year to
    /// date), the next year's quarters and year (early warnings against the previous year, non-fossil-rising).
    /// </summary>
    public static IReadOnlyList<Period> AffectedBy(Period feedPeriod, IEnumerable<Period> existingDatasets) =>
        AffectedBy(feedPeriod, feedPeriod.Kind == PeriodKind.Month ? FeedSource.PowerGrid : FeedSource.Statistics, existingDatasets);

    /// <summary>
    /// The same for a feed of <paramref name="source"/>: comparisons read only statistics and the grid, so a transport
    /// or environment month reaches its own quarter and year (and as base-year data, later ones) but no other quarter.
    /// </summary>
    public static IReadOnlyList<Period> AffectedBy(Period feedPeriod, string source, IEnumerable<Period> existingDatasets)
    {
        var affected = new SortedSet<Period>();
        foreach (var candidate in Candidates(feedPeriod))
        {
            affected.Add(candidate);
        }

        foreach (var dataset in existingDatasets.Where(d => d.Kind != PeriodKind.Month && Reads(d, source, feedPeriod)))
        {
            affected.Add(dataset);
        }

        return [.. affected];
    }

    /// <summary>
    /// Whether a feed can reach data sets beyond its own quarter and year (<see cref="AffectedBy(Period, string, IEnumerable{Period})"/>):
    /// only base-year feeds and the comparison sources can, so only they need the stored periods listed.
    /// </summary>
    public static bool ReachesOtherPeriods(Period feedPeriod, string source) =>
        feedPeriod.Year == DatasetBuilder.BaselineYear || ComparisonSources.Contains(source);

    private static IReadOnlyList<Period> Candidates(Period feedPeriod) => feedPeriod.Kind == PeriodKind.Month
        ? [Period.OfQuarter(feedPeriod.Year, ((feedPeriod.Index - 1) / 3) + 1), Period.OfYear(feedPeriod.Year)]
        : [feedPeriod];

    /// <summary>The calendar years whose accepted feeds the data set of <paramref name="period"/> reads: its own, the previous one and the baseline.</summary>
    public static IReadOnlyList<int> LedgerYears(Period period) =>
        new[] { period.Year, period.Year - 1, DatasetBuilder.BaselineYear }.Distinct().ToArray();

    /// <summary>
    /// Whether the data set of <paramref name="dataset"/> reads a feed of <paramref name="source"/> for
    /// <paramref name="feedPeriod"/>, as <see cref="DatasetBuilder"/> aggregates periods: the period itself and its
    /// base-year period; for a quarter n, quarters 1..n of its year and of the previous year (year to date); for a
    /// year, the previous year.
    /// </summary>
    public static bool Reads(Period dataset, string source, Period feedPeriod) =>
        ComparedPeriods(dataset).Any(p => (!IsEnergyComparison(dataset, p) || ComparisonSources.Contains(source)) && ReadsDirectly(p, source, feedPeriod));

    /// <summary>The sources the early warnings and non-fossil-rising are computed from.</summary>
    public static readonly IReadOnlySet<string> ComparisonSources = new HashSet<string>(StringComparer.Ordinal) { FeedSource.Statistics, FeedSource.PowerGrid };

    /// <summary>
    /// Whether <paramref name="compared"/> is read by the data set of <paramref name="dataset"/> only for energy and
    /// carbon comparisons (earlier quarters, the previous year), not as the period itself or its base-year period.
    /// </summary>
    public static bool IsEnergyComparison(Period dataset, Period compared) =>
        compared != dataset && compared != dataset.InYear(DatasetBuilder.BaselineYear);

    /// <summary>Every period a build of <paramref name="dataset"/> aggregates.</summary>
    public static IEnumerable<Period> ComparedPeriods(Period dataset)
    {
        yield return dataset;
        if (dataset.Year != DatasetBuilder.BaselineYear)
        {
            yield return dataset.InYear(DatasetBuilder.BaselineYear);
        }

        if (dataset.Kind == PeriodKind.Quarter)
        {
            for (var quarter = 1; quarter <= dataset.Index; quarter++)
            {
                yield return Period.OfQuarter(dataset.Year, quarter);
                yield return Period.OfQuarter(dataset.Year - 1, quarter);
            }
        }
        else if (dataset.Kind == PeriodKind.Year)
        {
            yield return Period.OfYear(dataset.Year - 1);
        }
    }

    /// <summary>
    /// Of ledger entries, those a build of <paramref name="dataset"/> reads, one per (source, period): the one in force
    /// as <see cref="PeriodAggregator.SelectLatestRevisions"/> chooses it. Older revisions are not loaded, so a build
    /// costs the same however many came before; entries without <c>producedAt</c> tied at the top are all kept.
    /// </summary>
    public static IReadOnlyList<T> SelectInputs<T>(Period dataset, IEnumerable<T> entries, Func<T, LedgerKey> key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return [.. entries
            .Select(e => (Entry: e, Key: key(e)))
            .Where(e => Period.TryParse(e.Key.Period, out var p) && Reads(dataset, e.Key.Source, p))
            .GroupBy(e => (e.Key.Source, e.Key.Period))
            .SelectMany(g =>
            {
                var highest = g.Max(e => e.Key.Revision);
                var tied = g.Where(e => e.Key.Revision == highest).ToList();
                return tied.Count > 1 && tied.All(e => e.Key.ProducedAt is not null)
                    ? [tied.OrderByDescending(e => e.Key.ProducedAt).ThenBy(e => e.Key.FeedId, StringComparer.Ordinal).First().Entry]
                    : tied.Select(e => e.Entry);
            })];
    }

    /// <summary>Whether the data set reads the feed for its own period, leaving comparisons aside: statistics of the
    /// period itself, every other source by month.</summary>
    public static bool ReadsDirectly(Period dataset, string source, Period feedPeriod) =>
        source == FeedSource.Statistics ? feedPeriod == dataset : feedPeriod.Kind == PeriodKind.Month && dataset.Contains(feedPeriod);
}

/// <summary>What a ledger entry says about the feed it records, as far as choosing the feed in force goes.</summary>
public readonly record struct LedgerKey(string Source, string Period, int Revision, DateTimeOffset? ProducedAt = null, string FeedId = "");
