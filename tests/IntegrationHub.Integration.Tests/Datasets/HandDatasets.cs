using IntegrationHub.Core.Datasets;

namespace IntegrationHub.Integration.Tests.Datasets;

/// <summary>
/// Small data sets written by hand for the query API's tests, in 2039 so no other test class's periods interfere.
/// 2039-Q4 has v1 and v2 published and a v3 written whose pointer move never happened; 2039-Q3 and the year 2039
/// have v1. The changes from v1 to v2 are listed by hand in the tests.
/// </summary>
internal static class HandDatasets
{
    public const string Quarter = "2039-Q4";
    public const string EarlierQuarter = "2039-Q3";
    public const string Year = "2039";

    public const string StatisticsR0 = "statistics-2039-Q4-r0-1111aaaa1111aaaa";
    public const string StatisticsR1 = "statistics-2039-Q4-r1-3333cccc3333cccc";
    public const string PowerGrid = "power-grid-2039-10-r0-2222bbbb2222bbbb";
    public const string Transport = "transport-2039-10-r0-4444dddd4444dddd";

    public static readonly DatasetDocument QuarterV1 = Document(Quarter, 1,
        [Input(StatisticsR0, "statistics", Quarter, 0), Input(PowerGrid, "power-grid", "2039-10", 0)],
        [
            Area("XJNA", ("energy.totalTce", 1000, "tce"), ("energy.intensity", 0.5, "tce / 10k CNY"), ("carbon.totalTco2", 2500, "t CO2"),
                ("power.consumptionMwh", 4000, "MWh")),
            Area("430104", ("energy.totalTce", 600, "tce"), ("carbon.totalTco2", 1500, "t CO2")),
            Area("430104001", ("energy.totalTce", 200, "tce")),
        ],
        diff: null);

    public static readonly DatasetDocument QuarterV2 = Document(Quarter, 2,
        [Input(StatisticsR1, "statistics", Quarter, 1), Input(PowerGrid, "power-grid", "2039-10", 0), Input(Transport, "transport", "2039-10", 0)],
        [
            Area("XJNA", ("energy.totalTce", 1100, "tce"), ("energy.intensity", 0.55, "tce / 10k CNY"), ("carbon.totalTco2", 2500, "t CO2"),
                ("power.consumptionMwh", 4000, "MWh"), ("transport.nevSharePct", 12.5, "%")),
            Area("430104", ("energy.totalTce", 600, "tce")),
            Area("430104001", ("energy.totalTce", 250, "tce")),
        ],
        diff: new DatasetVersionDiff(1,
            [
                new IndicatorChange("430104", "carbon.totalTco2", 1500, null),
                new IndicatorChange("430104001", "energy.totalTce", 200, 250),
                new IndicatorChange("XJNA", "energy.intensity", 0.5, 0.55),
                new IndicatorChange("XJNA", "energy.totalTce", 1000, 1100),
                new IndicatorChange("XJNA", "transport.nevSharePct", null, 12.5),
            ],
            [StatisticsR1, Transport]));

    /// <summary>Written but never pointed at: not published.</summary>
    public static readonly DatasetDocument QuarterV3 = Document(Quarter, 3,
        [Input(StatisticsR1, "statistics", Quarter, 1)],
        [Area("XJNA", ("energy.totalTce", 1200, "tce"))],
        diff: null);

    public static readonly DatasetDocument EarlierQuarterV1 = Document(EarlierQuarter, 1,
        [Input("statistics-2039-Q3-r0-5555eeee5555eeee", "statistics", EarlierQuarter, 0)],
        [Area("XJNA", ("energy.totalTce", 900, "tce"))],
        diff: null);

    public static readonly DatasetDocument YearV1 = Document(Year, 1,
        [Input("statistics-2039-r0-6666ffff6666ffff", "statistics", Year, 0)],
        [Area("XJNA", ("energy.totalTce", 4000, "tce"))],
        diff: null);

    private static DatasetInput Input(string feedId, string source, string period, int revision) => new(feedId, source, period, revision, "1.0");

    private static AreaIndicators Area(string code, params (string Id, double Value, string Unit)[] indicators) =>
        new(code, indicators.ToDictionary(i => i.Id, i => new IndicatorValue(i.Value, i.Unit, "partial", [StatisticsR0]), StringComparer.Ordinal));

    // As this build stores them (data set 2.0, written from the same records the hub serialises). A 1.0 version as
    // an older build left it is served by the local host's re-consolidation test (ReconsolidationEndToEndTests).
    private static DatasetDocument Document(
        string period, int version, IReadOnlyList<DatasetInput> inputs, IReadOnlyList<AreaIndicators> areas, DatasetVersionDiff? diff) => new()
    {
        Methodology = DatasetMethodology.Current(2020),
        Period = period,
        Version = version,
        GeneratedAt = new DateTimeOffset(2040, 1, 20, 8, 0, 0, TimeSpan.FromHours(8)).AddMinutes(version),
        Status = "partial",
        Missing = ["environment:2039-10", "dc.count"],
        Inputs = inputs,
        Coefficients = new CoefficientsBlock("xjna-dual-carbon-coefficients", "2.0", "coal-equivalent-of-generation",
            [new CoefficientValue("grid.fixed", 0.5703, "tCO2/MWh", "MEE 2023-02", "official")]),
        Areas = areas,
        Targets =
        [
            new TargetStatus(
                "energy-intensity-2025", "Assessed energy intensity down 14 % on 2020", "energy.assessedIntensityChangeVs2020Pct", true,
                "annual-path", "<=", -14, "2025-12-31", 0, -14, null, "no-data"),
            new TargetStatus(
                "charging-coverage", "30 % of public parking spaces with chargers", "transport.chargingCoveragePct", true, "annual-path", ">=", 30,
                "2025-12-31", 10, 30, null, "no-data"),
        ],
        Warnings = [new DatasetWarning("electricity-cross-check", "Statistics and power-grid electricity differ by 7 %.", "430104", null, null)],
        Diff = diff,
    };
}
