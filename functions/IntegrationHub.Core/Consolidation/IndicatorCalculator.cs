using System.Globalization;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Normalisation;
using IntegrationHub.Core.Reference;

namespace IntegrationHub.Core.Consolidation;

// The formulas of feed-contract.md ("Indicator ids"), with every coefficient read from the reference data. An indicator
// is computed when its own inputs exist and omitted otherwise; an undefined ratio is omitted too.
internal sealed class IndicatorCalculator
{
    private const string ElectricityFuel = "electricity";
    private const string HeatFuel = "heat";

    // c_y, coal equivalent of generation (等价值), tce/MWh.
    public const string CoalEquivalentSeries = "electricity.coalEquivalent";

    // s_y, default non-fossil share of the Hunan grid, %.
    public const string GridShareSeries = "grid.nonFossilShareDefault";

    // residual_y, residual-mix grid factor, t CO2/MWh.
    public const string ResidualMixSeries = "co2.grid.residualMix";

    // The per-year series every data set uses; each carried value is warned about once.
    public static readonly IReadOnlyList<string> YearSeries = [CoalEquivalentSeries, GridShareSeries, ResidualMixSeries];

    // Contract: "public-sector, bus, taxi, sanitation together".
    private static readonly string[] PublicSectorCategories = ["public-sector", "bus", "taxi", "sanitation"];

    private readonly ReferenceData reference;
    private readonly Dictionary<string, double> standardCoal;
    private readonly Dictionary<string, double> co2Factors;

    public IndicatorCalculator(ReferenceData reference)
    {
        this.reference = reference;
        standardCoal = reference.Coefficients.Coefficients
            .Where(c => c.Id.StartsWith("standardCoal.", StringComparison.Ordinal))
            .ToDictionary(c => c.Id["standardCoal.".Length..], c => c.Value, StringComparer.Ordinal);
        var co2PerCarbon = reference.Value("chem.molarMassCO2") / reference.Value("chem.molarMassC");
        co2Factors = reference.Coefficients.Coefficients
            .Where(c => c.Id.StartsWith("co2.", StringComparison.Ordinal) && c.Id.EndsWith(".ncv", StringComparison.Ordinal))
            .Select(c => c.Id["co2.".Length..^".ncv".Length])
            .ToDictionary(fuel => fuel, fuel => Co2Factor(fuel, co2PerCarbon), StringComparer.Ordinal);
    }

    // t CO2 per contract unit: NCV (GJ/unit) × carbon content (tC/TJ) / 1000 × oxidation × 44/12.
    public double FuelCo2Factor(string fuel) => co2Factors[fuel];

    private double Co2Factor(string fuel, double co2PerCarbon) =>
        reference.Value($"co2.{fuel}.ncv") * reference.Value($"co2.{fuel}.carbonContent") / 1000
        * reference.Value($"co2.{fuel}.oxidationRate") * co2PerCarbon;

