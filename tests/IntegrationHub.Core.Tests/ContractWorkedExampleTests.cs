using System.Text.Json.Nodes;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Tests.Support;
using static IntegrationHub.Core.Tests.Support.DatasetLookup;
using static IntegrationHub.Core.Tests.Support.FeedBuilder;

namespace IntegrationHub.Core.Tests;

/// <summary>The worked examples of feed-contract.md 2.0, fed through the hub as feeds and checked against the contract's figures.</summary>
public class ContractWorkedExampleTests
{
    private const string Street = "430104010";
    private const double ScRawCoal = 0.7143;   // GB/T 2589, tce/t

    private static JsonObject As11(JsonObject feed)
    {
        feed["schemaVersion"] = "1.1";
        return feed;
    }

    /// <summary>
    /// 2025-Q1, one area: FH = 60 000 tce (raw coal), feedstock 2 000 tce, pv 12 000 MWh, E = 150 000 / 140 000 / 160 000 MWh;
    /// January and February are 1.1 power-grid feeds with s_m = 36.0 and 38.0, March a 1.0 feed without a share (s_2025 = 40.0).
    /// </summary>
    private static IReadOnlyList<Normalisation.NormalisedFeed> NonFossilExample()
    {
        var statistics = As11(Statistics("2025-Q1", StatisticsRecord(Street, 1_000_000, 900_000, ("industry", "raw-coal", 60_000 / ScRawCoal))));
        statistics["records"]![0]!["feedstockTce"] = 2000;
        var january = As11(PowerGrid("2025-01", PowerGridRecord(Street, [("industry", 150_000)], pvGenerationMwh: 4000, greenPowerTradedMwh: 5000)));
        january["gridNonFossilSharePct"] = 36.0;
        var february = As11(PowerGrid("2025-02", PowerGridRecord(Street, [("industry", 140_000)], pvGenerationMwh: 4000)));
        february["gridNonFossilSharePct"] = 38.0;
        var march = PowerGrid("2025-03", PowerGridRecord(Street, [("industry", 160_000)], pvGenerationMwh: 4000));   // 1.0
        return HandFeeds.Accept([statistics, january, february, march]);
    }

    [Fact]
    public void Build_NonFossilWorkedExample_GivesTheContractsFigures()
    {
        var doc = Build("2025-Q1", NonFossilExample());

        // the contract's rounded figures
        Assert.Equal(38.0444, doc.Value(Street, "power.gridNonFossilSharePct"), 4);
        Assert.Equal(53_715.4, doc.Value(Street, "energy.nonFossilTce"), 1);
        Assert.Equal(195_315, doc.Value(Street, "energy.totalTce"), 6);
        Assert.Equal(27.502, doc.Value(Street, "energy.nonFossilSharePct"), 3);
        Assert.Equal(139_599.6, doc.Value(Street, "energy.assessedTce"), 1);
        Assert.Equal(47.964, doc.Value(Street, "energy.electricityShareOfFinalPct"), 3);

        // and the unrounded arithmetic, by hand: s̄, NFE, × c_2025 (0.3007, carried forward from 2022)
        var sBar = ((36.0 * 150_000) + (38.0 * 140_000) + (40.0 * 160_000)) / 450_000;
        var nonFossilTce = (12_000 + ((450_000 - 12_000) * sBar / 100)) * 0.3007;
        var totalTce = 60_000 + (450_000 * 0.3007);
        doc.AssertIndicator(Street, "energy.nonFossilSharePct", nonFossilTce / totalTce * 100);
        doc.AssertIndicator(Street, "energy.assessedTce", totalTce - nonFossilTce - 2000);
        doc.AssertIndicator(Street, "energy.assessedIntensity", (totalTce - nonFossilTce - 2000) / 900_000);
        doc.AssertIndicator(Street, "energy.feedstockTce", 2000);
        doc.AssertIndicator(Street, "energy.coalSharePct", 60_000 / totalTce * 100);
        doc.AssertIndicator(Street, "energy.sector.industryTce", totalTce);
        doc.AssertIndicator(Street, "energy.sector.commercialTce", 0);
        doc.AssertIndicator(Street, "energy.fuel.electricityTce", 450_000 * 0.3007);
        doc.AssertIndicator(Street, "energy.fuel.rawCoalTce", 60_000);
        // residual mix of 2025: 2023's 0.6096 carried forward; green trades count here, never in the non-fossil share
        doc.AssertIndicator(Street, "carbon.electricityMarketTco2", (450_000 - 12_000 - 5000) * 0.6096);
        doc.AssertIndicator(Street, "carbon.sector.industryTco2", (60_000 / ScRawCoal * (20.908 * 26.37 / 1000 * 0.94 * 44 / 12)) + (450_000 * 0.5703));
        // the parent carries the same (one street only)
        doc.AssertIndicator("XJNA", "energy.nonFossilSharePct", nonFossilTce / totalTce * 100);
    }

