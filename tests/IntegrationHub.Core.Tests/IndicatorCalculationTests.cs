using IntegrationHub.Core.Consolidation;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Tests.Support;
using static IntegrationHub.Core.Tests.Support.DatasetLookup;
using static IntegrationHub.Core.Tests.Support.FeedBuilder;
using static IntegrationHub.Core.Tests.Support.HandFeeds;

namespace IntegrationHub.Core.Tests;

/// <summary>
/// Every indicator id of feed-contract.md ("Indicator ids") for one quarter (2024-Q4) and one year (2024), for the whole
/// New Area and for a leaf street, recomputed here by hand from the numbers of <see cref="HandFeeds"/> and the
/// coefficients of domain.md. Nothing below is copied from the code's output.
/// </summary>
public class IndicatorCalculationTests
{
    // Standard-coal coefficients, GB/T 2589 appendix table (domain.md "Standard-coal coefficients"), tce per contract unit.
    private const double ScRawCoal = 0.7143;      // raw coal 0.7143 kgce/kg = tce/t
    private const double ScNaturalGas = 12.143;   // natural gas 1.2143 kgce/m³ = 12.143 tce/10k m³
    private const double ScGasoline = 1.4714;     // gasoline 1.4714 kgce/kg
    private const double ScDiesel = 1.4571;       // diesel 1.4571 kgce/kg
    private const double ScFuelOil = 1.4286;      // fuel oil 1.4286 kgce/kg
    private const double ScLpg = 1.7143;          // LPG 1.7143 kgce/kg
    private const double ScHeat = 0.03412;        // heat 0.03412 kgce/MJ = tce/GJ
    private const double ScElectricity = 0.1229;  // electricity, calorific equivalent 0.1229 kgce/kWh: since 2.0 only electricityShareOfFinalPct

    // Data set 2.0 (domain.md "Electricity: coal equivalent of generation"): c_2020 = 305.5 g/kWh (CEC 2020);
    // 2024 has no confirmed CEC figure, so 2022's 300.7 g/kWh is carried forward. s_y = 40.0 % every year (planning
    // estimate); the hand feeds are 1.0 power-grid feeds, so every month uses it. residual_2024 = 2023's 0.6096 carried forward.
    private const double C2020 = 0.3055;
    private const double C2024 = 0.3007;
    private const double GridShareDefault = 40.0;
    private const double Residual2024 = 0.6096;

    // CO2 factors per contract unit = NCV (GJ/unit) × carbon content (tC/TJ) / 1000 (GJ→TJ) × oxidation rate × 44/12,
    // default parameters of the NDRC enterprise GHG accounting guidelines (domain.md "CO2 emission factors").
    private const double Co2RawCoal = 20.908 * 26.37 / 1000 * 0.94 * 44 / 12;      // ≈ 1.900 t CO2/t
    private const double Co2NaturalGas = 389.31 * 15.30 / 1000 * 0.99 * 44 / 12;   // ≈ 21.62 t CO2/10k m³
    private const double Co2Gasoline = 43.070 * 18.90 / 1000 * 0.98 * 44 / 12;     // ≈ 2.925 t CO2/t
    private const double Co2Diesel = 42.652 * 20.20 / 1000 * 0.98 * 44 / 12;       // ≈ 3.096 t CO2/t
    private const double Co2FuelOil = 41.816 * 21.10 / 1000 * 0.98 * 44 / 12;      // ≈ 3.171 t CO2/t
    private const double Co2Lpg = 50.179 * 17.20 / 1000 * 0.98 * 44 / 12;          // ≈ 3.101 t CO2/t
    private const double Co2Heat = 0.11;        // purchased heat, NDRC guideline default, t CO2/GJ
    private const double GridFactor = 0.5703;   // fixed grid factor, MEE notice of Feb 2023, t CO2/MWh

    // PUE limits of the plan (〔2023〕1号 section (二) 4): new ≤ 1.3, existing ≤ 1.5.

    /// <summary>The inputs of one area for one period, aggregated by hand; the properties below are the contract's formulas.</summary>
    private sealed record Ledger
    {
        public double FuelTce { get; init; }          // Σ statistics fuels except electricity × standard coal
        public double DirectCo2 { get; init; }        // Σ fossil fuels × CO2 factor
        public double HeatGj { get; init; }
        public double Gdp { get; init; }              // gdpConstant2020_10kCny
        public double GridMwh { get; init; }          // Σ power-grid consumption
        public double PvMwh { get; init; }
        public double GreenMwh { get; init; }
        public double PvInstalledKw { get; init; }
        public double Vehicles { get; init; }
        public double Nev { get; init; }
        public double PublicVehicles { get; init; }   // public-sector + bus + taxi + sanitation
        public double PublicNev { get; init; }
        public double Spaces { get; init; }
        public double SpacesWithChargers { get; init; }
        public double GasolineT { get; init; }
        public double DieselT { get; init; }
        public double AqiTimesDays { get; init; }
        public double Pm25TimesDays { get; init; }
        public double GoodDays { get; init; }
        public double Days { get; init; }
        public double SinkT { get; init; }
        public double DcCount { get; init; }
        public double PueMax { get; init; }
        public double DcNonCompliantNew { get; init; }
        public double DcNonCompliantExisting { get; init; }
        public double C { get; init; } = C2024;       // the period's coal equivalent of generation, tce/MWh
        public double NewCivil { get; init; }
        public double NewGreen { get; init; }
        public double WithPv { get; init; }
        public double Eligible { get; init; }

