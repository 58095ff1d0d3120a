using System.Text.Json.Nodes;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Tests.Support;
using static IntegrationHub.Core.Tests.Support.DatasetLookup;
using static IntegrationHub.Core.Tests.Support.FeedBuilder;

namespace IntegrationHub.Core.Tests;

/// <summary>
/// feed-contract.md, "Targets", through the data set: required = baseline + (threshold − baseline) × min(1, m / 60),
/// m = whole months from 2020-12 to the period's last month (2024-Q4 → 48, 2025-Q3 → 57, 2024 → 48);
/// met / on-track / off-track / no-data. Data for one street, so XJNA carries the street's values.
/// </summary>
public class TargetEvaluationTests
{
    private const string Street = "430104010";

    /// <summary>M = whole months from 2020-12 to the deadline's month 2025-12.</summary>
    private const double M = 60;

    private static string[] MonthsOf(string period) => Period.Parse(period).Months().Select(p => p.ToString()).ToArray();

    private static string In2020(string period) => Period.Parse(period).InYear(2020).ToString();

    private static TargetStatus Evaluate(string period, string target, IEnumerable<JsonObject> feeds) =>
        Build(period, HandFeeds.Accept(feeds)).Target(target);

    private static void AssertTarget(TargetStatus t, double? threshold, double? baseline, double? required, double? actual, string status)
    {
        AssertClose(threshold, t.Threshold, $"{t.Id} threshold");
        AssertClose(baseline, t.Baseline, $"{t.Id} baseline");
        AssertClose(required, t.Required, $"{t.Id} required");
        AssertClose(actual, t.Actual, $"{t.Id} actual");
        Assert.Equal(status, t.Status);
    }

    // ------------------------------------------------------------------ feeds

    /// <summary>Statistics (1 000 t raw coal, the given GDP at 2020 prices) and power grid (1 000 MWh and PV a month).</summary>
    private static IEnumerable<JsonObject> EnergyFeeds(string period, double gdpConstant, double pvMwhPerMonth = 0, bool statistics = true)
    {
        if (statistics)
        {
            yield return Statistics(period, StatisticsRecord(Street, gdpConstant, gdpConstant, ("industry", "raw-coal", 1000)));
        }

        foreach (var month in MonthsOf(period))
        {
            yield return PowerGrid(month, PowerGridRecord(Street, [("industry", 1000)], pvGenerationMwh: pvMwhPerMonth));
        }
    }

    private static IEnumerable<JsonObject> ParkingFeeds(string period, int spaces, int withChargers) =>
        MonthsOf(period).Select(m => Transport(m, TransportRecord(Street, [("private", 100, 10)], spaces, withChargers)));

    private static JsonObject Air(string month)
    {
        var period = Period.Parse(month);
        return EnvironmentRecord(Street, 50, 30, 20, DateTime.DaysInMonth(period.Year, period.Index));
    }

    /// <summary>Environment with buildings: public buildings with PV / eligible (stocks), new civil / green per month (flows).</summary>
    private static IEnumerable<JsonObject> BuildingFeeds(string period, int withPv, int eligible, int newPerMonth, params int[] greenByMonth)
    {
        var months = MonthsOf(period);
        return months.Select((m, i) =>
            Environment(m, Air(m).WithBuildings(newPerMonth, greenByMonth.Length == 0 ? 0 : greenByMonth[i % greenByMonth.Length], withPv, eligible)));
    }

    private static IEnumerable<JsonObject> AirOnlyFeeds(string period) => MonthsOf(period).Select(m => Environment(m, Air(m)));

    // ------------------------------------------------------------------ energy-intensity-2025 (2.0): assessed intensity ≤ −14, baseline 0

    // c_y (domain.md): 2020 0.3055 tce/MWh; 2023 and 2024 carry 2022's 0.3007. s_y = 40 % (1.0 power-grid feeds send no share).
    private static double C(int year) => year == 2020 ? 0.3055 : 0.3007;

