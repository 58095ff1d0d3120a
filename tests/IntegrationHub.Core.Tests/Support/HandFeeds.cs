using System.Globalization;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Normalisation;
using static IntegrationHub.Core.Tests.Support.FeedBuilder;

namespace IntegrationHub.Core.Tests.Support;

/// <summary>
/// A small, complete picture of 2024 and of the 2020 baseline for three leaf areas: two streets of 岳麓区 and one
/// managed unit of 望城区. Every number is written here once; IndicatorCalculationTests recomputes the indicators
/// from these numbers by hand. Months January-September of 2024 share one set of values ("base"), October-December
/// each have their own, so quarter and year sums differ and stocks visibly come from December.
/// </summary>
internal static class HandFeeds
{
    /// <summary>梅溪湖街道, a street of 岳麓区 (430104).</summary>
    public const string S1 = "430104010";

    /// <summary>麓谷街道, a street of 岳麓区 (430104).</summary>
    public const string S2 = "430104011";

    /// <summary>金山桥街道, a 望城区 unit managed by the New Area (WCM).</summary>
    public const string W = "430112008";

    public const string District = "430104";
    public const string Managed = "WCM";
    public const string Root = "XJNA";

    private static readonly Lazy<IReadOnlyList<NormalisedFeed>> Standard = new(() => Accept(AllDocuments()));

    /// <summary>Every feed of the picture, accepted and normalised once per test run.</summary>
    public static IReadOnlyList<NormalisedFeed> All => Standard.Value;

    public static IReadOnlyList<NormalisedFeed> Accept(IEnumerable<JsonObject> feeds) => feeds.Select(f => f.Accept()).ToArray();

    public static IEnumerable<JsonObject> AllDocuments()
    {
        yield return Statistics2024Q4();
        yield return Statistics2020Q4();
        yield return Statistics2024();
        yield return Statistics2020();
        for (var month = 1; month <= 12; month++)
        {
            yield return PowerGrid2024(month);
            yield return PowerGrid2020(month);
            yield return Transport2024(month);
            yield return Environment2024(month);
        }
    }

    public static string Month(int year, int month) => string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{month:D2}");

    // ---------------------------------------------------------------- statistics (quarters and years)

    /// <param name="s1RawCoal">Raw coal of S1's industry, t (1000 in the first release; a revision may change it).</param>
    public static JsonObject Statistics2024Q4(double s1RawCoal = 1000) => Statistics("2024-Q4",
        StatisticsRecord(S1, 520000, 480000,
            ("industry", "raw-coal", s1RawCoal), ("commercial", "natural-gas", 50), ("transport", "gasoline", 200), ("transport", "diesel", 300),
            ("industry", "fuel-oil", 40), ("residential", "lpg", 60), ("industry", "heat", 5000), ("industry", "electricity", 9999)),
        StatisticsRecord(S2, 330000, 300000, ("industry", "natural-gas", 100), ("commercial", "heat", 2000), ("industry", "raw-coal", 500)),
        StatisticsRecord(W, 110000, 100000, ("industry", "raw-coal", 2000), ("construction", "diesel", 100)));

    public static JsonObject Statistics2020Q4() => Statistics("2020-Q4",
        StatisticsRecord(S1, 420000, 400000,
            ("industry", "raw-coal", 1200), ("commercial", "natural-gas", 40), ("transport", "gasoline", 150), ("transport", "diesel", 250),
            ("industry", "fuel-oil", 50), ("residential", "lpg", 50), ("industry", "heat", 4000)),
        StatisticsRecord(S2, 260000, 250000, ("industry", "natural-gas", 90), ("commercial", "heat", 1500), ("industry", "raw-coal", 600)),
        StatisticsRecord(W, 85000, 80000, ("industry", "raw-coal", 2500), ("construction", "diesel", 120)));

    public static JsonObject Statistics2024() => Statistics("2024",
        StatisticsRecord(S1, 1950000, 1800000,
            ("industry", "raw-coal", 4000), ("commercial", "natural-gas", 210), ("transport", "gasoline", 820), ("transport", "diesel", 1180),
            ("industry", "fuel-oil", 150), ("residential", "lpg", 230), ("industry", "heat", 21000), ("industry", "electricity", 38000)),
        StatisticsRecord(S2, 1250000, 1150000, ("industry", "natural-gas", 390), ("commercial", "heat", 7900), ("industry", "raw-coal", 2100)),
        StatisticsRecord(W, 420000, 390000, ("industry", "raw-coal", 7800), ("construction", "diesel", 410)));

    public static JsonObject Statistics2020() => Statistics("2020",
        StatisticsRecord(S1, 1550000, 1500000,
            ("industry", "raw-coal", 4700), ("commercial", "natural-gas", 160), ("transport", "gasoline", 600), ("transport", "diesel", 980),
            ("industry", "fuel-oil", 190), ("residential", "lpg", 200), ("industry", "heat", 16000)),
        StatisticsRecord(S2, 980000, 950000, ("industry", "natural-gas", 350), ("commercial", "heat", 6000), ("industry", "raw-coal", 2400)),
        StatisticsRecord(W, 310000, 300000, ("industry", "raw-coal", 9800), ("construction", "diesel", 470)));

