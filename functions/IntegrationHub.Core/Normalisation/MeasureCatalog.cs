using System.Text.Json;
using IntegrationHub.Core.Feeds;

namespace IntegrationHub.Core.Normalisation;

/// <summary>How a measure combines over months and over child areas (feed-contract.md, "Aggregation to the data set").</summary>
public enum Aggregation
{
    /// <summary>Summed over the months of the period and over child areas.</summary>
    Flow,

    /// <summary>Last month of the period; summed over child areas. Never summed over time.</summary>
    Stock,

    /// <summary>Highest month of the period; summed over child areas (non-coincident peak).</summary>
    Peak,
}

/// <summary>
/// The canonical measures a feed record becomes. Keys are stable ids (<c>energy.industry.raw-coal</c>,
/// <c>vehicles.bus.nev</c>), values are in the contract's unit. Day-weighted means (AQI, PM2.5) are carried as
/// value × days so that plain sums aggregate them correctly; the indicator divides by the summed days.
/// </summary>
public static class MeasureCatalog
{
    public const string AqiDayProduct = "airQuality.aqiMeanTimesDays";
    public const string Pm25DayProduct = "airQuality.pm25TimesDays";

    /// <summary>Consumption of months whose power-grid feed sent gridNonFossilSharePct, MWh (a flow).</summary>
    public const string GridMixReportedMwh = "gridMix.reportedMwh";

    /// <summary>Σ consumption × the month's gridNonFossilSharePct / 100 over those months, MWh (a flow).</summary>
    public const string GridMixReportedNonFossilMwh = "gridMix.reportedNonFossilMwh";

    public static Aggregation AggregationOf(string measure) => measure switch
    {
        "population10k" or "pvInstalledKw" or "pvPublicBuildingsInstalledKw" or "publicParkingSpaces"
            or "publicParkingSpacesWithChargers" or "publicChargers" or "buildings.publicBuildingsWithPv"
            or "buildings.publicBuildingsEligibleForPv" => Aggregation.Stock,
        _ when measure.StartsWith("vehicles.", StringComparison.Ordinal) => Aggregation.Stock,
        "peakLoadMw" => Aggregation.Peak,
        _ => Aggregation.Flow,
    };

    /// <summary>Whether a parent's value should equal the sum of its children's.</summary>
    public static bool IsSummable(string measure) => AggregationOf(measure) != Aggregation.Peak;

    public static bool DiffersBeyond(double a, double b, double relativeTolerance)
    {
        var scale = Math.Max(Math.Abs(a), Math.Abs(b));
        return scale > 0 && Math.Abs(a - b) / scale > relativeTolerance;
    }

    /// <summary>One record of a schema-valid feed as canonical measures.</summary>
    public static IReadOnlyDictionary<string, double> Flatten(string source, JsonElement record)
    {
        var m = new Dictionary<string, double>(StringComparer.Ordinal);
        switch (source)
        {
            case FeedSource.Statistics:
                Copy(record, m, "gdp10kCny", "gdpConstant2020_10kCny", "population10k", "feedstockTce");
                foreach (var item in Items(record, "energy"))
                {
                    Add(m, $"energy.{item.GetProperty("sector").GetString()}.{item.GetProperty("fuel").GetString()}", item.GetProperty("quantity").GetDouble());
                }

                break;
            case FeedSource.PowerGrid:
                Copy(record, m, "pvInstalledKw", "pvPublicBuildingsInstalledKw", "pvGenerationMwh", "peakLoadMw", "greenPowerTradedMwh");
                foreach (var item in Items(record, "consumption"))
                {
                    Add(m, $"consumption.{item.GetProperty("sector").GetString()}", item.GetProperty("mwh").GetDouble());
                }

                if (record.TryGetProperty("demandResponse", out var dr))
                {
                    m["demandResponse.events"] = dr.GetProperty("events").GetDouble();
                    m["demandResponse.curtailedMwh"] = dr.GetProperty("curtailedMwh").GetDouble();
                }

                break;
            case FeedSource.Transport:
                Copy(record, m, "publicParkingSpaces", "publicParkingSpacesWithChargers", "publicChargers", "chargingMwh", "transitBoardings10k");
                foreach (var item in Items(record, "vehicles"))
                {
                    var category = item.GetProperty("category").GetString();
                    Add(m, $"vehicles.{category}.total", item.GetProperty("total").GetDouble());
                    Add(m, $"vehicles.{category}.nev", item.GetProperty("nev").GetDouble());
                }

                foreach (var item in Items(record, "newRegistrations"))
                {
                    var category = item.GetProperty("category").GetString();
                    foreach (var part in (string[])["total", "bev", "fcev", "phev"])
                    {
                        Add(m, $"registrations.{category}.{part}", item.GetProperty(part).GetDouble());
                    }
                }

                var fuel = record.GetProperty("fuelSales");
                m["fuelSales.gasolineT"] = fuel.GetProperty("gasolineT").GetDouble();
                m["fuelSales.dieselT"] = fuel.GetProperty("dieselT").GetDouble();
                break;
            case FeedSource.Environment:
                var air = record.GetProperty("airQuality");
                var days = air.GetProperty("days").GetDouble();
                m[AqiDayProduct] = air.GetProperty("aqiMean").GetDouble() * days;
                m[Pm25DayProduct] = air.GetProperty("pm25UgM3").GetDouble() * days;
                m["airQuality.goodDays"] = air.GetProperty("goodDays").GetDouble();
                m["airQuality.days"] = days;
                Copy(record, m, "carbonSinkTco2");
                if (record.TryGetProperty("buildings", out var b))
                {
                    foreach (var name in (string[])["newCivilBuildings", "newGreenCompliant", "publicBuildingsWithPv", "publicBuildingsEligibleForPv"])
                    {
                        m["buildings." + name] = b.GetProperty(name).GetDouble();
                    }

                    Copy(b, m, "newCivilFloorArea10kM2", "newGreenFloorArea10kM2");
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(source), source, "Unknown feed source.");
        }

        return m;
    }

    private static IEnumerable<JsonElement> Items(JsonElement record, string name) =>
        record.TryGetProperty(name, out var items) ? items.EnumerateArray() : [];

    private static void Copy(JsonElement record, Dictionary<string, double> m, params string[] names)
    {
        foreach (var name in names)
        {
            if (record.TryGetProperty(name, out var value))
            {
                m[name] = value.GetDouble();
            }
        }
    }

    private static void Add(Dictionary<string, double> m, string key, double value) => m[key] = m.GetValueOrDefault(key) + value;
}
