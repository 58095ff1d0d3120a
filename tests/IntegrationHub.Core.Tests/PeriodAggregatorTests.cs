using System.Text.Json.Nodes;
using IntegrationHub.Core.Consolidation;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Normalisation;
using IntegrationHub.Core.Tests.Support;
using static IntegrationHub.Core.Tests.Support.DatasetLookup;
using static IntegrationHub.Core.Tests.Support.FeedBuilder;
using static IntegrationHub.Core.Tests.Support.HandFeeds;

namespace IntegrationHub.Core.Tests;

/// <summary>
/// feed-contract.md, "Aggregation to the data set": months into the period, child areas into parents, revisions,
/// completeness and provenance. Measures are read from <see cref="PeriodAggregator"/> where the contract speaks of feed
/// fields, and from the data set where it speaks of indicators, status, missing and quality.
/// </summary>
public class PeriodAggregatorTests
{
    private static readonly string[] Q4 = ["2024-10", "2024-11", "2024-12"];

    private static PeriodFacts Aggregate(string period, IEnumerable<JsonObject> feeds) =>
        new PeriodAggregator(TestCore.Core.Reference).Aggregate(Period.Parse(period), HandFeeds.Accept(feeds));

    private static double Measure(PeriodFacts facts, string area, string measure)
    {
        Assert.True(facts.Areas.ContainsKey(area), $"no facts for {area}");
        var fact = facts.Areas[area].Get(measure);
        Assert.True(fact is not null, $"no {measure} for {area}");
        return fact!.Value;
    }

