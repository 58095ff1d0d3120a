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
}