    // year: calendar year of the period: picks c_y, s_y and residual_y.
    // baseline: the indicators of the same area for the same period kind of the base year, if known.
    public Dictionary<string, Quantity> Compute(AreaFacts area, int year, IReadOnlyDictionary<string, Quantity>? baseline, List<DatasetWarning> warnings)
    {
        var results = new Dictionary<string, Quantity>(StringComparer.Ordinal);
        void Set(string id, Quantity? q)
        {
            if (q is null)
            {
                return;
            }

            if (!double.IsFinite(q.Value))
            {
                // Finite inputs can still overflow when summed (1e308 + 1e308); such a figure is left out, loudly.
                warnings.Add(new DatasetWarning("indicator-overflow",
                    $"{id} of {area.AreaCode} is outside the range of a number and is left out.", area.AreaCode, id,
                    q.FeedIds.Order(StringComparer.Ordinal).ToArray()));
                return;
            }

            results[id] = q;
        }

        var hasStatistics = area.Sources.ContainsKey(FeedSource.Statistics);
        var hasGrid = area.Sources.ContainsKey(FeedSource.PowerGrid);
        var hasTransport = area.Sources.ContainsKey(FeedSource.Transport);
        var hasEnvironment = area.Sources.ContainsKey(FeedSource.Environment);

        var energyItems = area.Measures
            .Where(m => m.Key.StartsWith("energy.", StringComparison.Ordinal))
            .Select(m => (Fuel: m.Key[(m.Key.LastIndexOf('.') + 1)..], Sector: m.Key.Split('.')[1], Q: Quantity.Of(m.Value)))
            .ToArray();
        var gdpConstant = Quantity.OfOrNull(area.Get("gdpConstant2020_10kCny"));
        var gridMwh = hasGrid ? SumMeasures(area, "consumption.") : null;
        var c = reference.ForYear(CoalEquivalentSeries, year).Value;

        if (gridMwh is not null)
        {
            ComputeGridMix(area, year, gridMwh, c, Set);
            Set("carbon.electricityTco2", gridMwh * reference.Value("co2.grid.fixed"));
            Set("power.consumptionMwh", gridMwh);
            Set("power.pvInstalledKw", Quantity.OfOrNull(area.Get("pvInstalledKw")));
            Set("power.pvGenerationMwh", Quantity.OfOrNull(area.Get("pvGenerationMwh")));
            Set("power.greenPowerTradedMwh", Quantity.OfOrNull(area.Get("greenPowerTradedMwh")));
            Set("power.demandResponseEvents", Quantity.OfOrNull(area.Get("demandResponse.events")));
            Set("power.demandResponseCurtailedMwh", Quantity.OfOrNull(area.Get("demandResponse.curtailedMwh")));

            // Market-based context figure: what is neither local PV nor bought as green power, at the residual mix.
            var zeroGrid = gridMwh * 0;
            var pv = Quantity.OfOrNull(area.Get("pvGenerationMwh")) ?? zeroGrid;
            var green = Quantity.OfOrNull(area.Get("greenPowerTradedMwh")) ?? zeroGrid;
            var residualMwh = gridMwh - pv - green;
            Set("carbon.electricityMarketTco2", Quantity.From(Math.Max(0, residualMwh.Value), residualMwh.FeedIds, residualMwh.Quality)
                * reference.ForYear(ResidualMixSeries, year).Value);
        }

        if (hasStatistics)
        {
            var zero = Quantity.From(0, area.Get("gdpConstant2020_10kCny")?.FeedIds ?? new HashSet<string>(), area.Sources[FeedSource.Statistics]);
            var fuelItems = energyItems.Where(e => e.Fuel != ElectricityFuel).ToArray();
            var fossilTce = Quantity.Sum(fuelItems.Select(e => e.Q * standardCoal[e.Fuel]), zero);
            Set("carbon.directTco2", Quantity.Sum(energyItems.Where(e => co2Factors.ContainsKey(e.Fuel)).Select(e => e.Q * co2Factors[e.Fuel]), zero));
            var heat = Quantity.Sum(energyItems.Where(e => e.Fuel == HeatFuel).Select(e => e.Q), zero);
            Set("carbon.heatTco2", heat * reference.Value("co2.heat"));
            var feedstock = Quantity.OfOrNull(area.Get("feedstockTce")) ?? zero;
            Set("energy.feedstockTce", feedstock);

            if (gridMwh is not null)
            {
                var totalTce = fossilTce + (gridMwh * c);
                Set("energy.totalTce", totalTce);
                Set("energy.intensity", Ratio(totalTce, gdpConstant));

                if (results.TryGetValue("energy.nonFossilTce", out var nonFossil))
                {
                    Set("energy.nonFossilSharePct", Quantity.Ratio(nonFossil, totalTce, 100));
                    var assessed = totalTce - nonFossil - feedstock;
                    Set("energy.assessedTce", assessed);
                    Set("energy.assessedIntensity", Ratio(assessed, gdpConstant));
                }

                // The final-consumption view keeps the calorific equivalent (当量值), as NBS does for this ratio.
                var electricityCalorific = gridMwh * standardCoal[ElectricityFuel];
                Set("energy.electricityShareOfFinalPct", Quantity.Ratio(electricityCalorific, fossilTce + electricityCalorific, 100));
                var rawCoal = Quantity.Sum(fuelItems.Where(e => e.Fuel == "raw-coal").Select(e => e.Q * standardCoal[e.Fuel]), zero);
                Set("energy.coalSharePct", Quantity.Ratio(rawCoal, totalTce, 100));

                foreach (var (fuel, idPart) in IndicatorCatalog.Fuels)
                {
                    Set($"energy.fuel.{idPart}Tce", fuel == ElectricityFuel
                        ? gridMwh * c
                        : Quantity.Sum(fuelItems.Where(e => e.Fuel == fuel).Select(e => e.Q * standardCoal[fuel]), zero));
                }

                var gridFactor = reference.Value("co2.grid.fixed");
                foreach (var sector in IndicatorCatalog.Sectors)
                {
                    var sectorItems = fuelItems.Where(e => e.Sector == sector).ToArray();
                    var sectorMwh = Quantity.OfOrNull(area.Get("consumption." + sector)) ?? gridMwh * 0;
                    Set($"energy.sector.{sector}Tce", Quantity.Sum(sectorItems.Select(e => e.Q * standardCoal[e.Fuel]), zero) + (sectorMwh * c));
                    var sectorCo2 = Quantity.Sum(sectorItems.Where(e => co2Factors.ContainsKey(e.Fuel)).Select(e => e.Q * co2Factors[e.Fuel]), zero)
                        + (Quantity.Sum(sectorItems.Where(e => e.Fuel == HeatFuel).Select(e => e.Q), zero) * reference.Value("co2.heat"));
                    Set($"carbon.sector.{sector}Tco2", sectorCo2 + (sectorMwh * gridFactor));
                }

                CrossCheckElectricity(area, energyItems, warnings);
            }
        }

        if (results.TryGetValue("carbon.directTco2", out var direct) && results.TryGetValue("carbon.electricityTco2", out var electricity))
        {
            var total = direct + electricity + results["carbon.heatTco2"];
            Set("carbon.totalTco2", total);
            Set("carbon.intensity", Ratio(total, gdpConstant));

            var sink = Quantity.OfOrNull(area.Get("carbonSinkTco2"));
            if (sink is not null)
            {
                Set("carbon.netTco2", total - sink);
            }
        }

        Set("energy.intensityChangeVs2020Pct", ChangeVsBase(results, baseline, "energy.intensity"));
        Set("energy.assessedIntensityChangeVs2020Pct", ChangeVsBase(results, baseline, "energy.assessedIntensity"));
        Set("carbon.intensityChangeVs2020Pct", ChangeVsBase(results, baseline, "carbon.intensity"));

        if (hasTransport)
        {
            var vehicles = area.Measures.Where(m => m.Key.StartsWith("vehicles.", StringComparison.Ordinal)).ToArray();
            Quantity? SumVehicles(Func<string, bool> category, string part) => Quantity.SumOrNull(
                vehicles.Where(v => v.Key.EndsWith("." + part, StringComparison.Ordinal) && category(v.Key.Split('.')[1]))
                    .Select(v => Quantity.Of(v.Value)));
            Set("transport.nevSharePct", Ratio(SumVehicles(_ => true, "nev"), SumVehicles(_ => true, "total"), 100));
            Set("transport.publicSectorNevSharePct", Ratio(
                SumVehicles(c => PublicSectorCategories.Contains(c), "nev"), SumVehicles(c => PublicSectorCategories.Contains(c), "total"), 100));
            var bev = Quantity.OfOrNull(area.Get("registrations.public-sector.bev"));
            var fcev = Quantity.OfOrNull(area.Get("registrations.public-sector.fcev"));
            Set("transport.publicSectorNewZeroEmissionPct",
                Ratio(bev is null || fcev is null ? null : bev + fcev, Quantity.OfOrNull(area.Get("registrations.public-sector.total")), 100));
            Set("transport.chargingCoveragePct",
                Ratio(Quantity.OfOrNull(area.Get("publicParkingSpacesWithChargers")), Quantity.OfOrNull(area.Get("publicParkingSpaces")), 100));
            var gasoline = Quantity.OfOrNull(area.Get("fuelSales.gasolineT"));
            var diesel = Quantity.OfOrNull(area.Get("fuelSales.dieselT"));
            if (gasoline is not null && diesel is not null)
            {
                Set("transport.roadFuelTco2", (gasoline * co2Factors["gasoline"]) + (diesel * co2Factors["diesel"]));
            }

            Set("transport.transitBoardings10k", Quantity.OfOrNull(area.Get("transitBoardings10k")));
        }

        if (hasEnvironment)
        {
            ComputeEnvironment(area, Set);
        }

        return results;
    }

