using IntegrationHub.Core.Feeds;
using IntegrationHub.Functions.Pull;

namespace IntegrationHub.Integration.Tests.Pull;

public sealed class PullSchedulerTests
{
    [Fact]
    public void DuePeriods_MonthlyDepartmentMidMonth_IsTheMonthJustClosed()
    {
        var due = PullScheduler.DuePeriods(FeedSource.PowerGrid, new DateTimeOffset(2026, 11, 25, 2, 0, 0, TimeSpan.Zero));

        Assert.Equal(["2026-10"], due.Select(p => p.ToString()));
    }

    [Fact]
    public void DuePeriods_MonthlyDepartmentInJanuary_IsDecemberOfTheYearBefore()
    {
        var due = PullScheduler.DuePeriods(FeedSource.Transport, new DateTimeOffset(2026, 1, 10, 2, 0, 0, TimeSpan.Zero));

        Assert.Equal(["2025-12"], due.Select(p => p.ToString()));
    }

    [Fact]
    public void DuePeriods_LateOnTheLastDayInUtc_AlreadyUsesChinaStandardTime()
    {
        // 2026-11-30 18:00 UTC is 2026-12-01 02:00 in Changsha: November has closed there.
        var due = PullScheduler.DuePeriods(FeedSource.Environment, new DateTimeOffset(2026, 11, 30, 18, 0, 0, TimeSpan.Zero));

        Assert.Equal(["2026-11"], due.Select(p => p.ToString()));
    }

    [Fact]
    public void DuePeriods_StatisticsInTheFourthQuarter_IsTheThirdQuarter()
    {
        var due = PullScheduler.DuePeriods(FeedSource.Statistics, new DateTimeOffset(2026, 11, 25, 2, 0, 0, TimeSpan.Zero));

        Assert.Equal(["2026-Q3"], due.Select(p => p.ToString()));
    }

    [Fact]
    public void DuePeriods_StatisticsInTheFirstQuarter_IsLastYearsFourthQuarterAndLastYear()
    {
        var due = PullScheduler.DuePeriods(FeedSource.Statistics, new DateTimeOffset(2026, 2, 3, 2, 0, 0, TimeSpan.Zero));

        Assert.Equal(["2025-Q4", "2025"], due.Select(p => p.ToString()));
    }
}