        public double TotalTce => FuelTce + (GridMwh * C);
        public double NonFossilTce => (Math.Min(PvMwh, GridMwh) + ((GridMwh - Math.Min(PvMwh, GridMwh)) * GridShareDefault / 100)) * C;
        public double AssessedTce => TotalTce - NonFossilTce;   // no feedstock in the 1.0 hand feeds
        public double AssessedIntensity => AssessedTce / Gdp;
        public double EnergyIntensity => TotalTce / Gdp;
        public double ElectricityCo2 => GridMwh * GridFactor;
        public double HeatCo2 => HeatGj * Co2Heat;
        public double TotalCo2 => DirectCo2 + ElectricityCo2 + HeatCo2;
        public double CarbonIntensity => TotalCo2 / Gdp;

        /// <summary>A parent area: flows and stocks add up, the highest PUE is the highest of the children.</summary>
        public static Ledger operator +(Ledger a, Ledger b) => new()
        {
            FuelTce = a.FuelTce + b.FuelTce, DirectCo2 = a.DirectCo2 + b.DirectCo2, HeatGj = a.HeatGj + b.HeatGj, Gdp = a.Gdp + b.Gdp,
            GridMwh = a.GridMwh + b.GridMwh, PvMwh = a.PvMwh + b.PvMwh, GreenMwh = a.GreenMwh + b.GreenMwh, PvInstalledKw = a.PvInstalledKw + b.PvInstalledKw,
            Vehicles = a.Vehicles + b.Vehicles, Nev = a.Nev + b.Nev, PublicVehicles = a.PublicVehicles + b.PublicVehicles,
            PublicNev = a.PublicNev + b.PublicNev,
            Spaces = a.Spaces + b.Spaces, SpacesWithChargers = a.SpacesWithChargers + b.SpacesWithChargers, GasolineT = a.GasolineT + b.GasolineT,
            DieselT = a.DieselT + b.DieselT,
            AqiTimesDays = a.AqiTimesDays + b.AqiTimesDays, Pm25TimesDays = a.Pm25TimesDays + b.Pm25TimesDays, GoodDays = a.GoodDays + b.GoodDays,
            Days = a.Days + b.Days,
            SinkT = a.SinkT + b.SinkT, DcCount = a.DcCount + b.DcCount, PueMax = Math.Max(a.PueMax, b.PueMax),
            DcNonCompliantNew = a.DcNonCompliantNew + b.DcNonCompliantNew,
            DcNonCompliantExisting = a.DcNonCompliantExisting + b.DcNonCompliantExisting, C = a.C,
            NewCivil = a.NewCivil + b.NewCivil, NewGreen = a.NewGreen + b.NewGreen, WithPv = a.WithPv + b.WithPv, Eligible = a.Eligible + b.Eligible,
        };
    }

    // ================================================================= 2024-Q4 (October 31 days, November 30, December 31)

    private static readonly Ledger Q4S1 = new()
    {
        // statistics 2024-Q4; the 9 999 MWh statistics electricity item is NOT added (the grid is authoritative)
        FuelTce = (1000 * ScRawCoal) + (50 * ScNaturalGas) + (200 * ScGasoline) + (300 * ScDiesel) + (40 * ScFuelOil) + (60 * ScLpg) + (5000 * ScHeat),
        DirectCo2 = (1000 * Co2RawCoal) + (50 * Co2NaturalGas) + (200 * Co2Gasoline) + (300 * Co2Diesel) + (40 * Co2FuelOil) + (60 * Co2Lpg),
        HeatGj = 5000,
        Gdp = 480000,
        // power grid, Oct + Nov + Dec of (industry + commercial)
        GridMwh = (2100 + 1000) + (2110 + 1000) + (2120 + 1000),
        PvMwh = 500 + 480 + 420,
        GreenMwh = 3 * 300,
        PvInstalledKw = 5800,                                       // December (stock)
        // transport, December fleet (stock): bus 100/90, taxi 200/150, public-sector 50/20, logistics 300/60, sanitation 40/30, private 10000/1600
        Vehicles = 100 + 200 + 50 + 300 + 40 + 10000,
        Nev = 90 + 150 + 20 + 60 + 30 + 1600,
        PublicVehicles = 100 + 200 + 50 + 40,
        PublicNev = 90 + 150 + 20 + 30,
        Spaces = 2000,
        SpacesWithChargers = 540,                                   // December (stock)
        GasolineT = 3 * 1000,
        DieselT = 3 * 800,
        // environment: Oct 31 days AQI 70, Nov 28 valid days AQI 50, Dec 31 days AQI 90
        AqiTimesDays = (70 * 31) + (50 * 28) + (90 * 31),
        Pm25TimesDays = (40 * 31) + (30 * 28) + (60 * 31),
        GoodDays = 28 + 25 + 20,
        Days = 31 + 28 + 31,
        SinkT = 1000 + 1100 + 1200,
        // DC-MXH-01 (new): Σtotal / Σit = (1200 + 160 + 1250) / (1000 + 100 + 1000) = 1.243 ≤ 1.3 → compliant,
        // although the mean of the monthly PUEs (1.2, 1.6, 1.25) would be 1.35
        DcCount = 1,
        PueMax = (1200 + 160 + 1250) / (1000.0 + 100 + 1000),
        DcNonCompliantNew = 0,
        DcNonCompliantExisting = 0,
        NewCivil = 10 + 12 + 6,
        NewGreen = 9 + 12 + 5,
        WithPv = 25,                                                // December (stock)
        Eligible = 50,
    };