    // s̄ weights each month's grid share by its consumption; a month without the grid company's figure takes s_y and
    // makes every figure built on it an estimate. PV counts fully, up to the consumption it is part of.
    private void ComputeGridMix(AreaFacts area, int year, Quantity gridMwh, double c, Action<string, Quantity?> set)
    {
        if (gridMwh.Value == 0)
        {
            // No consumption: no share to weigh, and no non-fossil electricity either.
            set("energy.nonFossilTce", gridMwh * c);
            return;
        }

        var reported = Quantity.OfOrNull(area.Get(MeasureCatalog.GridMixReportedMwh)) ?? gridMwh * 0;
        var reportedNonFossil = Quantity.OfOrNull(area.Get(MeasureCatalog.GridMixReportedNonFossilMwh)) ?? gridMwh * 0;
        var defaultedMwh = gridMwh - reported;
        var sy = reference.ForYear(GridShareSeries, year).Value;
        var nonFossilGridMwh = reportedNonFossil + (defaultedMwh * (sy / 100));
        var share = Quantity.Ratio(nonFossilGridMwh, gridMwh, 100)!;
        // Rounding in the two flows can leave a few MWh "defaulted" where every month reported; only a real gap is an estimate.
        if (defaultedMwh.Value > 1e-9 * gridMwh.Value)
        {
            share = share.AsEstimated();
        }

        set("power.gridNonFossilSharePct", share);
        var pv = Quantity.OfOrNull(area.Get("pvGenerationMwh")) ?? gridMwh * 0;
        var localPv = Quantity.Min(pv, gridMwh);
        var nonFossilMwh = localPv + ((gridMwh - localPv) * share * 0.01);
        set("energy.nonFossilTce", nonFossilMwh * c);
    }