    /// <summary>Assessed tce of the street: raw coal 1 000 t × 0.7143 + E × c − (pv + (E − pv) × 0.40) × c, E = 1 000 MWh a month.</summary>
    private static double Assessed(int year, int months, double pvPerMonth = 0)
    {
        var e = months * 1000.0;
        var pv = months * pvPerMonth;
        return (1000 * 0.7143) + (e * C(year)) - ((pv + ((e - pv) * 0.40)) * C(year));
    }

    [Theory]
    [InlineData(115000, "met")]         // (2879.34 / 115 000) / (2913.9 / 100 000) − 1 = −14.07 % ≤ −14
    [InlineData(113000, "on-track")]    // −12.55 % ≤ required −14 × 48/60 = −11.2
    [InlineData(110000, "off-track")]   // −10.17 %
    [InlineData(105000, "off-track")]   // −5.89 %
    public void Build_EnergyIntensityTargetOnAYear_AssessedIntensityAgainstLinearPath(double gdpNow, string status)
    {
        const double gdp2020 = 100000;
        var t = Evaluate("2024", "energy-intensity-2025", [.. EnergyFeeds("2024", gdpNow), .. EnergyFeeds("2020", gdp2020)]);

        var actual = ((Assessed(2024, 12) / gdpNow / (Assessed(2020, 12) / gdp2020)) - 1) * 100;
        var required = 0 + ((-14 - 0) * Math.Min(1, 48 / M));
        AssertTarget(t, threshold: -14, baseline: 0, required: required, actual: actual, status);
        Assert.Equal(("energy.assessedIntensityChangeVs2020Pct", "annual-path", true), (t.Indicator, t.Basis, t.Binding));
    }

    [Fact]
    public void Build_EnergyIntensityTargetWithout2020Statistics_NoData()
    {
        var t = Evaluate("2024", "energy-intensity-2025", [.. EnergyFeeds("2024", 100000), .. EnergyFeeds("2020", 100000, statistics: false)]);
        Assert.Null(t.Actual);
        Assert.Equal("no-data", t.Status);
    }

    // ------------------------------------------------------------------ carbon-intensity-vs-changsha: benchmark, else proxy −18 on the path

    [Theory]
    [InlineData(125000, "met")]         // −20 ≤ −18
    [InlineData(118000, "on-track")]    // −15.25 ≤ required −18 × 48/60 = −14.4
    [InlineData(116000, "off-track")]   // −13.79
    public void Build_CarbonTargetOnAYearWithoutBenchmark_ProxyOnThePath(double gdpNow, string status)
    {
        const double gdp2020 = 100000;
        var t = Evaluate("2024", "carbon-intensity-vs-changsha", [.. EnergyFeeds("2024", gdpNow), .. EnergyFeeds("2020", gdp2020)]);

        var actual = ((gdp2020 / gdpNow) - 1) * 100;   // same emissions in both years: the grid factor is fixed
        AssertTarget(t, threshold: -18, baseline: 0, required: -18 * 48 / M, actual: actual, status);
        Assert.Equal(("proxy", "<="), (t.Basis, t.Comparator));
    }

    [Theory]
    [InlineData(-10, "met")]         // −13.79 < Changsha's −10
    [InlineData(-15, "off-track")]   // −13.79 is not below −15
    public void Build_CarbonTargetOnAYearWithBenchmark_MetOrOffTrackAgainstChangsha(double changsha, string status)
    {
        const double gdp2020 = 100000;
        var statistics = Statistics("2024", StatisticsRecord(Street, 116000, 116000, ("industry", "raw-coal", 1000)));
        statistics["schemaVersion"] = "1.1";
        statistics["benchmarks"] = new JsonObject { ["changshaCarbonIntensityChangeVs2020Pct"] = changsha };
        var t = Evaluate(
            "2024", "carbon-intensity-vs-changsha", [statistics, .. EnergyFeeds("2024", 116000, statistics: false), .. EnergyFeeds("2020", gdp2020)]);

        AssertTarget(t, threshold: changsha, baseline: 0, required: changsha, actual: ((gdp2020 / 116000) - 1) * 100, status);
        Assert.Equal(("annual-path", "<"), (t.Basis, t.Comparator));
    }