    private static readonly Ledger Q4S2 = new()
    {
        FuelTce = (100 * ScNaturalGas) + (2000 * ScHeat) + (500 * ScRawCoal),
        DirectCo2 = (100 * Co2NaturalGas) + (500 * Co2RawCoal),
        HeatGj = 2000,
        Gdp = 300000,
        GridMwh = 3 * (1500 + 500),
        PvMwh = 3 * 300,
        GreenMwh = 0,
        PvInstalledKw = 3200,
        Vehicles = 60 + 5000,
        Nev = 60 + 800,
        PublicVehicles = 60,
        PublicNev = 60,
        Spaces = 1000,
        SpacesWithChargers = 250,
        GasolineT = 3 * 500,
        DieselT = 3 * 200,
        AqiTimesDays = 55 * (31 + 30 + 31),
        Pm25TimesDays = 32 * (31 + 30 + 31),
        GoodDays = (31 - 2) + (30 - 2) + (31 - 2),
        Days = 31 + 30 + 31,
        SinkT = 3 * 500,
        // DC-LG-01 (existing): 3 × 3100 / (3 × 2000) = 1.55 > 1.5 → non-compliant
        DcCount = 1,
        PueMax = 3 * 3100 / (3 * 2000.0),
        DcNonCompliantExisting = 1,
        NewCivil = 3 * 5,
        NewGreen = 3 * 5,
        WithPv = 10,
        Eligible = 30,
    };

    private static readonly Ledger Q4W = new()
    {
        FuelTce = (2000 * ScRawCoal) + (100 * ScDiesel),
        DirectCo2 = (2000 * Co2RawCoal) + (100 * Co2Diesel),
        HeatGj = 0,
        Gdp = 100000,
        GridMwh = 3 * 800,
        PvMwh = 3 * 100,
        GreenMwh = 3 * 50,
        PvInstalledKw = 1000,
        Vehicles = 100 + 3000,
        Nev = 10 + 300,
        PublicVehicles = 0,
        PublicNev = 0,
        Spaces = 500,
        SpacesWithChargers = 100,
        GasolineT = 3 * 300,
        DieselT = 3 * 400,
        AqiTimesDays = 80 * (31 + 30 + 31),
        Pm25TimesDays = 45 * (31 + 30 + 31),
        GoodDays = (31 + 30 + 31) - (3 * 10),
        Days = 31 + 30 + 31,
        SinkT = 3 * 2000,
        // DC-JSQ-01 (new): 700 / 500 = 1.4 > 1.3 → non-compliant (it would pass the existing-centre limit 1.5)
        DcCount = 1,
        PueMax = 3 * 700 / (3 * 500.0),
        DcNonCompliantNew = 1,
        NewCivil = 3 * 4,
        NewGreen = 3 * 2,
        WithPv = 5,
        Eligible = 20,
    };

    // 2020-Q4, the baseline of the quarter: statistics and power grid.
    private static readonly Ledger Q4S1In2020 = new()
    {
        C = C2020,
        PvMwh = 3 * 100,                                     // 2020 PV generation, for the base year's non-fossil energy
        FuelTce = (1200 * ScRawCoal) + (40 * ScNaturalGas) + (150 * ScGasoline) + (250 * ScDiesel) + (50 * ScFuelOil) + (50 * ScLpg) + (4000 * ScHeat),
        DirectCo2 = (1200 * Co2RawCoal) + (40 * Co2NaturalGas) + (150 * Co2Gasoline) + (250 * Co2Diesel) + (50 * Co2FuelOil) + (50 * Co2Lpg),
        HeatGj = 4000,
        Gdp = 400000,
        GridMwh = 3 * (1800 + 900),
    };

    private static readonly Ledger Q4S2In2020 = new()
    {
        C = C2020,
        PvMwh = 3 * 50,                                     // 2020 PV generation, for the base year's non-fossil energy
        FuelTce = (90 * ScNaturalGas) + (1500 * ScHeat) + (600 * ScRawCoal),
        DirectCo2 = (90 * Co2NaturalGas) + (600 * Co2RawCoal),
        HeatGj = 1500,
        Gdp = 250000,
        GridMwh = 3 * (1400 + 450),
    };

    private static readonly Ledger Q4WIn2020 = new()
    {
        C = C2020,
        PvMwh = 3 * 20,                                     // 2020 PV generation, for the base year's non-fossil energy
        FuelTce = (2500 * ScRawCoal) + (120 * ScDiesel),
        DirectCo2 = (2500 * Co2RawCoal) + (120 * Co2Diesel),
        Gdp = 80000,
        GridMwh = 3 * 700,
    };

