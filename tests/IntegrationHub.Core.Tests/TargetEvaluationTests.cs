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
        return months.Select((m, i) => Environment(m, Air(m).WithBuildings(newPerMonth, greenByMonth.Length == 0 ? 0 : greenByMonth[i % greenByMonth.Length], withPv, eligible)));
    }

    private static IEnumerable<JsonObject> AirOnlyFeeds(string period) => MonthsOf(period).Select(m => Environment(m, Air(m)));

    // ------------------------------------------------------------------ energy-intensity-2025: ≤ −14, baseline 0

    [Theory]
    [InlineData("2024-Q4", 125000, 48, "met")]         // −20 ≤ −14
    [InlineData("2024-Q4", 115000, 48, "on-track")]    // −13.04 ≤ required −11.2
    [InlineData("2024-Q4", 105000, 48, "off-track")]   // −4.76
    [InlineData("2025-Q3", 116000, 57, "on-track")]    // −13.79 ≤ required −13.3
    [InlineData("2025-Q3", 115000, 57, "off-track")]   // −13.04 > required −13.3 (on track a year earlier)
    [InlineData("2024", 115000, 48, "on-track")]
    [InlineData("2024", 105000, 48, "off-track")]
    public void Build_EnergyIntensityTarget_StatusAgainstLinearPath(string period, double gdpNow, int m, string status)
    {
        const double gdp2020 = 100000;
        var t = Evaluate(period, "energy-intensity-2025", [.. EnergyFeeds(period, gdpNow), .. EnergyFeeds(In2020(period), gdp2020)]);

        // the same energy in both periods, so intensity now / intensity 2020 = GDP 2020 / GDP now
        var actual = ((gdp2020 / gdpNow) - 1) * 100;
        var required = 0 + ((-14 - 0) * Math.Min(1, m / M));
        AssertTarget(t, threshold: -14, baseline: 0, required: required, actual: actual, status);
    }

    [Fact]
    public void Build_EnergyIntensityTargetWithout2020Statistics_NoData()
    {
        var t = Evaluate("2024-Q4", "energy-intensity-2025", [.. EnergyFeeds("2024-Q4", 100000), .. EnergyFeeds("2020-Q4", 100000, statistics: false)]);
        Assert.Null(t.Actual);
        Assert.Equal("no-data", t.Status);
    }

    // ------------------------------------------------------------------ carbon-intensity-falling: < 0, baseline 0

    /// <summary>
    /// The path runs from 0 to 0, so required is 0 at every period and on-track cannot occur: whatever satisfies
    /// "&lt; required" also satisfies "&lt; threshold" and is met.
    /// </summary>
    [Theory]
    [InlineData("2024-Q4", 105000, "met")]         // −4.76 < 0
    [InlineData("2024-Q4", 100000, "off-track")]   // 0 is not < 0
    [InlineData("2024-Q4", 95000, "off-track")]    // +5.26
    [InlineData("2025-Q3", 101000, "met")]
    [InlineData("2024", 90000, "off-track")]
    public void Build_CarbonIntensityTarget_MetOrOffTrackOnAPathFromZeroToZero(string period, double gdpNow, string status)
    {
        const double gdp2020 = 100000;
        var t = Evaluate(period, "carbon-intensity-falling", [.. EnergyFeeds(period, gdpNow), .. EnergyFeeds(In2020(period), gdp2020)]);

        var actual = ((gdp2020 / gdpNow) - 1) * 100;   // same emissions in both periods
        AssertTarget(t, threshold: 0, baseline: 0, required: 0, actual: actual, status);
    }

    [Fact]
    public void Build_CarbonIntensityTargetWithoutCurrentStatistics_NoData()
    {
        var t = Evaluate("2024-Q4", "carbon-intensity-falling", [.. EnergyFeeds("2024-Q4", 100000, statistics: false), .. EnergyFeeds("2020-Q4", 100000)]);
        Assert.Null(t.Actual);
        Assert.Equal("no-data", t.Status);
    }

    // ------------------------------------------------------------------ non-fossil-rising: > the 2020 value, no path

    /// <summary>(PV MWh) × 0.1229 / (raw coal 1 000 t × 0.7143 + grid MWh × 0.1229) × 100 for one street.</summary>
    private static double NonFossilShare(double pvPerMonth, int months) =>
        months * pvPerMonth * 0.1229 / ((1000 * 0.7143) + (months * 1000 * 0.1229)) * 100;

    [Theory]
    [InlineData("2024-Q4", 150, "met")]
    [InlineData("2024-Q4", 100, "off-track")]   // equal to 2020 is not rising
    [InlineData("2024-Q4", 50, "off-track")]
    [InlineData("2025-Q3", 120, "met")]
    [InlineData("2024", 150, "met")]
    [InlineData("2024", 90, "off-track")]
    public void Build_NonFossilRisingTarget_ThresholdIs2020ValueNoPath(string period, double pvNow, string status)
    {
        const double pv2020 = 100;
        var t = Evaluate(period, "non-fossil-rising", [.. EnergyFeeds(period, 100000, pvNow), .. EnergyFeeds(In2020(period), 100000, pv2020)]);

        var months = MonthsOf(period).Length;
        AssertTarget(t, threshold: NonFossilShare(pv2020, months), baseline: null, required: null, actual: NonFossilShare(pvNow, months), status);
    }

    [Fact]
    public void Build_NonFossilRisingTargetWithoutCurrentStatistics_NoData()
    {
        var t = Evaluate("2024-Q4", "non-fossil-rising", [.. EnergyFeeds("2024-Q4", 100000, 150, statistics: false), .. EnergyFeeds("2020-Q4", 100000, 100)]);
        Assert.Null(t.Actual);
        Assert.Equal("no-data", t.Status);
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
    [InlineData("2024-Q4", "new", 125, 0, "met")]            // PUE 1.25 ≤ 1.3
    [InlineData("2024-Q4", "new", 135, 1, "off-track")]      // 1.35 > 1.3
    [InlineData("2024-Q4", "existing", 145, 0, "met")]       // 1.45 ≤ 1.5
    [InlineData("2024", "existing", 160, 1, "off-track")]    // 1.6 > 1.5
    public void Build_DataCentrePueTarget_MetOrOffTrack(string period, string centreStatus, double totalMwhPer100It, int nonCompliant, string status)
    {
        var t = Evaluate(period, "data-centre-pue",
            MonthsOf(period).Select(m => Environment(m, Air(m).WithDataCentres(("DC-1", "数据中心", centreStatus, 100, totalMwhPer100It)))));
        AssertTarget(t, threshold: 0, baseline: null, required: null, actual: nonCompliant, status);
    }

    [Fact]
    public void Build_DataCentrePueTargetWithoutEnvironment_NoData()
    {
        var t = Evaluate("2024-Q4", "data-centre-pue", EnergyFeeds("2024-Q4", 1000));
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
        var doc = Build("2024-Q4", HandFeeds.Accept(AirOnlyFeeds("2024-Q4")));
        Assert.DoesNotContain(doc.Area("XJNA").Indicators.Keys, id => id.StartsWith("dc.", StringComparison.Ordinal));
        var t = doc.Target("data-centre-pue");
        Assert.Null(t.Actual);
        Assert.Equal("no-data", t.Status);
    }

    [Fact]
    public void Build_DataCentrePueTargetEmptyDataCentreList_MetWithNoCentre()
    {
        var doc = Build("2024-Q4", HandFeeds.Accept(MonthsOf("2024-Q4").Select(m => Environment(m, Air(m).WithDataCentres()))));
        var t = doc.Target("data-centre-pue");
        AssertTarget(t, threshold: 0, baseline: null, required: null, actual: 0, "met");
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
    public void Build_AnyPeriod_ListsTheSevenContractTargetsForXjna()
    {
        var doc = Build("2024-Q4", HandFeeds.Accept(EnergyFeeds("2024-Q4", 1000)));
        Assert.Equal(
            new[] { "carbon-intensity-falling", "charging-coverage", "data-centre-pue", "energy-intensity-2025", "green-buildings", "non-fossil-rising", "pv-public-buildings" },
            doc.Targets.Select(t => t.Id).Order(StringComparer.Ordinal));
        var byId = doc.Targets.ToDictionary(t => t.Id);
        Assert.Equal(("energy.intensityChangeVs2020Pct", "<=", "2025-12-31"), (byId["energy-intensity-2025"].Indicator, byId["energy-intensity-2025"].Comparator, byId["energy-intensity-2025"].Deadline));
        Assert.Equal(("carbon.intensityChangeVs2020Pct", "<"), (byId["carbon-intensity-falling"].Indicator, byId["carbon-intensity-falling"].Comparator));
        Assert.Equal(("energy.nonFossilSharePct", ">"), (byId["non-fossil-rising"].Indicator, byId["non-fossil-rising"].Comparator));
        Assert.Equal(("power.pvPublicBuildingsSharePct", ">="), (byId["pv-public-buildings"].Indicator, byId["pv-public-buildings"].Comparator));
        Assert.Equal(("transport.chargingCoveragePct", ">="), (byId["charging-coverage"].Indicator, byId["charging-coverage"].Comparator));
        Assert.Equal(("dc.nonCompliant", "="), (byId["data-centre-pue"].Indicator, byId["data-centre-pue"].Comparator));
        Assert.Equal(("buildings.newGreenCompliancePct", ">="), (byId["green-buildings"].Indicator, byId["green-buildings"].Comparator));
    }
}
