using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Consolidation;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Normalisation;
using IntegrationHub.Core.Tests.Support;

namespace IntegrationHub.Core.Tests;

public sealed class DatasetPeriodsTests
{
    private static string[] Affected(string feed, params string[] existing) =>
        [.. DatasetPeriods.AffectedBy(Period.Parse(feed), existing.Select(Period.Parse)).Select(p => p.ToString())];

    [Theory]
    [InlineData("transport", "2025-04")]
    [InlineData("environment", "2024-11")]
    public void ReachesOtherPeriods_NonComparisonSourceOutsideTheBaseYear_NothingBeyondItsOwnQuarterAndYear(string source, string period)
    {
        var all = new[] { "2020", "2020-Q2", "2024", "2024-Q2", "2024-Q4", "2025", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q2" }.Select(Period.Parse).ToList();
        var feed = Period.Parse(period);

        // Skipping the listing of stored periods for such a feed must change nothing: with every period listed it
        // still reaches only its own quarter and year.
        Assert.False(DatasetPeriods.ReachesOtherPeriods(feed, source));
        Assert.Equal(DatasetPeriods.AffectedBy(feed, source, []), DatasetPeriods.AffectedBy(feed, source, all));
    }

    [Theory]
    [InlineData("power-grid", "2025-04")]
    [InlineData("statistics", "2024-Q2")]
    [InlineData("transport", "2020-04")]
    public void ReachesOtherPeriods_ComparisonSourceOrBaseYear_True(string source, string period) =>
        Assert.True(DatasetPeriods.ReachesOtherPeriods(Period.Parse(period), source));

    [Fact]
    public void AffectedBy_Month_IsItsQuarterAndYear()
    {
        Assert.Equal(["2024", "2024-Q2"], Affected("2024-05").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AffectedBy_TransportMonth_ReachesNoLaterQuarterOrNextYear()
    {
        // Year-to-date and previous-year comparisons read statistics and the grid only (contract 2.0, early warning).
        Assert.Equal(
            ["2024", "2024-Q2"],
            [.. DatasetPeriods.AffectedBy(
            Period.Parse("2024-05"), FeedSource.Transport, [Period.Parse("2024-Q3"), Period.Parse("2025-Q2"), Period.Parse("2025")])
            .Select(p => p.ToString()).Order(StringComparer.Ordinal)]);
        Assert.Equal(
            ["2024", "2024-Q2", "2024-Q3", "2025", "2025-Q2"],
            [.. DatasetPeriods.AffectedBy(
            Period.Parse("2024-05"), FeedSource.PowerGrid, [Period.Parse("2024-Q3"), Period.Parse("2025-Q2"), Period.Parse("2025")])
            .Select(p => p.ToString()).Order(StringComparer.Ordinal)]);
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
        // 2.0: the previous year too (early warnings, non-fossil-rising)
        Assert.Equal([2024, 2023, 2020], DatasetPeriods.LedgerYears(Period.Parse("2024-Q3")));
        Assert.Equal([2020, 2019], DatasetPeriods.LedgerYears(Period.Parse("2020-Q3")));
    }

    /// <summary>Every valid sample feed, plus corrections of some, as a ledger holds them.</summary>
    private static readonly Lazy<IReadOnlyList<NormalisedFeed>> LedgerOfSamples = new(() =>
    {
        var files = new[] { "2020", "2024", "2025" }.SelectMany(year => Directory.GetFiles(Path.Combine(RepoPaths.SampleFeeds, year), "*.json"))
            .Order(StringComparer.Ordinal);
        var feeds = files.Select(f => ((JsonObject)JsonNode.Parse(File.ReadAllText(f))!).Accept()).ToList();

        // Corrections of some periods: a build must take them over the first releases, which stay in the ledger (and
        // differ in feed id, which the data set's inputs name).
        foreach (var file in new[] { "2024/power-grid-2024-05-r0.json", "2020/transport-2020-02-r0.json", "2024/statistics-2024-r0.json" })
        {
            feeds.Add(((JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.SampleFeeds, file)))!).WithRevision(7).Accept());
        }

        // Two more sends of the same revision: one from another system at the same time (the feed id settles it), one
        // produced an hour later (it wins).
        foreach (var (producer, later) in new[] { ("tie-by-feed-id", TimeSpan.Zero), ("tie-by-produced-at", TimeSpan.FromHours(1)) })
        {
            var tie = ((JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.SampleFeeds, "2024", "transport-2024-05-r0.json")))!).WithRevision(3);
            tie["producer"] = producer;
            tie["producedAt"] = DateTimeOffset.Parse(tie["producedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
                .Add(later).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
            feeds.Add(tie.Accept());
        }

        feeds.Add(((JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.SampleFeeds, "2024", "transport-2024-05-r0.json")))!)
            .WithRevision(3).Accept());

        return feeds;
    });

    [Theory]
    [InlineData("2024-Q2")]
    [InlineData("2024-Q4")]
    [InlineData("2024")]
    [InlineData("2020-Q1")]
    [InlineData("2020")]
    [InlineData("2025-Q1")]
    public void SelectInputs_FromAWholeLedger_BuildsTheSameDataSetAsEveryFeedDoes(string period)
    {
        var all = LedgerOfSamples.Value;

        var selected = DatasetPeriods.SelectInputs(Period.Parse(period), all, f => new LedgerKey(f.Source, f.Period, f.Revision, f.ProducedAt, f.FeedId));

        Assert.True(selected.Count < all.Count, $"{selected.Count} of {all.Count} feeds selected for {period}");
        Assert.Equal(selected.Count, selected.Select(f => (f.Source, f.Period)).Distinct().Count());
        Assert.Equal(
            JsonSerializer.Serialize(DatasetLookup.Build(period, all), HubJson.Options),
            JsonSerializer.Serialize(DatasetLookup.Build(period, selected), HubJson.Options));
    }

    [Fact]
    public void SelectInputs_KeepsWhatTheDataSetReadsAtItsHighestRevisionOnly()
    {
        (string Source, string Period, int Revision)[] ledger =
        [
            ("statistics", "2024-Q2", 0), ("statistics", "2024-Q2", 1), ("statistics", "2024", 0), ("statistics", "2020-Q2", 0),
            ("power-grid", "2024-04", 0), ("power-grid", "2024-06", 2), ("power-grid", "2024-06", 2), ("power-grid", "2024-07", 0),
            ("transport", "2020-05", 0), ("transport", "2020-05", 1), ("transport", "2020-09", 0), ("environment", "2023-06", 0),
        ];

        var selected = DatasetPeriods.SelectInputs(Period.Parse("2024-Q2"), ledger, e => new LedgerKey(e.Source, e.Period, e.Revision));

        Assert.Equal(
            [("power-grid", "2024-04", 0), ("power-grid", "2024-06", 2), ("power-grid", "2024-06", 2), ("statistics", "2020-Q2", 0),
                ("statistics", "2024-Q2", 1), ("transport", "2020-05", 1)],
            selected.Order());
    }
}