    // ================================================================= 2024 (leap year: Jan-Sep = 31+29+31+30+31+30+31+31+30 = 274 days)

    private const int JanToSepDays = 31 + 29 + 31 + 30 + 31 + 30 + 31 + 31 + 30;

    private static readonly Ledger YearS1 = new()
    {
        // statistics 2024; the 38 000 MWh statistics electricity item is NOT added
        FuelTce = (4000 * ScRawCoal) + (210 * ScNaturalGas) + (820 * ScGasoline) + (1180 * ScDiesel) + (150 * ScFuelOil) + (230 * ScLpg) + (21000 * ScHeat),
        DirectCo2 = (4000 * Co2RawCoal) + (210 * Co2NaturalGas) + (820 * Co2Gasoline) + (1180 * Co2Diesel) + (150 * Co2FuelOil) + (230 * Co2Lpg),
        HeatGj = 21000,
        Gdp = 1800000,
        // 9 base months of (2000 + 1000), then Oct, Nov, Dec
        GridMwh = (9 * (2000 + 1000)) + (2100 + 1000) + (2110 + 1000) + (2120 + 1000),
        PvMwh = (9 * 450) + 500 + 480 + 420,
        GreenMwh = 12 * 300,
        PvInstalledKw = 5800,                                       // December, not 12 months added up
        Vehicles = 100 + 200 + 50 + 300 + 40 + 10000,
        Nev = 90 + 150 + 20 + 60 + 30 + 1600,
        PublicVehicles = 100 + 200 + 50 + 40,
        PublicNev = 90 + 150 + 20 + 30,
        Spaces = 2000,
        SpacesWithChargers = 540,
        GasolineT = 12 * 1000,
        DieselT = 12 * 800,
        AqiTimesDays = (60 * JanToSepDays) + (70 * 31) + (50 * 28) + (90 * 31),
        Pm25TimesDays = (35 * JanToSepDays) + (40 * 31) + (30 * 28) + (60 * 31),
        GoodDays = (JanToSepDays - (9 * 5)) + 28 + 25 + 20,
        Days = JanToSepDays + 31 + 28 + 31,
        SinkT = (9 * 900) + 1000 + 1100 + 1200,
        // DC-MXH-01: (9 × 1200 + 1200 + 160 + 1250) / (9 × 1000 + 1000 + 100 + 1000) = 13410 / 11100 = 1.208
        DcCount = 1,
        PueMax = ((9 * 1200) + 1200 + 160 + 1250) / ((9 * 1000.0) + 1000 + 100 + 1000),
        DcNonCompliantNew = 0,
        DcNonCompliantExisting = 0,
        NewCivil = (9 * 8) + 10 + 12 + 6,
        NewGreen = (9 * 6) + 9 + 12 + 5,
        WithPv = 25,
        Eligible = 50,
    };

    private static readonly Ledger YearS2 = new()
    {
        FuelTce = (390 * ScNaturalGas) + (7900 * ScHeat) + (2100 * ScRawCoal),
        DirectCo2 = (390 * Co2NaturalGas) + (2100 * Co2RawCoal),
        HeatGj = 7900,
        Gdp = 1150000,
        GridMwh = 12 * (1500 + 500),
        PvMwh = 12 * 300,
        PvInstalledKw = 3200,
        Vehicles = 60 + 5000,
        Nev = 60 + 800,
        PublicVehicles = 60,
        PublicNev = 60,
        Spaces = 1000,
        SpacesWithChargers = 250,
        GasolineT = 12 * 500,
        DieselT = 12 * 200,
        AqiTimesDays = 55 * 366,
        Pm25TimesDays = 32 * 366,
        GoodDays = 366 - (12 * 2),
        Days = 366,
        SinkT = 12 * 500,
        DcCount = 1,
        PueMax = 12 * 3100 / (12 * 2000.0),
        DcNonCompliantExisting = 1,
        NewCivil = 12 * 5,
        NewGreen = 12 * 5,
        WithPv = 10,
        Eligible = 30,
    };

    private static readonly Ledger YearW = new()
    {
        FuelTce = (7800 * ScRawCoal) + (410 * ScDiesel),
        DirectCo2 = (7800 * Co2RawCoal) + (410 * Co2Diesel),
        Gdp = 390000,
        GridMwh = 12 * 800,
        PvMwh = 12 * 100,
        GreenMwh = 12 * 50,
        PvInstalledKw = 1000,
        Vehicles = 100 + 3000,
        Nev = 10 + 300,
        Spaces = 500,
        SpacesWithChargers = 100,
        GasolineT = 12 * 300,
        DieselT = 12 * 400,
        AqiTimesDays = 80 * 366,
        Pm25TimesDays = 45 * 366,
        GoodDays = 366 - (12 * 10),
        Days = 366,
        SinkT = 12 * 2000,
        DcCount = 1,
        PueMax = 12 * 700 / (12 * 500.0),
        DcNonCompliantNew = 1,
        NewCivil = 12 * 4,
        NewGreen = 12 * 2,
        WithPv = 5,
        Eligible = 20,
    };