    [Fact]
    public void Aggregate_QuarterFlows_SummedOverMonthsAndChildAreas()
    {
        var facts = Aggregate("2024-Q4",
        [
            Statistics("2024-Q4",
                StatisticsRecord(S1, 1, 1, ("industry", "raw-coal", 100)),
                StatisticsRecord(S2, 1, 1, ("industry", "raw-coal", 200)),
                StatisticsRecord(W, 1, 1, ("industry", "raw-coal", 50))),
            PowerGrid("2024-10", PowerGridRecord(S1, [("industry", 100)], pvGenerationMwh: 10),
                PowerGridRecord(S2, [("industry", 200)], pvGenerationMwh: 20), PowerGridRecord(W, [("industry", 50)], pvGenerationMwh: 5)),
            PowerGrid("2024-11", PowerGridRecord(S1, [("industry", 110)], pvGenerationMwh: 11),
                PowerGridRecord(S2, [("industry", 210)], pvGenerationMwh: 21), PowerGridRecord(W, [("industry", 50)], pvGenerationMwh: 5)),
            PowerGrid("2024-12", PowerGridRecord(S1, [("industry", 120)], pvGenerationMwh: 12),
                PowerGridRecord(S2, [("industry", 220)], pvGenerationMwh: 22), PowerGridRecord(W, [("industry", 50)], pvGenerationMwh: 5)),
            Transport("2024-10", TransportRecord(S1, [("bus", 1, 1)], 10, 1, chargingMwh: 5, gasolineT: 10),
                TransportRecord(S2, [("bus", 1, 1)], 10, 1, chargingMwh: 1, gasolineT: 2)),
            Transport("2024-11", TransportRecord(S1, [("bus", 1, 1)], 10, 1, chargingMwh: 6, gasolineT: 20),
                TransportRecord(S2, [("bus", 1, 1)], 10, 1, chargingMwh: 1, gasolineT: 2)),
            Transport("2024-12", TransportRecord(S1, [("bus", 1, 1)], 10, 1, chargingMwh: 7, gasolineT: 30),
                TransportRecord(S2, [("bus", 1, 1)], 10, 1, chargingMwh: 1, gasolineT: 2)),
            Environment(
                "2024-10", EnvironmentRecord(S1, 50, 30, 20, 31, 1).WithBuildings(2, 2, 0, 0),
                EnvironmentRecord(W, 50, 30, 20, 31, 10).WithBuildings(1, 1, 0, 0)),
            Environment(
                "2024-11", EnvironmentRecord(S1, 50, 30, 20, 30, 2).WithBuildings(3, 3, 0, 0),
                EnvironmentRecord(W, 50, 30, 20, 30, 10).WithBuildings(1, 1, 0, 0)),
            Environment(
                "2024-12", EnvironmentRecord(S1, 50, 30, 20, 31, 3).WithBuildings(4, 4, 0, 0),
                EnvironmentRecord(W, 50, 30, 20, 31, 10).WithBuildings(1, 1, 0, 0)),
        ]);

        // power grid: S1 100 + 110 + 120, S2 200 + 210 + 220, W 3 × 50
        Assert.Equal(330, Measure(facts, S1, "consumption.industry"));
        Assert.Equal(630, Measure(facts, S2, "consumption.industry"));
        Assert.Equal(330 + 630, Measure(facts, District, "consumption.industry"));
        Assert.Equal(150, Measure(facts, Managed, "consumption.industry"));
        Assert.Equal(330 + 630 + 150, Measure(facts, Root, "consumption.industry"));
        Assert.Equal((10 + 11 + 12) + (20 + 21 + 22) + (3 * 5), Measure(facts, Root, "pvGenerationMwh"));
        // transport
        Assert.Equal(5 + 6 + 7, Measure(facts, S1, "chargingMwh"));
        Assert.Equal((5 + 6 + 7) + (3 * 1), Measure(facts, District, "chargingMwh"));
        Assert.Equal((10 + 20 + 30) + (3 * 2), Measure(facts, Root, "fuelSales.gasolineT"));
        // environment: carbon sink and new buildings completed are flows
        Assert.Equal(1 + 2 + 3, Measure(facts, S1, "carbonSinkTco2"));
        Assert.Equal((1 + 2 + 3) + (3 * 10), Measure(facts, Root, "carbonSinkTco2"));
        Assert.Equal((2 + 3 + 4) + (3 * 1), Measure(facts, Root, "buildings.newCivilBuildings"));
        // statistics (one quarterly feed): over child areas
        Assert.Equal(100 + 200, Measure(facts, District, "energy.industry.raw-coal"));
        Assert.Equal(100 + 200 + 50, Measure(facts, Root, "energy.industry.raw-coal"));
    }

