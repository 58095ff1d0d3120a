using IntegrationHub.Core.Feeds;

namespace IntegrationHub.Core.Tests;

public class PeriodTests
{
    [Theory]
    [InlineData("2024", PeriodKind.Year, 1, 12)]
    [InlineData("2024-Q1", PeriodKind.Quarter, 1, 3)]
    [InlineData("2024-Q4", PeriodKind.Quarter, 10, 12)]
    [InlineData("2025-09", PeriodKind.Month, 9, 9)]
    public void Parse_ValidText_GivesKindAndMonths(string text, PeriodKind kind, int first, int last)
    {
        var period = Period.Parse(text);
        Assert.Equal(kind, period.Kind);
        Assert.Equal(first, period.FirstMonth);
        Assert.Equal(last, period.LastMonth);
        Assert.Equal(text, period.ToString());
    }

    [Theory]
    [InlineData("24")]
    [InlineData("2024-Q5")]
    [InlineData("2024-Q0")]
    [InlineData("2024-13")]
    [InlineData("2024-00")]
    [InlineData("2024-1")]
    [InlineData("2024/03")]
    [InlineData("")]
    public void TryParse_InvalidText_Fails(string text)
    {
        Assert.False(Period.TryParse(text, out _));
    }

    [Fact]
    public void Months_OfAQuarter_AreItsThreeMonthsInOrder()
    {
        Assert.Equal(["2025-07", "2025-08", "2025-09"], Period.Parse("2025-Q3").Months().Select(m => m.ToString()));
    }

    [Fact]
    public void InYear_KeepsKindAndPosition()
    {
        Assert.Equal("2020-Q3", Period.Parse("2024-Q3").InYear(2020).ToString());
        Assert.Equal("2020", Period.Parse("2024").InYear(2020).ToString());
    }

    [Theory]
    [InlineData("2024-Q4", 48)]
    [InlineData("2024", 48)]
    [InlineData("2025-Q3", 57)]
    [InlineData("2025", 60)]
    [InlineData("2021-01", 1)]
    public void MonthsAfter_December2020_CountsWholeMonthsToTheLastMonth(string text, int months)
    {
        Assert.Equal(months, Period.Parse(text).MonthsAfter(2020, 12));
    }

    [Fact]
    public void Contains_MonthInItsQuarterAndYear()
    {
        var march = Period.Parse("2024-03");
        Assert.True(Period.Parse("2024-Q1").Contains(march));
        Assert.True(Period.Parse("2024").Contains(march));
        Assert.False(Period.Parse("2024-Q2").Contains(march));
        Assert.False(Period.Parse("2023").Contains(march));
    }
}