    // 2020, the baseline of the year.
    private static readonly Ledger YearS1In2020 = new()
    {
        C = C2020,
        PvMwh = 12 * 100,                                     // 2020 PV generation, for the base year's non-fossil energy
        FuelTce = (4700 * ScRawCoal) + (160 * ScNaturalGas) + (600 * ScGasoline) + (980 * ScDiesel) + (190 * ScFuelOil) + (200 * ScLpg) + (16000 * ScHeat),
        DirectCo2 = (4700 * Co2RawCoal) + (160 * Co2NaturalGas) + (600 * Co2Gasoline) + (980 * Co2Diesel) + (190 * Co2FuelOil) + (200 * Co2Lpg),
        HeatGj = 16000,
        Gdp = 1500000,
        GridMwh = 12 * (1800 + 900),
    };

    private static readonly Ledger YearS2In2020 = new()
    {
        C = C2020,
        PvMwh = 12 * 50,                                     // 2020 PV generation, for the base year's non-fossil energy
        FuelTce = (350 * ScNaturalGas) + (6000 * ScHeat) + (2400 * ScRawCoal),
        DirectCo2 = (350 * Co2NaturalGas) + (2400 * Co2RawCoal),
        HeatGj = 6000,
        Gdp = 950000,
        GridMwh = 12 * (1400 + 450),
    };

    private static readonly Ledger YearWIn2020 = new()
    {
        C = C2020,
        PvMwh = 12 * 20,                                     // 2020 PV generation, for the base year's non-fossil energy
        FuelTce = (9800 * ScRawCoal) + (470 * ScDiesel),
        DirectCo2 = (9800 * Co2RawCoal) + (470 * Co2Diesel),
        Gdp = 300000,
        GridMwh = 12 * 700,
    };

    /// <summary>(period, area) → (that period's ledger, the 2020 ledger of the same period kind). XJNA = 430104 (S1 + S2) + WCM (W).</summary>
    private static readonly Dictionary<(string Period, string Area), (Ledger Now, Ledger In2020)> Ledgers = new()
    {
        [("2024-Q4", S1)] = (Q4S1, Q4S1In2020),
        [("2024-Q4", Root)] = (Q4S1 + Q4S2 + Q4W, Q4S1In2020 + Q4S2In2020 + Q4WIn2020),
        [("2024", S1)] = (YearS1, YearS1In2020),
        [("2024", Root)] = (YearS1 + YearS2 + YearW, YearS1In2020 + YearS2In2020 + YearWIn2020),
    };

    private static readonly Lazy<DatasetDocument> Quarter = new(() => Build("2024-Q4", HandFeeds.All));
    private static readonly Lazy<DatasetDocument> Year = new(() => Build("2024", HandFeeds.All));

    private static DatasetDocument Document(string period) => period == "2024" ? Year.Value : Quarter.Value;

    /// <summary>The contract's 27 indicator ids, written out from feed-contract.md.</summary>
    private static readonly string[] ContractIds =
    [
        "energy.totalTce", "energy.intensity", "energy.intensityChangeVs2020Pct", "energy.nonFossilSharePct",
        "carbon.directTco2", "carbon.electricityTco2", "carbon.heatTco2", "carbon.totalTco2", "carbon.netTco2", "carbon.intensity",
        "carbon.intensityChangeVs2020Pct",
        "power.consumptionMwh", "power.pvInstalledKw", "power.pvGenerationMwh", "power.pvPublicBuildingsSharePct",
        "transport.nevSharePct", "transport.publicSectorNevSharePct", "transport.chargingCoveragePct", "transport.roadFuelTco2",
        "dc.count", "dc.pueMax", "dc.nonCompliantNew", "dc.nonCompliantExisting",
        "buildings.newGreenCompliancePct",
        // 2.0 (feed-contract.md 2.0): those the 1.0 hand feeds can give (no registrations, floor areas, boardings or demand response)
        "power.gridNonFossilSharePct", "energy.nonFossilTce", "energy.feedstockTce", "energy.assessedTce", "energy.assessedIntensity",
        "energy.assessedIntensityChangeVs2020Pct", "energy.electricityShareOfFinalPct", "energy.coalSharePct", "carbon.electricityMarketTco2",
        "power.greenPowerTradedMwh",
        "env.aqiMean", "env.pm25UgM3", "env.goodDayRatioPct", "env.carbonSinkTco2",
        .. IndicatorCatalog.Sectors.SelectMany(sector => new[] { $"energy.sector.{sector}Tce", $"carbon.sector.{sector}Tco2" }),
        .. IndicatorCatalog.Fuels.Select(f => $"energy.fuel.{f.IdPart}Tce"),
    ];

    [Theory]
    [InlineData("2024-Q4", Root)]
    [InlineData("2024-Q4", S1)]
    [InlineData("2024", Root)]
    [InlineData("2024", S1)]
    public void Build_AllSourcesWith2020Baseline_EveryContractIndicatorPresent(string period, string area)
    {
        var ids = Document(period).Area(area).Indicators.Keys.Order(StringComparer.Ordinal);
        Assert.Equal(ContractIds.Order(StringComparer.Ordinal), ids);
    }