    [Fact]
    public void Aggregate_QuarterStocks_LastMonthSummedOverChildAreasNeverOverMonths()
    {
        var facts = Aggregate("2024-Q4",
        [
            PowerGrid("2024-10", PowerGridRecord(S1, [("industry", 1)], pvInstalledKw: 1000, pvPublicKw: 100),
                PowerGridRecord(S2, [("industry", 1)], pvInstalledKw: 500, pvPublicKw: 50), PowerGridRecord(W, [("industry", 1)], pvInstalledKw: 300)),
            PowerGrid("2024-11", PowerGridRecord(S1, [("industry", 1)], pvInstalledKw: 1100, pvPublicKw: 150),
                PowerGridRecord(S2, [("industry", 1)], pvInstalledKw: 600, pvPublicKw: 60), PowerGridRecord(W, [("industry", 1)], pvInstalledKw: 300)),
            PowerGrid("2024-12", PowerGridRecord(S1, [("industry", 1)], pvInstalledKw: 1200, pvPublicKw: 200),
                PowerGridRecord(S2, [("industry", 1)], pvInstalledKw: 700, pvPublicKw: 70), PowerGridRecord(W, [("industry", 1)], pvInstalledKw: 300)),
            Transport("2024-10", TransportRecord(S1, [("bus", 100, 50)], 1000, 100, chargers: 10),
                TransportRecord(S2, [("bus", 40, 40)], 500, 50, chargers: 5)),
            Transport("2024-11", TransportRecord(S1, [("bus", 100, 60)], 1100, 200, chargers: 20),
                TransportRecord(S2, [("bus", 40, 40)], 500, 50, chargers: 5)),
            Transport("2024-12", TransportRecord(S1, [("bus", 100, 70)], 1200, 300, chargers: 30),
                TransportRecord(S2, [("bus", 40, 40)], 500, 50, chargers: 5)),
            Environment(
                "2024-10", EnvironmentRecord(S1, 50, 30, 20, 31).WithBuildings(0, 0, 5, 20), EnvironmentRecord(S2, 50, 30, 20, 31).WithBuildings(0, 0, 3, 10)),
            Environment(
                "2024-11", EnvironmentRecord(S1, 50, 30, 20, 30).WithBuildings(0, 0, 6, 20), EnvironmentRecord(S2, 50, 30, 20, 30).WithBuildings(0, 0, 3, 10)),
            Environment(
                "2024-12", EnvironmentRecord(S1, 50, 30, 20, 31).WithBuildings(0, 0, 7, 21), EnvironmentRecord(S2, 50, 30, 20, 31).WithBuildings(0, 0, 3, 10)),
        ]);

        // December of each child, added over the children (not 1000 + 1100 + 1200)
        Assert.Equal(1200, Measure(facts, S1, "pvInstalledKw"));
        Assert.Equal(1200 + 700, Measure(facts, District, "pvInstalledKw"));
        Assert.Equal(1200 + 700 + 300, Measure(facts, Root, "pvInstalledKw"));
        Assert.Equal(200 + 70, Measure(facts, District, "pvPublicBuildingsInstalledKw"));
        Assert.Equal(100 + 40, Measure(facts, Root, "vehicles.bus.total"));
        Assert.Equal(70 + 40, Measure(facts, Root, "vehicles.bus.nev"));
        Assert.Equal(1200 + 500, Measure(facts, Root, "publicParkingSpaces"));
        Assert.Equal(300 + 50, Measure(facts, Root, "publicParkingSpacesWithChargers"));
        Assert.Equal(30 + 5, Measure(facts, Root, "publicChargers"));
        Assert.Equal(7 + 3, Measure(facts, Root, "buildings.publicBuildingsWithPv"));
        Assert.Equal(21 + 10, Measure(facts, Root, "buildings.publicBuildingsEligibleForPv"));
    }

    [Fact]
    public void Aggregate_YearStocks_DecemberNotTwelveMonthsAdded()
    {
        var facts = Aggregate("2024", Enumerable.Range(1, 12).Select(m =>
            PowerGrid(Month(2024, m), PowerGridRecord(S1, [("industry", 10)], pvInstalledKw: 1000 + (10 * m)))));
        Assert.Equal(1000 + (10 * 12), Measure(facts, Root, "pvInstalledKw"));   // December
        Assert.Equal(12 * 10, Measure(facts, Root, "consumption.industry"));        // flow: all twelve months
    }

    [Fact]
    public void Build_LastMonthFeedMissing_StockFromEarlierMonthEstimatedWithWarning()
    {
        // no power-grid feed for December: the stock is November's, the flow covers two months only
        var feeds = HandFeeds.Accept(
        [
            PowerGrid("2024-10", PowerGridRecord(S1, [("industry", 100)], pvInstalledKw: 1000)),
            PowerGrid("2024-11", PowerGridRecord(S1, [("industry", 100)], pvInstalledKw: 1100)),
        ]);
        var november = feeds[1].FeedId;
        var doc = Build("2024-Q4", feeds);

        var stock = doc.Indicator(S1, "power.pvInstalledKw");
        Assert.Equal(1100, stock.Value);
        Assert.Equal([november], stock.Sources);
        Assert.Equal("estimated", stock.Quality);
        Assert.Contains(doc.Warnings, w => w.AreaCode == S1 && (w.FeedIds ?? []).Contains(november));
        Assert.Equal("partial", doc.Indicator(S1, "power.consumptionMwh").Quality);
    }

