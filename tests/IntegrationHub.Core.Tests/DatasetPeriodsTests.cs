using IntegrationHub.Core.Consolidation;
using IntegrationHub.Core.Feeds;

namespace IntegrationHub.Core.Tests;

public sealed class DatasetPeriodsTests
{
    private static string[] Affected(string feed, params string[] existing) =>
        [.. DatasetPeriods.AffectedBy(Period.Parse(feed), existing.Select(Period.Parse)).Select(p => p.ToString())];

    [Fact]
    public void AffectedBy_Month_IsItsQuarterAndYear()
    {
        Assert.Equal(["2024", "2024-Q2"], Affected("2024-05").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AffectedBy_StatisticsQuarter_IsThatQuarterOnly()
    {
        // A year's data set reads the statistics bureau's year feed, never its quarters (feed-contract: aggregation).
        Assert.Equal(["2024-Q3"], Affected("2024-Q3"));
    }

    [Fact]
    public void AffectedBy_BaselineMonth_AlsoFeedsExistingLaterDataSetsOfTheSameQuarterAndYears()
    {
        var affected = Affected("2020-02", "2024-Q1", "2024-Q2", "2024", "2025-Q1", "2020-Q1");

        Assert.Equal(["2020", "2020-Q1", "2024", "2024-Q1", "2025-Q1"], affected.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AffectedBy_BaselineYearStatistics_FeedsLaterYearsButNoQuarters()
    {
        Assert.Equal(["2020", "2024", "2025"], Affected("2020", "2024", "2024-Q4", "2025").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AffectedBy_LaterYearFeed_NeverReachesOtherYears()
    {
        Assert.Equal(["2025", "2025-Q1"], Affected("2025-03", "2024-Q1", "2020-Q1").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LedgerYears_LaterPeriod_ReadsItsYearAndTheBaseline()
    {
        Assert.Equal([2024, 2020], DatasetPeriods.LedgerYears(Period.Parse("2024-Q3")));
        Assert.Equal([2020], DatasetPeriods.LedgerYears(Period.Parse("2020-Q3")));
    }
}