    [Theory]
    [InlineData("2024-Q4", Root)]
    [InlineData("2024-Q4", S1)]
    [InlineData("2024", Root)]
    [InlineData("2024", S1)]
    public void Build_Energy_MatchesHandComputation(string period, string area)
    {
        var (now, then) = Ledgers[(period, area)];
        var doc = Document(period);
        doc.AssertIndicator(area, "energy.totalTce", now.TotalTce);
        doc.AssertIndicator(area, "energy.intensity", now.TotalTce / now.Gdp);
        // a quarter compares with the same quarter of 2020, a year with 2020
        doc.AssertIndicator(area, "energy.intensityChangeVs2020Pct", ((now.EnergyIntensity / then.EnergyIntensity) - 1) * 100);
        // 2.0: PV + the rest of the grid supply × s_y (no month sent a share), at c_y; green trades are not added
        doc.AssertIndicator(area, "power.gridNonFossilSharePct", GridShareDefault);
        Assert.Equal("estimated", doc.Indicator(area, "power.gridNonFossilSharePct").Quality);
        doc.AssertIndicator(area, "energy.nonFossilTce", now.NonFossilTce);
        doc.AssertIndicator(area, "energy.nonFossilSharePct", now.NonFossilTce / now.TotalTce * 100);
        doc.AssertIndicator(area, "energy.feedstockTce", 0);
        doc.AssertIndicator(area, "energy.assessedTce", now.AssessedTce);
        doc.AssertIndicator(area, "energy.assessedIntensity", now.AssessedIntensity);
        // the base year recomputed with its own c (0.3055) and s
        doc.AssertIndicator(area, "energy.assessedIntensityChangeVs2020Pct", ((now.AssessedIntensity / then.AssessedIntensity) - 1) * 100);
        doc.AssertIndicator(area, "energy.electricityShareOfFinalPct", now.GridMwh * ScElectricity / (now.FuelTce + (now.GridMwh * ScElectricity)) * 100);
        doc.AssertIndicator(area, "carbon.electricityMarketTco2", Math.Max(0, now.GridMwh - now.PvMwh - now.GreenMwh) * Residual2024);
        doc.AssertIndicator(area, "power.greenPowerTradedMwh", now.GreenMwh);
    }

    [Theory]
    [InlineData("2024-Q4", Root)]
    [InlineData("2024-Q4", S1)]
    [InlineData("2024", Root)]
    [InlineData("2024", S1)]
    public void Build_Carbon_MatchesHandComputation(string period, string area)
    {
        var (now, then) = Ledgers[(period, area)];
        var doc = Document(period);
        doc.AssertIndicator(area, "carbon.directTco2", now.DirectCo2);
        doc.AssertIndicator(area, "carbon.electricityTco2", now.GridMwh * GridFactor);
        doc.AssertIndicator(area, "carbon.heatTco2", now.HeatGj * Co2Heat);
        doc.AssertIndicator(area, "carbon.totalTco2", now.DirectCo2 + (now.GridMwh * GridFactor) + (now.HeatGj * Co2Heat));
        doc.AssertIndicator(area, "carbon.netTco2", now.TotalCo2 - now.SinkT);
        doc.AssertIndicator(area, "carbon.intensity", now.TotalCo2 / now.Gdp);
        doc.AssertIndicator(area, "carbon.intensityChangeVs2020Pct", ((now.CarbonIntensity / then.CarbonIntensity) - 1) * 100);
    }

    [Theory]
    [InlineData("2024-Q4", Root)]
    [InlineData("2024-Q4", S1)]
    [InlineData("2024", Root)]
    [InlineData("2024", S1)]
    public void Build_Power_MatchesHandComputation(string period, string area)
    {
        var (now, _) = Ledgers[(period, area)];
        var doc = Document(period);
        doc.AssertIndicator(area, "power.consumptionMwh", now.GridMwh);
        doc.AssertIndicator(area, "power.pvInstalledKw", now.PvInstalledKw);
        doc.AssertIndicator(area, "power.pvGenerationMwh", now.PvMwh);
        doc.AssertIndicator(area, "power.pvPublicBuildingsSharePct", now.WithPv / now.Eligible * 100);
    }

    [Theory]
    [InlineData("2024-Q4", Root)]
    [InlineData("2024-Q4", S1)]
    [InlineData("2024", Root)]
    [InlineData("2024", S1)]
    public void Build_Transport_MatchesHandComputation(string period, string area)
    {
        var (now, _) = Ledgers[(period, area)];
        var doc = Document(period);
        doc.AssertIndicator(area, "transport.nevSharePct", now.Nev / now.Vehicles * 100);
        doc.AssertIndicator(area, "transport.publicSectorNevSharePct", now.PublicNev / now.PublicVehicles * 100);
        doc.AssertIndicator(area, "transport.chargingCoveragePct", now.SpacesWithChargers / now.Spaces * 100);
        doc.AssertIndicator(area, "transport.roadFuelTco2", (now.GasolineT * Co2Gasoline) + (now.DieselT * Co2Diesel));
    }