    [Fact]
    public void Build_StockAbsentFromLastMonthRecord_TakenFromEarlierMonthEstimatedWithWarning()
    {
        // all three environment feeds arrived, but December's record carries no buildings block
        var feeds = HandFeeds.Accept(
        [
            Environment("2024-10", EnvironmentRecord(S1, 50, 30, 20, 31).WithBuildings(1, 1, 5, 20)),
            Environment("2024-11", EnvironmentRecord(S1, 50, 30, 20, 30).WithBuildings(1, 1, 6, 20)),
            Environment("2024-12", EnvironmentRecord(S1, 50, 30, 20, 31)),
        ]);
        var doc = Build("2024-Q4", feeds);

        var share = doc.Indicator(S1, "power.pvPublicBuildingsSharePct");
        AssertClose(6.0 / 20 * 100, share.Value, "public buildings with PV, November");
        Assert.Equal("estimated", share.Quality);
        Assert.Contains(doc.Warnings, w => w.AreaCode == S1 && (w.FeedIds ?? []).Contains(feeds[1].FeedId));
    }

    [Fact]
    public void Build_AirQualityOverMonthsAndAreas_DayWeightedGoodDaysSummed()
    {
        // S1: AQI 40 (31 days), 100 (30 days), 70 (31 days); S2: AQI 60 on 10, 30 and 31 valid days
        var doc = Build("2024-Q4", HandFeeds.Accept(
        [
            Environment("2024-10", EnvironmentRecord(S1, 40, 20, 30, 31), EnvironmentRecord(S2, 60, 35, 10, 10)),
            Environment("2024-11", EnvironmentRecord(S1, 100, 80, 10, 30), EnvironmentRecord(S2, 60, 35, 25, 30)),
            Environment("2024-12", EnvironmentRecord(S1, 70, 50, 20, 31), EnvironmentRecord(S2, 60, 35, 30, 31)),
        ]));

        var s1AqiDays = (40 * 31) + (100 * 30) + (70 * 31);
        var s1Pm25Days = (20 * 31) + (80 * 30) + (50 * 31);
        var s2Days = 10 + 30 + 31;
        doc.AssertIndicator(S1, "env.aqiMean", s1AqiDays / 92.0);
        doc.AssertIndicator(S1, "env.pm25UgM3", s1Pm25Days / 92.0);
        doc.AssertIndicator(S1, "env.goodDayRatioPct", (30 + 10 + 20) / 92.0 * 100);
        doc.AssertIndicator(District, "env.aqiMean", (s1AqiDays + (60.0 * s2Days)) / (92 + s2Days));
        doc.AssertIndicator(District, "env.pm25UgM3", (s1Pm25Days + (35.0 * s2Days)) / (92 + s2Days));
        doc.AssertIndicator(District, "env.goodDayRatioPct", ((30 + 10 + 20) + (10 + 25 + 30)) / (double)(92 + s2Days) * 100);
    }

    [Fact]
    public void Build_ParentSentDirectlyBeyondTolerance_ParentWinsWithWarning()
    {
        // 430104 sends 1 000 MWh a month itself; its streets add up to 450 + 500 = 950 (5 % less)
        var doc = Build("2024-Q4", HandFeeds.Accept(Q4.Select(m => PowerGrid(m,
            PowerGridRecord(District, [("industry", 1000)]),
            PowerGridRecord(S1, [("industry", 450)]),
            PowerGridRecord(S2, [("industry", 500)]),
            PowerGridRecord(W, [("industry", 100)])))));

        doc.AssertIndicator(District, "power.consumptionMwh", 3 * 1000);
        doc.AssertIndicator(S1, "power.consumptionMwh", 3 * 450);
        doc.AssertIndicator(Root, "power.consumptionMwh", (3 * 1000) + (3 * 100));   // the district's own value, not 2 850 + 300
        Assert.Contains(doc.Warnings, w => w.AreaCode == District);
    }

