using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Normalisation;

namespace IntegrationHub.Core.Tests.Support;

/// <summary>Small contract-shaped feeds written in the test, so each test shows the numbers it asserts on.</summary>
internal static class FeedBuilder
{
    public static JsonObject Envelope(
        string source, string period, int revision, IEnumerable<JsonObject> records, string producedAt = "2026-01-15T09:00:00+08:00") => new()
    {
        ["schemaVersion"] = "1.0",
        ["source"] = source,
        ["period"] = period,
        ["revision"] = revision,
        ["producedAt"] = producedAt,
        ["producer"] = "test-system",
        ["records"] = new JsonArray(records.Select(r => (JsonNode)r).ToArray()),
    };

    public static JsonObject Statistics(string period, params JsonObject[] records) => Envelope("statistics", period, 0, records);

    public static JsonObject StatisticsRecord(
        string area, double gdp, double gdpConstant, params (string Sector, string Fuel, double Quantity)[] energy) => new()
    {
        ["areaCode"] = area,
        ["gdp10kCny"] = gdp,
        ["gdpConstant2020_10kCny"] = gdpConstant,
        ["energy"] =
            new JsonArray(energy.Select(e => (JsonNode)new JsonObject { ["sector"] = e.Sector, ["fuel"] = e.Fuel, ["quantity"] = e.Quantity }).ToArray()),
    };

    public static JsonObject PowerGrid(string period, params JsonObject[] records) => Envelope("power-grid", period, 0, records);

    public static JsonObject PowerGridRecord(
        string area, (string Sector, double Mwh)[] consumption, double pvInstalledKw = 0, double pvPublicKw = 0, double pvGenerationMwh = 0,
        double peakLoadMw = 1, double? greenPowerTradedMwh = null)
    {
        var record = new JsonObject
        {
            ["areaCode"] = area,
            ["consumption"] = new JsonArray(consumption.Select(c => (JsonNode)new JsonObject { ["sector"] = c.Sector, ["mwh"] = c.Mwh }).ToArray()),
            ["pvInstalledKw"] = pvInstalledKw,
            ["pvPublicBuildingsInstalledKw"] = pvPublicKw,
            ["pvGenerationMwh"] = pvGenerationMwh,
            ["peakLoadMw"] = peakLoadMw,
        };
        if (greenPowerTradedMwh is not null)
        {
            record["greenPowerTradedMwh"] = greenPowerTradedMwh;
        }

        return record;
    }

    public static JsonObject Transport(string period, params JsonObject[] records) => Envelope("transport", period, 0, records);

    public static JsonObject TransportRecord(
        string area, (string Category, int Total, int Nev)[] vehicles, int spaces, int spacesWithChargers, int chargers = 0, double chargingMwh = 0,
        double gasolineT = 0, double dieselT = 0) => new()
    {
        ["areaCode"] = area,
        ["vehicles"] =
            new JsonArray(vehicles.Select(v => (JsonNode)new JsonObject { ["category"] = v.Category, ["total"] = v.Total, ["nev"] = v.Nev }).ToArray()),
        ["publicParkingSpaces"] = spaces,
        ["publicParkingSpacesWithChargers"] = spacesWithChargers,
        ["publicChargers"] = chargers,
        ["chargingMwh"] = chargingMwh,
        ["fuelSales"] = new JsonObject { ["gasolineT"] = gasolineT, ["dieselT"] = dieselT },
    };

    public static JsonObject Environment(string period, params JsonObject[] records) => Envelope("environment", period, 0, records);

    public static JsonObject EnvironmentRecord(string area, double aqiMean, double pm25, int goodDays, int days, double carbonSinkTco2 = 0) => new()
    {
        ["areaCode"] = area,
        ["airQuality"] = new JsonObject { ["aqiMean"] = aqiMean, ["pm25UgM3"] = pm25, ["goodDays"] = goodDays, ["days"] = days },
        ["carbonSinkTco2"] = carbonSinkTco2,
    };

    /// <summary>Adds the optional <c>dataCentres</c> of an environment record (PUE = totalMwh / itMwh).</summary>
    public static JsonObject WithDataCentres(this JsonObject record, params (string Id, string Name, string Status, double ItMwh, double TotalMwh)[] centres)
    {
        record["dataCentres"] = new JsonArray(centres.Select(c => (JsonNode)new JsonObject
        {
            ["id"] = c.Id,
            ["name"] = c.Name,
            ["status"] = c.Status,
            ["itMwh"] = c.ItMwh,
            ["totalMwh"] = c.TotalMwh,
        }).ToArray());
        return record;
    }

    /// <summary>Adds the optional <c>buildings</c> of an environment record: two flows of the month, two stocks at month end.</summary>
    public static JsonObject WithBuildings(
        this JsonObject record, int newCivilBuildings, int newGreenCompliant, int publicBuildingsWithPv, int publicBuildingsEligibleForPv)
    {
        record["buildings"] = new JsonObject
        {
            ["newCivilBuildings"] = newCivilBuildings,
            ["newGreenCompliant"] = newGreenCompliant,
            ["publicBuildingsWithPv"] = publicBuildingsWithPv,
            ["publicBuildingsEligibleForPv"] = publicBuildingsEligibleForPv,
        };
        return record;
    }

    /// <summary>Adds the optional <c>demandResponse</c> of a power-grid record.</summary>
    public static JsonObject WithDemandResponse(this JsonObject record, int events, double curtailedMwh)
    {
        record["demandResponse"] = new JsonObject { ["events"] = events, ["curtailedMwh"] = curtailedMwh };
        return record;
    }

    public static JsonObject WithRevision(this JsonObject feed, int revision)
    {
        feed["revision"] = revision;
        return feed;
    }

    public static byte[] Bytes(this JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    /// <summary>Validates like intake does and fails the test, with the report, if the feed is not accepted.</summary>
    public static NormalisedFeed Accept(this JsonObject feed)
    {
        var check = TestCore.Core.Validator.Validate(feed.Bytes());
        Assert.True(
            check.Feed is not null, "feed rejected: " + string.Join("; ", check.Report.Errors.Select(e => $"{e.InstanceLocation} {e.Keyword} {e.Message}")));
        return FeedNormaliser.Normalise(check.Feed!);
    }
}
