using IntegrationHub.Core.Feeds;

namespace IntegrationHub.Core.Consolidation;

/// <summary>Which data sets a feed feeds into, and which calendar years' feeds a data set reads.</summary>
public static class DatasetPeriods
{
    /// <summary>
    /// The data sets that read a feed of <paramref name="feedPeriod"/>: a month feeds its quarter and its year; a
    /// quarter or year feed (statistics) feeds the data set of that very period. A feed of the baseline year also
    /// feeds every existing later data set whose 2020 baseline reads it (their changes on 2020 and target paths).
    /// </summary>
    public static IReadOnlyList<Period> AffectedBy(Period feedPeriod, IEnumerable<Period> existingDatasets)
    {
        var affected = new SortedSet<Period>();
        foreach (var candidate in Candidates(feedPeriod))
        {
            affected.Add(candidate);
        }

        if (feedPeriod.Year == DatasetBuilder.BaselineYear)
        {
            foreach (var dataset in existingDatasets.Where(d => d.Year > DatasetBuilder.BaselineYear && d.Kind != PeriodKind.Month))
            {
                if (Candidates(feedPeriod).Contains(dataset.InYear(DatasetBuilder.BaselineYear)))
                {
                    affected.Add(dataset);
                }
            }
        }

        return [.. affected];
    }

    private static IReadOnlyList<Period> Candidates(Period feedPeriod) => feedPeriod.Kind == PeriodKind.Month
        ? [Period.OfQuarter(feedPeriod.Year, ((feedPeriod.Index - 1) / 3) + 1), Period.OfYear(feedPeriod.Year)]
        : [feedPeriod];

    /// <summary>The calendar years whose accepted feeds the data set of <paramref name="period"/> reads: its own and the baseline.</summary>
    public static IReadOnlyList<int> LedgerYears(Period period) =>
        period.Year == DatasetBuilder.BaselineYear ? [period.Year] : [period.Year, DatasetBuilder.BaselineYear];

    /// <summary>
    /// Whether the data set of <paramref name="dataset"/> reads a feed of <paramref name="source"/> for
    /// <paramref name="feedPeriod"/>: statistics of the period itself, every other source by month, and the same of the
    /// 2020 baseline period (as <see cref="PeriodAggregator"/> selects them).
    /// </summary>
    public static bool Reads(Period dataset, string source, Period feedPeriod) =>
        ReadsDirectly(dataset, source, feedPeriod)
        || (dataset.Year != DatasetBuilder.BaselineYear && ReadsDirectly(dataset.InYear(DatasetBuilder.BaselineYear), source, feedPeriod));

    /// <summary>
    /// Of ledger entries, those a build of <paramref name="dataset"/> can use: read by it, and for each (source,
    /// period) the one in force, chosen as <see cref="PeriodAggregator.SelectLatestRevisions"/> chooses (highest
    /// revision, then latest <c>producedAt</c>, then first feed id). A department's older revisions, and feeds of other
    /// periods of the same years, stay in the ledger but are not loaded, so a build costs the same however many came
    /// before. Entries recorded without <c>producedAt</c> that tie at the highest revision are all kept: the feeds
    /// themselves settle them.
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

    /// <summary>Whether the data set reads the feed for its own period, leaving the baseline aside: statistics of the period itself, every other source by month.</summary>
    public static bool ReadsDirectly(Period dataset, string source, Period feedPeriod) =>
        source == FeedSource.Statistics ? feedPeriod == dataset : feedPeriod.Kind == PeriodKind.Month && dataset.Contains(feedPeriod);
}

/// <summary>What a ledger entry says about the feed it records, as far as choosing the feed in force goes.</summary>
public readonly record struct LedgerKey(string Source, string Period, int Revision, DateTimeOffset? ProducedAt = null, string FeedId = "");