    [Fact]
    public void Build_ParentSentDirectlyWithinTolerance_ParentWinsWithoutWarning()
    {
        // 1 000 against 497 + 500 = 997: 0.3 % apart, within 0.5 %
        var doc = Build("2024-Q4", HandFeeds.Accept(Q4.Select(m => PowerGrid(m,
            PowerGridRecord(District, [("industry", 1000)]),
            PowerGridRecord(S1, [("industry", 497)]),
            PowerGridRecord(S2, [("industry", 500)])))));

        doc.AssertIndicator(District, "power.consumptionMwh", 3 * 1000);
        doc.AssertIndicator(Root, "power.consumptionMwh", 3 * 1000);
        Assert.DoesNotContain(doc.Warnings, w => w.AreaCode == District);
    }

    [Fact]
    public void Build_OverlayPark_OwnIndicatorsNotAddedToXjna()
    {
        var doc = Build("2024-Q4", HandFeeds.Accept(Q4.Select(m => PowerGrid(m,
            PowerGridRecord(S1, [("industry", 100)]),
            PowerGridRecord(W, [("industry", 50)]),
            PowerGridRecord("PARK_MXH", [("industry", 700)])))));

        doc.AssertIndicator("PARK_MXH", "power.consumptionMwh", 3 * 700);
        doc.AssertIndicator(Root, "power.consumptionMwh", (3 * 100) + (3 * 50));
        Assert.DoesNotContain(doc.Areas, a => a.AreaCode == "PARK_YH");   // an overlay without records of its own
    }

    [Fact]
    public void Build_SeveralRevisions_LatestWinsOlderIgnoredWhateverTheOrder()
    {
        var r0 = Statistics("2024-Q4", StatisticsRecord(S1, 1000, 1000, ("industry", "raw-coal", 100))).Accept();
        var r1 = Statistics("2024-Q4", StatisticsRecord(S1, 1000, 1250, ("industry", "raw-coal", 100))).WithRevision(1).Accept();
        var grid = Q4.Select(m => PowerGrid(m, PowerGridRecord(S1, [("industry", 100)])).Accept()).ToList();
        var novemberR1 = PowerGrid("2024-11", PowerGridRecord(S1, [("industry", 130)])).WithRevision(1).Accept();

        // the corrections arrive first, the originals later
        var doc = Build("2024-Q4", [r1, novemberR1, r0, .. grid]);

        // (raw coal 100 t × 0.7143 + grid (100 + 130 + 100) MWh × c_2024 0.3007 (2.0: 2022's value carried forward)) / GDP 1 250 of revision 1
        doc.AssertIndicator(S1, "energy.intensity", ((100 * 0.7143) + ((100 + 130 + 100) * 0.3007)) / 1250);
        var inputs = doc.Inputs.Select(i => i.FeedId).ToArray();
        Assert.Contains(r1.FeedId, inputs);
        Assert.Contains(novemberR1.FeedId, inputs);
        Assert.DoesNotContain(r0.FeedId, inputs);
        Assert.DoesNotContain(grid[1].FeedId, inputs);
        Assert.Equal(
            new[] { r1.FeedId, grid[0].FeedId, novemberR1.FeedId, grid[2].FeedId }.Order(StringComparer.Ordinal),
            doc.Indicator(S1, "energy.totalTce").Sources.Order(StringComparer.Ordinal));
    }

    // ------------------------------------------------------------------ completeness, missing, provenance