    [Fact]
    public void Build_CarbonIntensityTargetWithoutCurrentStatistics_NoData()
    {
        var t = Evaluate("2024", "carbon-intensity-vs-changsha", [.. EnergyFeeds("2024", 100000, statistics: false), .. EnergyFeeds("2020", 100000)]);
        Assert.Null(t.Actual);
        Assert.Equal("no-data", t.Status);
    }

    // ------------------------------------------------------------------ non-fossil-rising: > previous year and > base year

    /// <summary>(pv + (E − pv) × 0.40) × c / (raw coal 1 000 t × 0.7143 + E × c) × 100; the c cancels only partly (coal is fixed).</summary>
    private static double NonFossilShare(int year, double pvPerMonth, int months)
    {
        var e = months * 1000.0;
        var pv = months * pvPerMonth;
        return (pv + ((e - pv) * 0.40)) * C(year) / ((1000 * 0.7143) + (e * C(year))) * 100;
    }

    [Theory]
    [InlineData(150, 120, 100, "met")]
    [InlineData(150, 160, 100, "off-track")]   // below the previous year
    [InlineData(150, 120, 200, "off-track")]   // below the base year
    public void Build_NonFossilRisingOnAYear_AbovePreviousAndBase(double pvNow, double pvPrevious, double pv2020, string status)
    {
        var t = Evaluate("2024", "non-fossil-rising",
            [.. EnergyFeeds("2024", 100000, pvNow), .. EnergyFeeds("2023", 100000, pvPrevious), .. EnergyFeeds("2020", 100000, pv2020)]);

        var baseShare = NonFossilShare(2020, pv2020, 12);
        AssertTarget(
            t, threshold: baseShare, baseline: baseShare, required: NonFossilShare(2023, pvPrevious, 12), actual: NonFossilShare(2024, pvNow, 12), status);
    }

    [Fact]
    public void Build_NonFossilRisingOnAYearWithoutPreviousYear_NoDataAndListedMissing()
    {
        var doc = Build("2024", HandFeeds.Accept([.. EnergyFeeds("2024", 100000, 150), .. EnergyFeeds("2020", 100000, 100)]));
        Assert.Equal("no-data", doc.Target("non-fossil-rising").Status);
        Assert.Contains("statistics:2023", doc.Missing);
        Assert.Contains("power-grid:2023-12", doc.Missing);
    }

    [Theory]
    [InlineData(150, 100, "green")]
    [InlineData(100, 100, "red")]    // equal is not rising
    public void Build_NonFossilRisingOnAQuarter_YearToDateAgainstPreviousYear(double pvNow, double pvPrevious, string status)
    {
        var t = Evaluate("2024-Q2", "non-fossil-rising",
            [.. EnergyFeeds("2024-Q1", 100000, pvNow), .. EnergyFeeds("2024-Q2", 100000, pvNow), .. EnergyFeeds("2023-Q1", 100000, pvPrevious),
                .. EnergyFeeds("2023-Q2", 100000, pvPrevious)]);

        // two quarters alike, so the year-to-date share is one quarter's
        AssertTarget(t, threshold: null, baseline: null, required: NonFossilShare(2023, pvPrevious, 3), actual: NonFossilShare(2024, pvNow, 3), status);
        Assert.Equal("ytd-yoy", t.Basis);
    }

    // ------------------------------------------------------------------ pv-public-buildings: ≥ 100, baseline 2020 value