    [Fact]
    public void Build_MonthOnTheDefaultGridShare_EstimatedWithWarnings()
    {
        var doc = Build("2025-Q1", NonFossilExample());

        foreach (var id in (string[])[
            "power.gridNonFossilSharePct", "energy.nonFossilTce", "energy.nonFossilSharePct", "energy.assessedTce", "energy.assessedIntensity"])
        {
            Assert.Equal("estimated", doc.Indicator(Street, id).Quality);
        }

        Assert.Equal("complete", doc.Indicator(Street, "energy.totalTce").Quality);
        var defaulted = Assert.Single(doc.Warnings, w => w.Code == "grid-mix-default-used" && w.Message.Contains("2025-03", StringComparison.Ordinal));
        Assert.DoesNotContain("2025-01", defaulted.Message, StringComparison.Ordinal);
        Assert.Contains(
            doc.Warnings, w => w.Code == "coefficient-carried-forward"
            && w.Message.Contains("electricity.coalEquivalent.2022", StringComparison.Ordinal) && w.Message.Contains("2025", StringComparison.Ordinal));
        Assert.Contains(doc.Inputs, i => i.SchemaVersion == "1.0");
        Assert.Contains(doc.Inputs, i => i.SchemaVersion == "1.1");
        Assert.Equal("2.0", doc.SchemaVersion);
        Assert.Equal(
            ("2.0", "coal-equivalent-of-generation", "pv-plus-grid-mix", 2020),
            (doc.Methodology!.Version, doc.Methodology.Electricity, doc.Methodology.NonFossil, doc.Methodology.BaseYear));
    }

    [Fact]
    public void Build_EveryMonthWithItsGridShare_NotEstimatedNoGridWarning()
    {
        var feeds = new List<JsonObject>();
        foreach (var (month, share) in new[] { ("2025-01", 36.0), ("2025-02", 38.0), ("2025-03", 41.0) })
        {
            var feed = As11(PowerGrid(month, PowerGridRecord(Street, [("industry", 1000)])));
            feed["gridNonFossilSharePct"] = share;
            feeds.Add(feed);
        }

        var doc = Build("2025-Q1", HandFeeds.Accept(feeds));
        doc.AssertIndicator(Street, "power.gridNonFossilSharePct", (36.0 + 38.0 + 41.0) / 3);
        Assert.Equal("complete", doc.Indicator(Street, "power.gridNonFossilSharePct").Quality);
        Assert.DoesNotContain(doc.Warnings, w => w.Code == "grid-mix-default-used" && !w.Message.StartsWith("For ", StringComparison.Ordinal));
    }

    // ------------------------------------------------------------------ early warning (ytd-yoy)

    /// <summary>Statistics with raw coal worth <paramref name="assessedTce"/> and GDP; power grid months with no consumption (no non-fossil part).</summary>
    private static IEnumerable<JsonObject> Quarter(string quarter, double assessedTce, double gdp)
    {
        yield return Statistics(quarter, StatisticsRecord(Street, gdp, gdp, ("industry", "raw-coal", assessedTce / ScRawCoal)));
        foreach (var month in Period.Parse(quarter).Months())
        {
            yield return PowerGrid(month.ToString(), PowerGridRecord(Street, [("industry", 0)]));
        }
    }

    private static Datasets.DatasetDocument EarlyWarning(double q2Of2025, bool with2024Q1 = true) => Build("2025-Q2", HandFeeds.Accept(
    [
        .. Quarter("2025-Q1", 140_000, 900_000), .. Quarter("2025-Q2", q2Of2025, 1_000_000),
        .. with2024Q1 ? Quarter("2024-Q1", 139_000, 870_000) : Enumerable.Empty<JsonObject>(), .. Quarter("2024-Q2", 144_000, 950_000),
    ]));

    [Fact]
    public void Build_EarlyWarningWorkedExample_AmberAtMinus1841()
    {
        var t = EarlyWarning(150_000).Target("energy-intensity-2025");

        Assert.Equal(-1.841, t.Actual!.Value, 3);
        Assert.Equal(-2.9714, t.Required!.Value, 4);
        AssertClose(((290_000.0 / 1_900_000 / (283_000.0 / 1_820_000)) - 1) * 100, t.Actual, "ytdYoY");
        AssertClose((Math.Pow(1 - 0.14, 1.0 / 5) - 1) * 100, t.Required, "r");
        Assert.Equal(("amber", "ytd-yoy", "<=", -14.0), (t.Status, t.Basis, t.Comparator, t.Threshold!.Value));
        Assert.Null(t.Baseline);
    }

    [Theory]
    [InlineData(140_000, "green")]   // 280 000 / 1 900 000 = 0.147368: −5.226 % ≤ −2.9714
    [InlineData(150_000, "amber")]
    [InlineData(160_000, "red")]     // 300 000 / 1 900 000 = 0.157895: +1.54 % > 0
    public void Build_EarlyWarning_ColourByYearToDateChange(double q2Of2025, string colour)
    {
        var doc = EarlyWarning(q2Of2025);
        Assert.Equal(colour, doc.Target("energy-intensity-2025").Status);
        // the carbon target warns on the same ratio (raw coal only) against the proxy's rate −3.8913
        var carbon = doc.Target("carbon-intensity-vs-changsha");
        Assert.Equal(-3.8913, carbon.Required!.Value, 4);
        Assert.Equal(-18, carbon.Threshold);
        var ytd = ((((140_000 + q2Of2025) / 1_900_000) / (283_000.0 / 1_820_000)) - 1) * 100;
        Assert.Equal(ytd <= carbon.Required ? "green" : ytd <= 0 ? "amber" : "red", carbon.Status);
        AssertClose(ytd, carbon.Actual, "carbon ytdYoY");
    }

    [Fact]
    public void Build_EarlyWarningWithoutAQuarterOfThePreviousYear_NoDataAndListedMissing()
    {
        var doc = EarlyWarning(150_000, with2024Q1: false);
        Assert.Equal("no-data", doc.Target("energy-intensity-2025").Status);
        Assert.Contains("statistics:2024-Q1", doc.Missing);
        Assert.Contains("power-grid:2024-01", doc.Missing);
    }
}