    /// <summary>Every source for one street (S1), for a quarter of 2024 and the same quarter of 2020.</summary>
    private static List<JsonObject> CompleteQuarter(params string[] leaveOut)
    {
        var feeds = new List<JsonObject>();
        foreach (var year in (int[])[2024, 2020])
        {
            feeds.Add(Statistics(
                $"{year}-Q4",
                StatisticsRecord(S1, 1100, year == 2024 ? 1000 : 900, ("industry", "raw-coal", year == 2024 ? 100 : 120), ("industry", "heat", 10))));
            for (var month = 10; month <= 12; month++)
            {
                var period = Month(year, month);
                feeds.Add(PowerGrid(
                    period, PowerGridRecord(S1, [("industry", 100)], pvInstalledKw: 50, pvPublicKw: 10, pvGenerationMwh: 5, greenPowerTradedMwh: 1)));
                feeds.Add(Transport(
                    period, TransportRecord(S1, [("bus", 10, 5), ("private", 100, 10)], 100, 20, chargers: 5, chargingMwh: 1, gasolineT: 10, dieselT: 5)));
                feeds.Add(Environment(period, EnvironmentRecord(S1, 50, 30, 20, DateTime.DaysInMonth(year, month), 3)
                    .WithDataCentres(("DC-1", "数据中心", "new", 100, 120))
                    .WithBuildings(2, 1, 3, 6)));
            }
        }

        return feeds.Where(f => !leaveOut.Contains($"{f["source"]}/{f["period"]}")).ToList();
    }

    /// <summary>
    /// Data set 2.0 also lists the feeds of the periods a comparison reads (earlier quarters, the previous year) in
    /// <c>missing</c>, without making the data set partial; these tests are about the quarter's own feeds.
    /// </summary>
    private static string[] OwnMissing(Datasets.DatasetDocument doc) =>
        [.. doc.Missing.Where(m => !OptionalInputIndicators.Contains(m))
            .Where(m => m.Split(':') is not [_, var p] || Period.Parse("2024-Q4").Contains(Period.Parse(p))
            || Period.Parse("2020-Q4").Contains(Period.Parse(p)))];

    /// <summary>Indicators whose inputs are optional fields the hand feeds (1.0) never send, or that sum optional fields.</summary>
    private static readonly string[] OptionalInputIndicators =
    [
        "transport.publicSectorNewZeroEmissionPct", "buildings.newGreenFloorAreaPct", "transport.transitBoardings10k",
        "power.demandResponseEvents", "power.demandResponseCurtailedMwh",
    ];

    [Fact]
    public void Build_AllSourcesAllMonths_CompleteNothingMissing()
    {
        var doc = Build("2024-Q4", HandFeeds.Accept(CompleteQuarter()));

        Assert.Equal("complete", doc.Status);
        Assert.Empty(OwnMissing(doc));
        var root = doc.Area(Root).Indicators;
        Assert.Equal(IndicatorCatalog.All.Count - OptionalInputIndicators.Length, root.Count);
        // 2.0: the hand feeds are power-grid 1.0, so every month takes the default grid share s_y and what is built on it is an estimate
        string[] onDefaultGridShare =
        [
            "power.gridNonFossilSharePct", "energy.nonFossilTce", "energy.nonFossilSharePct",
            "energy.assessedTce", "energy.assessedIntensity", "energy.assessedIntensityChangeVs2020Pct",
        ];
        Assert.All(root, i => Assert.Equal(onDefaultGridShare.Contains(i.Key) ? "estimated" : "complete", i.Value.Quality));
    }