    // ---------------------------------------------------------------- power grid (months)

    public static JsonObject PowerGrid2024(int month)
    {
        // S1: industry MWh, PV installed kW, of which public buildings kW, PV generated MWh
        var (s1Industry, s1PvKw, s1PvPublicKw, s1PvMwh) = month switch
        {
            10 => (2100.0, 5600.0, 1200.0, 500.0),
            11 => (2110.0, 5700.0, 1250.0, 480.0),
            12 => (2120.0, 5800.0, 1300.0, 420.0),
            _ => (2000.0, 5000.0, 1000.0, 450.0),
        };
        var s2PvKw = month switch { 10 => 3100.0, 11 => 3150.0, 12 => 3200.0, _ => 3000.0 };
        return PowerGrid(Month(2024, month),
            PowerGridRecord(S1, [("industry", s1Industry), ("commercial", 1000)], s1PvKw, s1PvPublicKw, s1PvMwh, peakLoadMw: 10, greenPowerTradedMwh: 300),
            PowerGridRecord(S2, [("industry", 1500), ("residential", 500)], s2PvKw, 600, 300, peakLoadMw: 6),
            PowerGridRecord(W, [("industry", 800)], 1000, 200, 100, peakLoadMw: 3, greenPowerTradedMwh: 50));
    }

    public static JsonObject PowerGrid2020(int month) => PowerGrid(Month(2020, month),
        PowerGridRecord(S1, [("industry", 1800), ("commercial", 900)], 1000, 100, 100, peakLoadMw: 8),
        PowerGridRecord(S2, [("industry", 1400), ("residential", 450)], 500, 50, 50, peakLoadMw: 5),
        PowerGridRecord(W, [("industry", 700)], 200, 20, 20, peakLoadMw: 2));

    // ---------------------------------------------------------------- transport (months, 2024 only)

    public static JsonObject Transport2024(int month)
    {
        // S1: private NEVs, spaces with chargers, chargers, charging MWh
        var (s1PrivateNev, s1WithChargers, s1Chargers, s1ChargingMwh) = month switch
        {
            10 => (1500, 500, 300, 100.0),
            11 => (1550, 520, 310, 110.0),
            12 => (1600, 540, 320, 120.0),
            _ => (1400, 400, 250, 80.0),
        };
        return Transport(Month(2024, month),
            TransportRecord(S1,
                [("bus", 100, 90), ("taxi", 200, 150), ("public-sector", 50, 20), ("logistics", 300, 60), ("sanitation", 40, 30),
                    ("private", 10000, s1PrivateNev)],
                spaces: 2000, spacesWithChargers: s1WithChargers, chargers: s1Chargers, chargingMwh: s1ChargingMwh, gasolineT: 1000, dieselT: 800),
            TransportRecord(
                S2, [("bus", 60, 60), ("private", 5000, 800)], spaces: 1000, spacesWithChargers: 250, chargers: 150, chargingMwh: 40, gasolineT: 500,
                dieselT: 200),
            TransportRecord(
                W, [("logistics", 100, 10), ("private", 3000, 300)], spaces: 500, spacesWithChargers: 100, chargers: 60, chargingMwh: 20,
                gasolineT: 300, dieselT: 400));
    }

    // ---------------------------------------------------------------- environment (months, 2024 only)

    public static JsonObject Environment2024(int month)
    {
        var days = DateTime.DaysInMonth(2024, month);
        // S1: AQI, PM2.5, valid days (28 of November's 30), good days, carbon sink
        var (s1Aqi, s1Pm25, s1Days, s1Good, s1Sink) = month switch
        {
            10 => (70.0, 40.0, 31, 28, 1000.0),
            11 => (50.0, 30.0, 28, 25, 1100.0),
            12 => (90.0, 60.0, 31, 20, 1200.0),
            _ => (60.0, 35.0, days, days - 5, 900.0),
        };
        // S1's new data centre: IT MWh and total MWh; November is a low-load month with a poor PUE
        var (dcIt, dcTotal) = month switch { 11 => (100.0, 160.0), 12 => (1000.0, 1250.0), _ => (1000.0, 1200.0) };
        // S1 buildings: new civil, of which green (flows); public with PV (stock), eligible 50
        var (newCivil, newGreen, withPv) = month switch { 10 => (10, 9, 20), 11 => (12, 12, 22), 12 => (6, 5, 25), _ => (8, 6, 18) };
        return Environment(Month(2024, month),
            EnvironmentRecord(S1, s1Aqi, s1Pm25, s1Good, s1Days, s1Sink)
                .WithDataCentres(("DC-MXH-01", "梅溪湖数据中心", "new", dcIt, dcTotal))
                .WithBuildings(newCivil, newGreen, withPv, 50),
            EnvironmentRecord(S2, 55, 32, days - 2, days, 500)
                .WithDataCentres(("DC-LG-01", "麓谷云计算中心", "existing", 2000, 3100))
                .WithBuildings(5, 5, 10, 30),
            EnvironmentRecord(W, 80, 45, days - 10, days, 2000)
                .WithDataCentres(("DC-JSQ-01", "金山桥智算中心", "new", 500, 700))
                .WithBuildings(4, 2, 5, 20));
    }
}
