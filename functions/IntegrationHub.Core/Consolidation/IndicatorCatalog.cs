namespace IntegrationHub.Core.Consolidation;

/// <summary>The contract's indicator ids and units, in the order the data set lists them.</summary>
public static class IndicatorCatalog
{
    public static readonly IReadOnlyList<(string Id, string Unit)> All =
    [
        ("energy.totalTce", "tce"),
        ("energy.intensity", "tce / 10k CNY"),
        ("energy.intensityChangeVs2020Pct", "%"),
        ("energy.nonFossilSharePct", "%"),
        ("carbon.directTco2", "t CO2"),
        ("carbon.electricityTco2", "t CO2"),
        ("carbon.heatTco2", "t CO2"),
        ("carbon.totalTco2", "t CO2"),
        ("carbon.netTco2", "t CO2"),
        ("carbon.intensity", "t CO2 / 10k CNY"),
        ("carbon.intensityChangeVs2020Pct", "%"),
        ("power.consumptionMwh", "MWh"),
        ("power.pvInstalledKw", "kW"),
        ("power.pvGenerationMwh", "MWh"),
        ("power.pvPublicBuildingsSharePct", "%"),
        ("transport.nevSharePct", "%"),
        ("transport.publicSectorNevSharePct", "%"),
        ("transport.chargingCoveragePct", "%"),
        ("transport.roadFuelTco2", "t CO2"),
        ("dc.count", "count"),
        ("dc.pueMax", "ratio"),
        ("dc.nonCompliant", "count"),
        ("buildings.newGreenCompliancePct", "%"),
        ("env.aqiMean", "AQI"),
        ("env.pm25UgM3", "µg/m³"),
        ("env.goodDayRatioPct", "%"),
        ("env.carbonSinkTco2", "t CO2"),
    ];
}