    [Fact]
    public void Build_OneMonthMissing_PartialMonthListedIndicatorsPartial()
    {
        var doc = Build("2024-Q4", HandFeeds.Accept(CompleteQuarter("power-grid/2024-11")));

        Assert.Equal("partial", doc.Status);
        // the form of an entry is the data-set schema's decision ("missing" description): {source}:{YYYY-MM} for a month
        Assert.Contains("power-grid:2024-11", doc.Missing);
        Assert.DoesNotContain(
            OwnMissing(doc), m => m.StartsWith("statistics", StringComparison.Ordinal) || m.StartsWith("transport", StringComparison.Ordinal)
            || m.StartsWith("environment", StringComparison.Ordinal));
        Assert.Equal("partial", doc.Indicator(Root, "power.consumptionMwh").Quality);
        Assert.Equal("partial", doc.Indicator(Root, "energy.totalTce").Quality);
        Assert.Equal("partial", doc.Indicator(S1, "carbon.electricityTco2").Quality);
        // statistics and environment arrived in full: their own indicators stay complete
        Assert.Equal("complete", doc.Indicator(Root, "carbon.directTco2").Quality);
        Assert.Equal("complete", doc.Indicator(Root, "env.aqiMean").Quality);
        // the flow covers October and December only: 2 × 100 MWh
        doc.AssertIndicator(Root, "power.consumptionMwh", 2 * 100);
    }

    [Fact]
    public void Build_SourceAbsent_ItsIndicatorsOmittedAndListedMissing()
    {
        var doc = Build("2024-Q4", HandFeeds.Accept(CompleteQuarter(
            "transport/2024-10", "transport/2024-11", "transport/2024-12", "transport/2020-10", "transport/2020-11", "transport/2020-12")));

        Assert.Equal("partial", doc.Status);
        Assert.All(doc.Areas, a => Assert.DoesNotContain(a.Indicators.Keys, id => id.StartsWith("transport.", StringComparison.Ordinal)));
        foreach (var expected in (string[])["transport:2024-10", "transport:2024-11", "transport:2024-12",
                     "transport.nevSharePct", "transport.publicSectorNevSharePct", "transport.chargingCoveragePct", "transport.roadFuelTco2"])
        {
            Assert.Contains(expected, doc.Missing);
        }

        // the other sources' indicators are all there
        Assert.Equal(IndicatorCatalog.All.Count - OptionalInputIndicators.Length - 4, doc.Area(Root).Indicators.Count);
    }

    [Fact]
    public void Build_Provenance_SourcesListExactlyTheFeedsUsed()
    {
        var feeds = HandFeeds.Accept(CompleteQuarter());
        string Id(string source, string period) => feeds.Single(f => f.Source == source && f.Period == period).FeedId;
        string[] Months(string source, int year) => [Id(source, Month(year, 10)), Id(source, Month(year, 11)), Id(source, Month(year, 12))];
        var statistics = Id("statistics", "2024-Q4");
        var grid = Months("power-grid", 2024);
        var transport = Months("transport", 2024);
        var environment = Months("environment", 2024);
        var doc = Build("2024-Q4", feeds);

        void Sources(string id, params string[] expected) =>
            Assert.Equal(expected.Order(StringComparer.Ordinal), doc.Indicator(Root, id).Sources.Order(StringComparer.Ordinal));

        Sources("energy.totalTce", [statistics, .. grid]);
        Sources("energy.intensity", [statistics, .. grid]);
        Sources("energy.intensityChangeVs2020Pct", [statistics, .. grid, Id("statistics", "2020-Q4"), .. Months("power-grid", 2020)]);
        Sources("carbon.directTco2", statistics);
        Sources("carbon.heatTco2", statistics);
        Sources("carbon.electricityTco2", grid);
        Sources("carbon.netTco2", [statistics, .. grid, .. environment]);
        Sources("power.consumptionMwh", grid);
        Sources("power.pvGenerationMwh", grid);
        Sources("power.pvInstalledKw", grid[2]);                       // a stock: December only
        Sources("power.pvPublicBuildingsSharePct", environment[2]);    // stocks of December
        Sources("transport.chargingCoveragePct", transport[2]);
        Sources("transport.nevSharePct", transport[2]);
        Sources("transport.roadFuelTco2", transport);
        Sources("buildings.newGreenCompliancePct", environment);
        Sources("env.aqiMean", environment);
        Sources("env.carbonSinkTco2", environment);
        Sources("dc.pueMax", environment);
    }
}