    [Theory]
    [InlineData("2024-Q4", Root)]
    [InlineData("2024-Q4", S1)]
    [InlineData("2024", Root)]
    [InlineData("2024", S1)]
    public void Build_RoadFuel_NotAddedToCarbonTotal(string period, string area)
    {
        var (now, _) = Ledgers[(period, area)];
        var doc = Document(period);
        var roadFuel = doc.Value(area, "transport.roadFuelTco2");
        Assert.True(roadFuel > 0);
        doc.AssertIndicator(area, "carbon.totalTco2", now.TotalCo2);
        Assert.NotEqual(now.TotalCo2 + roadFuel, doc.Value(area, "carbon.totalTco2"), 6);
    }

    [Theory]
    [InlineData("2024-Q4", Root)]
    [InlineData("2024-Q4", S1)]
    [InlineData("2024", Root)]
    [InlineData("2024", S1)]
    public void Build_DataCentresAndBuildings_MatchHandComputation(string period, string area)
    {
        var (now, _) = Ledgers[(period, area)];
        var doc = Document(period);
        doc.AssertIndicator(area, "dc.count", now.DcCount);
        doc.AssertIndicator(area, "dc.pueMax", now.PueMax);
        doc.AssertIndicator(area, "dc.nonCompliantNew", now.DcNonCompliantNew);
        doc.AssertIndicator(area, "dc.nonCompliantExisting", now.DcNonCompliantExisting);
        doc.AssertIndicator(area, "buildings.newGreenCompliancePct", now.NewGreen / now.NewCivil * 100);
    }

    [Theory]
    [InlineData("2024-Q4", Root)]
    [InlineData("2024-Q4", S1)]
    [InlineData("2024", Root)]
    [InlineData("2024", S1)]
    public void Build_Environment_DayWeightedMatchesHandComputation(string period, string area)
    {
        var (now, _) = Ledgers[(period, area)];
        var doc = Document(period);
        doc.AssertIndicator(area, "env.aqiMean", now.AqiTimesDays / now.Days);
        doc.AssertIndicator(area, "env.pm25UgM3", now.Pm25TimesDays / now.Days);
        doc.AssertIndicator(area, "env.goodDayRatioPct", now.GoodDays / now.Days * 100);
        doc.AssertIndicator(area, "env.carbonSinkTco2", now.SinkT);
    }

    [Fact]
    public void Build_QuarterStreetAirQuality_IsNotThePlainMeanOfMonths()
    {
        // S1: AQI 70 (31 days), 50 (28 days), 90 (31 days): day-weighted 6 290 / 90 = 69.89; the plain mean would be 70
        var doc = Quarter.Value;
        doc.AssertIndicator(S1, "env.aqiMean", ((70 * 31) + (50 * 28) + (90 * 31)) / 90.0);
        Assert.NotEqual((70 + 50 + 90) / 3.0, doc.Value(S1, "env.aqiMean"), 6);
    }