    [Theory]
    [InlineData("2024-Q4", 50, 48, "met")]          // 100 %
    [InlineData("2024-Q4", 45, 48, "on-track")]     // 90 % ≥ 20 + 80 × 48/60 = 84
    [InlineData("2024-Q4", 30, 48, "off-track")]    // 60 %
    [InlineData("2025-Q3", 45, 57, "off-track")]    // 90 % < 20 + 80 × 57/60 = 96
    [InlineData("2025-Q3", 49, 57, "on-track")]     // 98 %
    [InlineData("2024", 45, 48, "on-track")]
    public void Build_PvPublicBuildingsTarget_PathFrom2020Value(string period, int withPvNow, int m, string status)
    {
        // 2020: 10 of 50 eligible public buildings have PV = 20 %
        var t = Evaluate(period, "pv-public-buildings", [.. BuildingFeeds(period, withPvNow, 50, 0), .. BuildingFeeds(In2020(period), 10, 50, 0)]);

        var baseline = 10 / 50.0 * 100;
        var required = baseline + ((100 - baseline) * Math.Min(1, m / M));
        AssertTarget(t, threshold: 100, baseline: baseline, required: required, actual: withPvNow / 50.0 * 100, status);
    }

    [Fact]
    public void Build_PvPublicBuildingsTargetWithoutBuildings_NoData()
    {
        var t = Evaluate("2024-Q4", "pv-public-buildings", [.. AirOnlyFeeds("2024-Q4"), .. BuildingFeeds("2020-Q4", 10, 50, 0)]);
        Assert.Null(t.Actual);
        Assert.Equal("no-data", t.Status);
    }

    // ------------------------------------------------------------------ charging-coverage: ≥ 30, baseline 2020 value

    [Theory]
    [InlineData("2024-Q4", 350, 48, "met")]         // 35 %
    [InlineData("2024-Q4", 280, 48, "on-track")]    // 28 % ≥ 10 + 20 × 48/60 = 26
    [InlineData("2024-Q4", 200, 48, "off-track")]   // 20 %
    [InlineData("2025-Q3", 280, 57, "off-track")]   // 28 % < 10 + 20 × 57/60 = 29
    [InlineData("2025-Q3", 295, 57, "on-track")]    // 29.5 %
    [InlineData("2024", 280, 48, "on-track")]
    public void Build_ChargingCoverageTarget_PathFrom2020Value(string period, int withChargersNow, int m, string status)
    {
        // 2020: 100 of 1 000 public parking spaces with a charger = 10 %
        var t = Evaluate(period, "charging-coverage", [.. ParkingFeeds(period, 1000, withChargersNow), .. ParkingFeeds(In2020(period), 1000, 100)]);

        var baseline = 100 / 1000.0 * 100;
        var required = baseline + ((30 - baseline) * Math.Min(1, m / M));
        AssertTarget(t, threshold: 30, baseline: baseline, required: required, actual: withChargersNow / 1000.0 * 100, status);
    }

    [Fact]
    public void Build_ChargingCoverageTargetWithoutTransport_NoData()
    {
        var t = Evaluate("2024-Q4", "charging-coverage", [.. EnergyFeeds("2024-Q4", 1000), .. ParkingFeeds("2020-Q4", 1000, 100)]);
        Assert.Null(t.Actual);
        Assert.Equal("no-data", t.Status);
    }

    // ------------------------------------------------------------------ data-centre-pue: = 0 non-compliant, no path

    [Theory]
    [InlineData("new", 125, "data-centre-pue-new", 0, "met")]                  // PUE 1.25 ≤ 1.3
    [InlineData("new", 135, "data-centre-pue-new", 1, "off-track")]            // 1.35 > 1.3
    [InlineData("existing", 145, "data-centre-pue-existing", 0, "met")]        // 1.45 ≤ 1.5
    [InlineData("existing", 160, "data-centre-pue-existing", 1, "off-track")]  // 1.6 > 1.5
    public void Build_DataCentrePueTargetsOnAYear_MetOrOffTrackByStatus(
        string centreStatus, double totalMwhPer100It, string target, int nonCompliant, string status)
    {
        var t = Evaluate("2024", target,
            MonthsOf("2024").Select(m => Environment(m, Air(m).WithDataCentres(("DC-1", "数据中心", centreStatus, 100, totalMwhPer100It)))));
        AssertTarget(t, threshold: 0, baseline: null, required: null, actual: nonCompliant, status);
        Assert.Equal(target == "data-centre-pue-new", t.Binding);   // existing centres: "strive for" (力争)
    }

