using IntegrationHub.Core.Feeds;
using IntegrationHub.Functions.Datasets;

namespace IntegrationHub.Integration.Tests.Datasets;

/// <summary>The rule for "latest", offline: the latest last day wins, and a year beats its own fourth quarter.</summary>
public sealed class DatasetQueriesTests
{
    private static Period[] Periods(params string[] texts) => [.. texts.Select(Period.Parse)];

    [Fact]
    public void SelectLatest_NoPeriods_IsNone()
    {
        Assert.Null(DatasetQueries.SelectLatest([], kind: null));
    }

    [Fact]
    public void SelectLatest_YearAndItsFourthQuarter_IsTheYear()
    {
        Assert.Equal(Period.Parse("2024"), DatasetQueries.SelectLatest(Periods("2024-Q4", "2024", "2024-Q3"), kind: null));
    }

    [Fact]
    public void SelectLatest_QuarterEndingAfterTheLastYear_IsTheQuarter()
    {
        Assert.Equal(Period.Parse("2025-Q1"), DatasetQueries.SelectLatest(Periods("2024", "2025-Q1", "2024-Q4"), kind: null));
    }

    [Fact]
    public void SelectLatest_QuarterKind_IgnoresYears()
    {
        Assert.Equal(Period.Parse("2024-Q4"), DatasetQueries.SelectLatest(Periods("2024", "2024-Q3", "2024-Q4"), PeriodKind.Quarter));
    }

    [Fact]
    public void SelectLatest_YearKindWithOnlyQuarters_IsNone()
    {
        Assert.Null(DatasetQueries.SelectLatest(Periods("2025-Q1", "2025-Q2"), PeriodKind.Year));
    }
}