    private void ComputeEnvironment(AreaFacts area, Action<string, Quantity?> set)
    {
        var quality = area.Sources[FeedSource.Environment];
        ComputeDataCentres(area, quality, set);
        set("buildings.newGreenCompliancePct",
            Ratio(Quantity.OfOrNull(area.Get("buildings.newGreenCompliant")), Quantity.OfOrNull(area.Get("buildings.newCivilBuildings")), 100));
        set("buildings.newGreenFloorAreaPct",
            Ratio(Quantity.OfOrNull(area.Get("newGreenFloorArea10kM2")), Quantity.OfOrNull(area.Get("newCivilFloorArea10kM2")), 100));
        set("power.pvPublicBuildingsSharePct",
            Ratio(Quantity.OfOrNull(area.Get("buildings.publicBuildingsWithPv")), Quantity.OfOrNull(area.Get("buildings.publicBuildingsEligibleForPv")), 100));

        var days = Quantity.OfOrNull(area.Get("airQuality.days"));
        if (days is not null)
        {
            set("env.aqiMean", Ratio(Quantity.OfOrNull(area.Get(MeasureCatalog.AqiDayProduct)), days));
            set("env.pm25UgM3", Ratio(Quantity.OfOrNull(area.Get(MeasureCatalog.Pm25DayProduct)), days));
            set("env.goodDayRatioPct", Ratio(Quantity.OfOrNull(area.Get("airQuality.goodDays")), days, 100));
        }

        set("env.carbonSinkTco2", Quantity.OfOrNull(area.Get("carbonSinkTco2")));
    }

