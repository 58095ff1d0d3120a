namespace IntegrationHub.Core.Consolidation;

/// <summary>The indicator ids and units of data set 2.0 (feed-contract.md), in the order the data set lists them.</summary>
public static class IndicatorCatalog
{
    /// <summary>Statistics sectors, in contract order; each has an energy and a CO2 breakdown indicator.</summary>
    public static readonly IReadOnlyList<string> Sectors = ["industry", "construction", "transport", "commercial", "residential", "agriculture"];

    /// <summary>Contract fuel ids with the camel-case part of their breakdown indicator (energy.fuel.rawCoalTce).</summary>
    public static readonly IReadOnlyList<(string Fuel, string IdPart)> Fuels =
    [
        ("raw-coal", "rawCoal"), ("natural-gas", "naturalGas"), ("gasoline", "gasoline"), ("diesel", "diesel"),
        ("fuel-oil", "fuelOil"), ("lpg", "lpg"), ("heat", "heat"), ("electricity", "electricity"),
    ];

    public static readonly IReadOnlyList<(string Id, string Unit)> All =
    [
        ("energy.totalTce", "tce"),
        ("energy.intensity", "tce / 10k CNY"),
        ("energy.intensityChangeVs2020Pct", "%"),
        ("power.gridNonFossilSharePct", "%"),
        ("energy.nonFossilTce", "tce"),
        ("energy.nonFossilSharePct", "%"),
        ("energy.feedstockTce", "tce"),
        ("energy.assessedTce", "tce"),
        ("energy.assessedIntensity", "tce / 10k CNY"),
        ("energy.assessedIntensityChangeVs2020Pct", "%"),
        ("energy.electricityShareOfFinalPct", "%"),
        ("energy.coalSharePct", "%"),
        ("energy.sector.industryTce", "tce"),
        ("energy.sector.constructionTce", "tce"),
        ("energy.sector.transportTce", "tce"),
        ("energy.sector.commercialTce", "tce"),
        ("energy.sector.residentialTce", "tce"),
        ("energy.sector.agricultureTce", "tce"),
        ("energy.fuel.rawCoalTce", "tce"),
        ("energy.fuel.naturalGasTce", "tce"),
        ("energy.fuel.gasolineTce", "tce"),
        ("energy.fuel.dieselTce", "tce"),
        ("energy.fuel.fuelOilTce", "tce"),
        ("energy.fuel.lpgTce", "tce"),
        ("energy.fuel.heatTce", "tce"),
        ("energy.fuel.electricityTce", "tce"),
        ("carbon.directTco2", "t CO2"),
        ("carbon.heatTco2", "t CO2"),
        ("carbon.electricityTco2", "t CO2"),
        ("carbon.totalTco2", "t CO2"),
        ("carbon.netTco2", "t CO2"),
        ("carbon.intensity", "t CO2 / 10k CNY"),
        ("carbon.intensityChangeVs2020Pct", "%"),
        ("carbon.sector.industryTco2", "t CO2"),
        ("carbon.sector.constructionTco2", "t CO2"),
        ("carbon.sector.transportTco2", "t CO2"),
        ("carbon.sector.commercialTco2", "t CO2"),
        ("carbon.sector.residentialTco2", "t CO2"),
        ("carbon.sector.agricultureTco2", "t CO2"),
        ("carbon.electricityMarketTco2", "t CO2"),
        ("power.consumptionMwh", "MWh"),
        ("power.pvInstalledKw", "kW"),
        ("power.pvGenerationMwh", "MWh"),
        ("power.greenPowerTradedMwh", "MWh"),
        ("power.demandResponseEvents", "count"),
        ("power.demandResponseCurtailedMwh", "MWh"),
        ("power.pvPublicBuildingsSharePct", "%"),
        ("transport.nevSharePct", "%"),
        ("transport.publicSectorNevSharePct", "%"),
        ("transport.publicSectorNewZeroEmissionPct", "%"),
        ("transport.chargingCoveragePct", "%"),
        ("transport.roadFuelTco2", "t CO2"),
        ("transport.transitBoardings10k", "10k"),
        ("dc.count", "count"),
        ("dc.pueMax", "ratio"),
        ("dc.nonCompliantNew", "count"),
        ("dc.nonCompliantExisting", "count"),
        ("buildings.newGreenCompliancePct", "%"),
        ("buildings.newGreenFloorAreaPct", "%"),
        ("env.aqiMean", "AQI"),
        ("env.pm25UgM3", "µg/m³"),
        ("env.goodDayRatioPct", "%"),
        ("env.carbonSinkTco2", "t CO2"),
    ];
}