    [Theory]
    [InlineData("data-centre-pue-new")]
    [InlineData("data-centre-pue-existing")]
    public void Build_DataCentrePueTargetsOnAQuarter_NotAssessed(string target)
    {
        var t = Evaluate("2024-Q4", target, MonthsOf("2024-Q4").Select(m => Environment(m, Air(m).WithDataCentres(("DC-1", "数据中心", "new", 100, 160)))));
        Assert.Equal(("not-assessed", (string?)null), (t.Status, t.Basis));
    }

    [Fact]
    public void Build_DataCentrePueTargetWithoutEnvironment_NoData()
    {
        var t = Evaluate("2024", "data-centre-pue-new", EnergyFeeds("2024", 1000));
        Assert.Null(t.Actual);
        Assert.Equal("no-data", t.Status);
    }

    /// <summary>
    /// dataCentres is optional: environment feeds that never mention data centres are no input for dc.* ("absent inputs →
    /// indicator omitted"), so the target cannot be judged; an empty list would state "no data centre" (schema decision).
    /// </summary>
    [Fact]
    public void Build_DataCentrePueTargetEnvironmentWithoutDataCentres_NoData()
    {
        var doc = Build("2024", HandFeeds.Accept(AirOnlyFeeds("2024")));
        Assert.DoesNotContain(doc.Area("XJNA").Indicators.Keys, id => id.StartsWith("dc.", StringComparison.Ordinal));
        var t = doc.Target("data-centre-pue-new");
        Assert.Null(t.Actual);
        Assert.Equal("no-data", t.Status);
    }

    [Fact]
    public void Build_DataCentrePueTargetEmptyDataCentreList_MetWithNoCentre()
    {
        var doc = Build("2024", HandFeeds.Accept(MonthsOf("2024").Select(m => Environment(m, Air(m).WithDataCentres()))));
        AssertTarget(doc.Target("data-centre-pue-new"), threshold: 0, baseline: null, required: null, actual: 0, "met");
        AssertTarget(doc.Target("data-centre-pue-existing"), threshold: 0, baseline: null, required: null, actual: 0, "met");
    }

    // ------------------------------------------------------------------ green-buildings: ≥ 100, baseline 2020 value

    [Theory]
    [InlineData("2024-Q4", 10, new[] { 10, 10, 10 }, 30 / 30.0 * 100, 48, "met")]
    [InlineData("2024-Q4", 10, new[] { 10, 9, 9 }, 28 / 30.0 * 100, 48, "on-track")]     // 93.3 % ≥ 50 + 50 × 48/60 = 90
    [InlineData("2024-Q4", 10, new[] { 8, 8, 8 }, 24 / 30.0 * 100, 48, "off-track")]     // 80 %
    [InlineData("2025-Q3", 10, new[] { 10, 9, 9 }, 28 / 30.0 * 100, 57, "off-track")]    // 93.3 % < 50 + 50 × 57/60 = 97.5
    [InlineData("2025-Q3", 40, new[] { 40, 40, 39 }, 119 / 120.0 * 100, 57, "on-track")] // 99.2 %
    [InlineData("2024", 10, new[] { 10, 9 }, 114 / 120.0 * 100, 48, "on-track")]         // 6 × 10 + 6 × 9 = 114 of 120 = 95 %
    public void Build_GreenBuildingsTarget_PathFrom2020Value(string period, int newPerMonth, int[] greenByMonth, double actual, int m, string status)
    {
        // 2020: 5 of 10 new civil buildings a month green = 50 %
        var t = Evaluate(period, "green-buildings", [.. BuildingFeeds(period, 0, 0, newPerMonth, greenByMonth), .. BuildingFeeds(In2020(period), 0, 0, 10, 5)]);

        var baseline = 5 / 10.0 * 100;
        var required = baseline + ((100 - baseline) * Math.Min(1, m / M));
        AssertTarget(t, threshold: 100, baseline: baseline, required: required, actual: actual, status);
    }