    [Fact]
    public void Build_StatisticsElectricityItem_NotAddedToTotalTceAndCrossChecked()
    {
        // one street, 100 t raw coal; grid 1 000 MWh a month; statistics also reports 5 000 MWh of electricity (grid: 3 000)
        var withElectricity = Accept(
        [
            Statistics("2024-Q4", StatisticsRecord(S1, 1000, 1000, ("industry", "raw-coal", 100), ("industry", "electricity", 5000))),
            .. GridQuarter(1000),
        ]);
        var withoutElectricity = Accept(
        [
            Statistics("2024-Q4", StatisticsRecord(S1, 1000, 1000, ("industry", "raw-coal", 100))),
            .. GridQuarter(1000),
        ]);

        var expected = (100 * ScRawCoal) + (3 * 1000 * C2024);   // raw coal 100 t × 0.7143 + grid 3 000 MWh × c_2024 (0.3007, 2.0)
        var with = Build("2024-Q4", withElectricity);
        var without = Build("2024-Q4", withoutElectricity);
        with.AssertIndicator(S1, "energy.totalTce", expected);
        without.AssertIndicator(S1, "energy.totalTce", expected);
        // 5 000 vs 3 000 MWh differ by more than 5 %: a quality warning
        Assert.Contains(with.Warnings, w => w.AreaCode == S1 && w.Code.Contains("electricity", StringComparison.Ordinal));
        Assert.DoesNotContain(without.Warnings, w => w.Code.Contains("electricity", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_StatisticsElectricityWithinFivePercentOfGrid_NoWarning()
    {
        // statistics 3 100 MWh vs grid 3 000 MWh: 3.2 % apart
        var doc = Build("2024-Q4", Accept(
        [
            Statistics("2024-Q4", StatisticsRecord(S1, 1000, 1000, ("industry", "raw-coal", 100), ("industry", "electricity", 3100))),
            .. GridQuarter(1000),
        ]));
        Assert.DoesNotContain(doc.Warnings, w => w.Code.Contains("electricity", StringComparison.Ordinal));
    }

    /// <summary>
    /// domain.md: "the rounded factors above are what the computation must reproduce to 3 significant figures".
    /// One unit of each fuel in its own street, read back through carbon.directTco2 (statistics) and transport.roadFuelTco2.
    /// </summary>
    [Theory]
    [InlineData("raw-coal", "430104001", 1.900)]
    [InlineData("natural-gas", "430104002", 21.62)]
    [InlineData("gasoline", "430104003", 2.925)]
    [InlineData("diesel", "430104004", 3.096)]
    [InlineData("fuel-oil", "430104005", 3.171)]
    [InlineData("lpg", "430104006", 3.101)]
    public void Build_OneUnitOfFuel_DirectCo2ReproducesDomainFactorTo3SignificantFigures(string fuel, string area, double domainFactor)
    {
        var doc = Build("2024-Q4", Accept([Statistics("2024-Q4", StatisticsRecord(area, 1, 1, ("industry", fuel, 1)))]));
        var factor = doc.Value(area, "carbon.directTco2");
        AssertAgreesTo3SignificantFigures(domainFactor, factor, fuel);
        // and it is the factor computed from the four parameters
        var fromParameters = fuel switch
        {
            "raw-coal" => Co2RawCoal,
            "natural-gas" => Co2NaturalGas,
            "gasoline" => Co2Gasoline,
            "diesel" => Co2Diesel,
            "fuel-oil" => Co2FuelOil,
            _ => Co2Lpg,
        };
        AssertClose(fromParameters, factor, fuel);
    }

    [Theory]
    [InlineData(1, 0, 2.925)]
    [InlineData(0, 1, 3.096)]
    public void Build_OneTonneOfRoadFuel_RoadFuelCo2ReproducesDomainFactorTo3SignificantFigures(double gasolineT, double dieselT, double domainFactor)
    {
        // the tonne is sold in October; November and December sell nothing
        var doc = Build("2024-Q4", Accept(
        [
            Transport("2024-10", TransportRecord(S1, [("private", 10, 1)], 10, 1, gasolineT: gasolineT, dieselT: dieselT)),
            Transport("2024-11", TransportRecord(S1, [("private", 10, 1)], 10, 1)),
            Transport("2024-12", TransportRecord(S1, [("private", 10, 1)], 10, 1)),
        ]));
        var factor = doc.Value(S1, "transport.roadFuelTco2");
        AssertAgreesTo3SignificantFigures(domainFactor, factor, gasolineT > 0 ? "gasoline" : "diesel");
        AssertClose(gasolineT > 0 ? Co2Gasoline : Co2Diesel, factor, "road fuel factor");
    }

    [Fact]
    public void Build_Quarter_UnitsAsWrittenInContract()
    {
        // feed-contract.md, "Indicator ids", unit column (env.* have "—" there and are not checked)
        var expected = new Dictionary<string, string>
        {
            ["energy.totalTce"] = "tce",
            ["energy.intensity"] = "tce / 10k CNY",
            ["energy.intensityChangeVs2020Pct"] = "%",
            ["energy.nonFossilSharePct"] = "%",
            ["carbon.directTco2"] = "t CO2",
            ["carbon.electricityTco2"] = "t CO2",
            ["carbon.heatTco2"] = "t CO2",
            ["carbon.totalTco2"] = "t CO2",
            ["carbon.netTco2"] = "t CO2",
            ["carbon.intensity"] = "t CO2 / 10k CNY",
            ["carbon.intensityChangeVs2020Pct"] = "%",
            ["power.consumptionMwh"] = "MWh",
            ["power.pvInstalledKw"] = "kW",
            ["power.pvGenerationMwh"] = "MWh",
            ["power.pvPublicBuildingsSharePct"] = "%",
            ["transport.nevSharePct"] = "%",
            ["transport.publicSectorNevSharePct"] = "%",
            ["transport.chargingCoveragePct"] = "%",
            ["transport.roadFuelTco2"] = "t CO2",
            ["dc.count"] = "count",
            ["dc.pueMax"] = "ratio",
            ["dc.nonCompliantNew"] = "count",
            ["dc.nonCompliantExisting"] = "count",
            ["buildings.newGreenCompliancePct"] = "%",
            ["env.carbonSinkTco2"] = "t CO2",
        };
        var indicators = Quarter.Value.Area(Root).Indicators;
        var wrong = expected.Where(e => indicators[e.Key].Unit != e.Value).Select(e => $"{e.Key}: '{indicators[e.Key].Unit}' (contract '{e.Value}')").ToArray();
        Assert.True(wrong.Length == 0, "units differ from the contract: " + string.Join("; ", wrong));
    }

    private static void AssertAgreesTo3SignificantFigures(double rounded, double computed, string what)
    {
        // half a unit of the third significant figure of the domain value (e.g. 0.005 for 1.900, 0.05 for 21.62)
        var halfUnit = Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(rounded))) - 2) / 2;
        Assert.True(
            Math.Abs(computed - rounded) <= halfUnit,
            $"{what}: computed factor {computed:R} does not agree with domain.md's {rounded} to 3 significant figures.");
    }

    private static IEnumerable<System.Text.Json.Nodes.JsonObject> GridQuarter(double industryMwhPerMonth) =>
        new[] { "2024-10", "2024-11", "2024-12" }.Select(m => PowerGrid(m, PowerGridRecord(S1, [("industry", industryMwhPerMonth)])));
}