    private void ComputeDataCentres(AreaFacts area, Quality quality, Action<string, Quantity?> set)
    {
        if (!area.DataCentresReported)
        {
            return;
        }

        var centres = area.DataCentres;
        var centreFeeds = centres.SelectMany(c => c.FeedIds).Concat(area.Get("airQuality.days")?.FeedIds ?? Enumerable.Empty<string>());
        var centreQuality = centres.Select(c => c.Quality).Append(quality).Max();
        set("dc.count", Quantity.From(centres.Count, centreFeeds, centreQuality));
        if (centres.Count > 0)
        {
            set("dc.pueMax", Quantity.From(centres.Max(c => c.Pue), centreFeeds, centreQuality));
        }

        var newLimit = reference.Value("rule.pueLimit.new");
        var existingLimit = reference.Value("rule.pueLimit.existing");
        set("dc.nonCompliantNew", Quantity.From(centres.Count(c => c.Status == "new" && c.Pue > newLimit), centreFeeds, centreQuality));
        set("dc.nonCompliantExisting", Quantity.From(centres.Count(c => c.Status != "new" && c.Pue > existingLimit), centreFeeds, centreQuality));
    }

    // Statistics may also report electricity; the grid is authoritative, and a gap over tolerance is worth a warning.
    private void CrossCheckElectricity(AreaFacts area, IEnumerable<(string Fuel, string Sector, Quantity Q)> energyItems, List<DatasetWarning> warnings)
    {
        var tolerance = reference.Value("rule.electricityCrossCheckTolerance");
        foreach (var item in energyItems.Where(e => e.Fuel == ElectricityFuel))
        {
            var stat = area.Get($"energy.{item.Sector}.{ElectricityFuel}");
            var grid = area.Get($"consumption.{item.Sector}");
            if (stat is null || grid is null || stat.Derived || grid.Derived)
            {
                continue;
            }

            if (MeasureCatalog.DiffersBeyond(stat.Value, grid.Value, tolerance))
            {
                warnings.Add(new DatasetWarning("electricity-cross-check", string.Create(CultureInfo.InvariantCulture,
                    $"Statistics reports {stat.Value} MWh of electricity for {item.Sector} in {area.AreaCode}, the grid {grid.Value} MWh "
                        + $"(more than {tolerance:P0} apart); the grid figure is used."),
                    area.AreaCode, "energy.totalTce", stat.FeedIds.Concat(grid.FeedIds).Order(StringComparer.Ordinal).ToArray()));
            }
        }
    }

    private static Quantity? ChangeVsBase(Dictionary<string, Quantity> current, IReadOnlyDictionary<string, Quantity>? baseline, string intensityId)
    {
        if (!current.TryGetValue(intensityId, out var now) || baseline is null || !baseline.TryGetValue(intensityId, out var then))
        {
            return null;
        }

        var ratio = Quantity.Ratio(now, then);
        return ratio is null ? null : Quantity.From((ratio.Value - 1) * 100, ratio.FeedIds, ratio.Quality);
    }

    private static Quantity? SumMeasures(AreaFacts area, string prefix) =>
        Quantity.SumOrNull(area.Measures.Where(m => m.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(m => Quantity.Of(m.Value)));

    private static Quantity? Ratio(Quantity? numerator, Quantity? denominator, double scale = 1) =>
        numerator is null || denominator is null ? null : Quantity.Ratio(numerator, denominator, scale);
}