    [Fact]
    public void Build_GreenBuildingsTargetWithoutBuildings_NoData()
    {
        var t = Evaluate("2024-Q4", "green-buildings", [.. AirOnlyFeeds("2024-Q4"), .. BuildingFeeds("2020-Q4", 0, 0, 10, 5)]);
        Assert.Null(t.Actual);
        Assert.Equal("no-data", t.Status);
    }

    // ------------------------------------------------------------------ the list

    [Fact]
    public void Build_AnyPeriod_ListsTheNineContractTargetsForXjna()
    {
        var doc = Build("2024-Q4", HandFeeds.Accept(EnergyFeeds("2024-Q4", 1000)));
        Assert.Equal(
            new[] { "carbon-intensity-vs-changsha", "charging-coverage", "data-centre-pue-existing", "data-centre-pue-new", "energy-intensity-2025",
                "green-buildings", "non-fossil-rising", "public-sector-new-vehicles-zero-emission", "pv-public-buildings" },
            doc.Targets.Select(t => t.Id).Order(StringComparer.Ordinal));
        var byId = doc.Targets.ToDictionary(t => t.Id);
        Assert.Equal(
            ("energy.assessedIntensityChangeVs2020Pct", "<=", "2025-12-31"),
            (byId["energy-intensity-2025"].Indicator, byId["energy-intensity-2025"].Comparator, byId["energy-intensity-2025"].Deadline));
        Assert.Equal(
            ("carbon.intensityChangeVs2020Pct", "<="), (byId["carbon-intensity-vs-changsha"].Indicator, byId["carbon-intensity-vs-changsha"].Comparator));
        Assert.Equal(("energy.nonFossilSharePct", ">"), (byId["non-fossil-rising"].Indicator, byId["non-fossil-rising"].Comparator));
        Assert.Equal(("power.pvPublicBuildingsSharePct", ">="), (byId["pv-public-buildings"].Indicator, byId["pv-public-buildings"].Comparator));
        Assert.Equal(("transport.chargingCoveragePct", ">="), (byId["charging-coverage"].Indicator, byId["charging-coverage"].Comparator));
        Assert.Equal(("dc.nonCompliantNew", "="), (byId["data-centre-pue-new"].Indicator, byId["data-centre-pue-new"].Comparator));
        Assert.Equal(("dc.nonCompliantExisting", "="), (byId["data-centre-pue-existing"].Indicator, byId["data-centre-pue-existing"].Comparator));
        // no floor areas in the period: the entry names the count-based indicator it used
        Assert.Equal(("buildings.newGreenCompliancePct", ">="), (byId["green-buildings"].Indicator, byId["green-buildings"].Comparator));
        Assert.Equal(
            ("transport.publicSectorNewZeroEmissionPct", ">="),
            (byId["public-sector-new-vehicles-zero-emission"].Indicator, byId["public-sector-new-vehicles-zero-emission"].Comparator));
        // quarterly bases: early warnings for intensity and non-fossil, the quarter's value on the path, PUE not assessed
        Assert.Equal("ytd-yoy", byId["energy-intensity-2025"].Basis);
        Assert.Equal("ytd-yoy", byId["carbon-intensity-vs-changsha"].Basis);
        Assert.Equal("annual-path", byId["charging-coverage"].Basis);
        Assert.Null(byId["data-centre-pue-new"].Basis);
    }
}
