using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Reference;
using IntegrationHub.Core.Supply;
using IntegrationHub.Core.Tests.Support;

namespace IntegrationHub.Core.Tests;

/// <summary>Due dates and states of the supply calendar, worked by hand from the rules of the supply reference file.</summary>
public class SupplyCalendarTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private static SupplyRule Rule(string source, string kind) =>
        TestCore.Core.Reference.Supply.Rules.Single(r => r.Source == source && r.PeriodKind == kind);

    [Theory]
    // Statistics quarter: day 25 of the month after the quarter; Q4 crosses the year end.
    [InlineData("statistics", "quarter", "2024-Q1", "2024-04-25")]
    [InlineData("statistics", "quarter", "2024-Q4", "2025-01-25")]
    // Statistics year: the end of March of the next year.
    [InlineData("statistics", "year", "2024", "2025-03-31")]
    // Power grid: day 10 of the next month; December is due in January of the next year.
    [InlineData("power-grid", "month", "2025-01", "2025-02-10")]
    [InlineData("power-grid", "month", "2024-12", "2025-01-10")]
    [InlineData("transport", "month", "2025-03", "2025-04-15")]
    // Environment: the last day of the next month; February is 29 days in a leap year, 28 otherwise.
    [InlineData("environment", "month", "2024-01", "2024-02-29")]
    [InlineData("environment", "month", "2025-01", "2025-02-28")]
    [InlineData("environment", "month", "2024-03", "2024-04-30")]
    [InlineData("environment", "month", "2024-11", "2024-12-31")]
    [InlineData("environment", "month", "2024-12", "2025-01-31")]
    public void DueBy_ReferenceRules_GiveTheHandWorkedDay(string source, string kind, string period, string dueBy)
    {
        Assert.Equal(DateOnly.Parse(dueBy, System.Globalization.CultureInfo.InvariantCulture), SupplyCalendar.DueBy(Rule(source, kind), Period.Parse(period)));
    }

    [Fact]
    public void DueAt_IsTheEndOfTheDueDayInChina_SixteenHundredUtc()
    {
        // 2025-02-10 24:00 China = 2025-02-10 16:00 UTC.
        Assert.Equal(new DateTimeOffset(2025, 2, 10, 16, 0, 0, TimeSpan.Zero), SupplyCalendar.DueAt(Rule("power-grid", "month"), Period.Parse("2025-01")));
        // Leap day: 2024-02-29 24:00 China.
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 0, 0, 0, China), SupplyCalendar.DueAt(Rule("environment", "month"), Period.Parse("2024-01")));
    }

    [Fact]
    public void Cell_NothingReceived_PendingUntilTheDueDayEnds_MissingFromThen()
    {
        var rule = Rule("power-grid", "month");
        var period = Period.Parse("2025-01");
        Assert.Equal(SupplyState.Pending, SupplyCalendar.Cell(rule, period, [], new DateTimeOffset(2025, 2, 10, 23, 59, 59, China)).State);
        Assert.Equal(SupplyState.Missing, SupplyCalendar.Cell(rule, period, [], new DateTimeOffset(2025, 2, 11, 0, 0, 0, China)).State);
    }

    [Fact]
    public void Cell_FirstFeedOnTheDueDay_Received_AndAnotherLater_RevisedWithBothInOrder()
    {
        var rule = Rule("statistics", "quarter");
        var period = Period.Parse("2024-Q4");
        var onTime = new SuppliedFeed("statistics", "2024-Q4", "statistics-2024-Q4-r1-aaaa", 1, new DateTimeOffset(2025, 1, 25, 23, 0, 0, China));
        var revision = new SuppliedFeed("statistics", "2024-Q4", "statistics-2024-Q4-r2-bbbb", 2, new DateTimeOffset(2025, 3, 2, 9, 0, 0, China));
        var now = new DateTimeOffset(2025, 4, 1, 0, 0, 0, China);

        var one = SupplyCalendar.Cell(rule, period, [onTime], now);
        Assert.Equal(SupplyState.Received, one.State);
        Assert.Equal(onTime.ReceivedAt, one.ReceivedAt);
        Assert.Equal("2025-01-25", one.DueBy);

        var two = SupplyCalendar.Cell(rule, period, [revision, onTime], now);
        Assert.Equal(SupplyState.Revised, two.State);
        Assert.Equal(onTime.ReceivedAt, two.ReceivedAt);
        Assert.Equal(["statistics-2024-Q4-r1-aaaa", "statistics-2024-Q4-r2-bbbb"], two.Feeds.Select(f => f.FeedId));
    }

    [Fact]
    public void Cell_FirstFeedAfterTheDueDay_Late_EvenWhenRevisedLater()
    {
        var rule = Rule("transport", "month");
        var period = Period.Parse("2025-03");
        // Due 2025-04-15: a feed at 00:00 on the 16th (China) is late.
        var first = new SuppliedFeed("transport", "2025-03", "transport-2025-03-r1-cccc", 1, new DateTimeOffset(2025, 4, 16, 0, 0, 0, China));
        var second = new SuppliedFeed("transport", "2025-03", "transport-2025-03-r2-dddd", 2, new DateTimeOffset(2025, 4, 20, 0, 0, 0, China));
        var now = new DateTimeOffset(2025, 5, 1, 0, 0, 0, China);
        Assert.Equal(SupplyState.Late, SupplyCalendar.Cell(rule, period, [first], now).State);
        Assert.Equal(SupplyState.Late, SupplyCalendar.Cell(rule, period, [first, second], now).State);
    }

    [Fact]
    public void Build_FromFirstPeriodToTheMonthUnderWay_ChinaDateDecidesTheMonth()
    {
        // 2023-03-31 17:00 UTC is 2023-04-01 01:00 in China: April has begun there.
        var now = new DateTimeOffset(2023, 3, 31, 17, 0, 0, TimeSpan.Zero);
        var cells = SupplyCalendar.Build([Rule("power-grid", "month")], [], now);
        Assert.Equal(["2023-01", "2023-02", "2023-03", "2023-04"], cells.Select(c => c.Period));
        // Due 02-10, 03-10, 04-10, 05-10: the first two have passed.
        Assert.Equal([SupplyState.Missing, SupplyState.Missing, SupplyState.Pending, SupplyState.Pending], cells.Select(c => c.State));
    }

    [Fact]
    public void Build_AllRules_SourcesInContractOrder_StatisticsYearsBeforeQuarters()
    {
        var now = new DateTimeOffset(2023, 4, 26, 12, 0, 0, China);
        var cells = SupplyCalendar.Build(TestCore.Core.Reference.Supply.Rules, [], now);
        Assert.Equal(
            ["statistics 2023", "statistics 2023-Q1", "statistics 2023-Q2",
             "power-grid 2023-01", "power-grid 2023-02", "power-grid 2023-03", "power-grid 2023-04",
             "transport 2023-01", "transport 2023-02", "transport 2023-03", "transport 2023-04",
             "environment 2023-01", "environment 2023-02", "environment 2023-03", "environment 2023-04"],
            cells.Select(c => $"{c.Source} {c.Period}"));
        // 2023-Q1 was due 2023-04-25: missing on the 26th. Environment 2023-03 is due 04-30: pending.
        Assert.Equal(SupplyState.Missing, cells.Single(c => c.Source == "statistics" && c.Period == "2023-Q1").State);
        Assert.Equal(SupplyState.Pending, cells.Single(c => c.Source == "environment" && c.Period == "2023-03").State);
        Assert.Equal(SupplyState.Missing, cells.Single(c => c.Source == "environment" && c.Period == "2023-02").State);
    }

    [Theory]
    [InlineData("water", null, null, "source", "rule:known-source")]
    [InlineData(null, "2025-13", null, "from", "rule:period-format")]
    [InlineData(null, null, "next", "to", "rule:period-format")]
    [InlineData(null, "2025-04", "2025-Q1", "to", "rule:from-not-after-to")]
    public void Filter_BadParameter_RefusedNamingItAndTheRule(string? source, string? from, string? to, string parameter, string rule)
    {
        var (filter, refusal) = SupplyFilter.Parse(source, from, to);
        Assert.Null(filter);
        Assert.Equal(parameter, refusal!.Parameter);
        Assert.Equal(rule, refusal.Rule);
    }

    [Fact]
    public void Filter_FromQuarterToMonth_KeepsPeriodsEndingInBetween()
    {
        var (filter, _) = SupplyFilter.Parse(null, "2024-Q4", "2025-01");
        var now = new DateTimeOffset(2025, 6, 1, 0, 0, 0, China);
        var kept = SupplyCalendar.Build(TestCore.Core.Reference.Supply.Rules, [], now).Where(filter!.Includes).Select(c => $"{c.Source} {c.Period}");
        // The year 2024 and 2024-Q4 end in December; months October 2024 to January 2025.
        Assert.Equal(
            ["statistics 2024", "statistics 2024-Q4",
             "power-grid 2024-10", "power-grid 2024-11", "power-grid 2024-12", "power-grid 2025-01",
             "transport 2024-10", "transport 2024-11", "transport 2024-12", "transport 2025-01",
             "environment 2024-10", "environment 2024-11", "environment 2024-12", "environment 2025-01"],
            kept);
    }

    [Fact]
    public void ReferenceFile_OneRulePerSourceAndKindItSends()
    {
        var rules = TestCore.Core.Reference.Supply.Rules;
        Assert.Equal(
            ["environment month", "power-grid month", "statistics quarter", "statistics year", "transport month"],
            rules.Select(r => $"{r.Source} {r.PeriodKind}").Order(StringComparer.Ordinal));
    }
}
