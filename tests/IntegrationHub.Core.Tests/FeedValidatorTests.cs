using System.Text.Json.Nodes;
using IntegrationHub.Core.Tests.Support;
using IntegrationHub.Core.Validation;
using static IntegrationHub.Core.Tests.Support.FeedBuilder;

namespace IntegrationHub.Core.Tests;

/// <summary>Schema selection and every domain rule, each on an otherwise valid feed so exactly one error is expected.</summary>
public class FeedValidatorTests
{
    private static ValidationReport Validate(JsonNode feed, string? expectedSource = null) =>
        TestCore.Core.Validator.Validate(feed.Bytes(), expectedSource).Report;

    private static void AssertSingleError(JsonNode feed, string pointer, string keyword, string? expectedSource = null)
    {
        var report = Validate(feed, expectedSource);
        var error = Assert.Single(report.Errors);
        Assert.Equal((pointer, keyword), (error.InstanceLocation, error.Keyword));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Equal(ValidationVerdict.Invalid, report.Verdict);
    }

    private static JsonObject ValidTransport() => Transport("2024-06",
        TransportRecord("430104010", [("bus", 300, 280), ("private", 20000, 3000)], spaces: 5000, spacesWithChargers: 1200));

    private static JsonObject ValidEnvironment(string period = "2024-02", int goodDays = 20, int days = 29) => Environment(period,
        EnvironmentRecord("430104010", aqiMean: 70, pm25: 40, goodDays: goodDays, days: days));

    [Fact]
    public void Validate_ValidFeed_IsAcceptedWithIdentityAndNoErrors()
    {
        var check = TestCore.Core.Validator.Validate(ValidTransport().Bytes(), "transport");
        Assert.Empty(check.Report.Errors);
        Assert.NotNull(check.Feed);
        Assert.Equal("transport", check.Feed!.Source);
        Assert.Equal("2024-06", check.Feed.Period.ToString());
        Assert.Equal("1.0", check.Report.SchemaVersion);
        Assert.StartsWith("transport-2024-06-r0-", check.Report.FeedId, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SameBytesTwice_GivesTheSameFeedId()
    {
        var bytes = ValidTransport().Bytes();
        Assert.Equal(TestCore.Core.Validator.Validate(bytes).Report.FeedId, TestCore.Core.Validator.Validate(bytes).Report.FeedId);
    }

    [Fact]
    public void Validate_NoSchemaVersion_UsesTheLatest()
    {
        var feed = ValidTransport();
        feed.Remove("schemaVersion");
        var report = Validate(feed);
        Assert.Empty(report.Errors);
        Assert.Equal(TestCore.Core.Schemas.FeedSchemaVersions("transport")[^1], report.SchemaVersion);
    }

    [Fact]
    public void Validate_UnknownSchemaVersion_NamesTheVersionsThatExist()
    {
        var feed = ValidTransport();
        feed["schemaVersion"] = "7.0";
        AssertSingleError(feed, "/schemaVersion", "rule:schema-version-known");
        Assert.Contains("1.0", Validate(feed).Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SourceDiffersFromPushUrl_IsRejected()
    {
        AssertSingleError(ValidTransport(), "/source", "rule:source-matches-url", expectedSource: "environment");
    }

    [Fact]
    public void Validate_UnknownSource_IsAnEnumErrorListingTheSources()
    {
        var feed = ValidTransport();
        feed["source"] = "weather";
        AssertSingleError(feed, "/source", "enum");
    }

    [Fact]
    public void Validate_SchemaViolations_AreAllReportedWithPointers()
    {
        var feed = ValidTransport();
        var record = (JsonObject)feed["records"]![0]!;
        record["publicParkingSpaces"] = "5000";
        record["chargerz"] = 3;
        record.Remove("chargingMwh");
        var errors = Validate(feed).Errors.Select(e => (e.InstanceLocation, e.Keyword)).Order().ToArray();
        Assert.Equal(
            [("/records/0", "required"), ("/records/0/chargerz", "additionalProperties"), ("/records/0/publicParkingSpaces", "type")],
            errors);
    }

    [Fact]
    public void Validate_StatisticsSendingAMonth_FailsThePeriodPattern()
    {
        AssertSingleError(Statistics("2024-03", StatisticsRecord("430104010", 100, 90, ("industry", "raw-coal", 5))), "/period", "pattern");
    }

    [Fact]
    public void Validate_PatternViolation_MessageQuotesTheOffendingValue()
    {
        var feed = ValidTransport();
        feed["period"] = "2024-Q2";
        Assert.Contains("'2024-Q2'", Validate(feed).Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownProperty_MessageNamesTheProperty()
    {
        var feed = ValidTransport();
        feed["records"]![0]!["chargerz"] = 3;
        Assert.Contains("'chargerz'", Validate(feed).Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MonthlySourceSendingAQuarter_FailsThePeriodPattern()
    {
        var feed = ValidTransport();
        feed["period"] = "2024-Q2";
        AssertSingleError(feed, "/period", "pattern");
    }

    [Fact]
    public void Validate_ProducedBeforeThePeriodStarts_IsRejected()
    {
        var feed = ValidTransport();
        feed["producedAt"] = "2024-05-31T23:00:00+08:00";
        AssertSingleError(feed, "/producedAt", "rule:produced-before-period");
    }

    [Fact]
    public void Validate_ProducedAtLocalMidnightOfTheFirstDay_IsAccepted()
    {
        var feed = ValidTransport();
        feed["producedAt"] = "2024-06-01T00:00:00+08:00";
        Assert.Empty(Validate(feed).Errors);
    }

    [Fact]
    public void Validate_UnknownAreaCodeOfTheRightShape_IsRejected()
    {
        var feed = ValidTransport();
        feed["records"]![0]!["areaCode"] = "430104099";
        AssertSingleError(feed, "/records/0/areaCode", "rule:known-area");
    }

    [Fact]
    public void Validate_SecondRecordForTheSameArea_IsRejectedOnTheSecond()
    {
        var feed = Transport("2024-06",
            TransportRecord("430104010", [("bus", 1, 1)], 10, 1),
            TransportRecord("430104011", [("bus", 1, 1)], 10, 1),
            TransportRecord("430104010", [("bus", 1, 1)], 10, 1));
        AssertSingleError(feed, "/records/2/areaCode", "rule:unique-area");
    }

    [Fact]
    public void Validate_NevAboveTotal_IsRejected()
    {
        AssertSingleError(Transport("2024-06", TransportRecord("430104010", [("bus", 300, 280), ("taxi", 100, 101)], 10, 1)),
            "/records/0/vehicles/1/nev", "rule:nev-le-total");
    }

    [Fact]
    public void Validate_SameVehicleCategoryTwice_IsRejected()
    {
        AssertSingleError(Transport("2024-06", TransportRecord("430104010", [("bus", 300, 280), ("bus", 10, 1)], 10, 1)),
            "/records/0/vehicles/1/category", "rule:unique-vehicle-category");
    }

    [Fact]
    public void Validate_SpacesWithChargersAboveSpaces_IsRejected()
    {
        AssertSingleError(Transport("2024-06", TransportRecord("430104010", [("bus", 1, 1)], spaces: 100, spacesWithChargers: 101)),
            "/records/0/publicParkingSpacesWithChargers", "rule:chargers-le-spaces");
    }

    [Fact]
    public void Validate_GoodDaysAboveDays_IsRejected()
    {
        AssertSingleError(ValidEnvironment(goodDays: 29, days: 28), "/records/0/airQuality/goodDays", "rule:good-days-le-days");
    }

    [Theory]
    [InlineData("2024-02", 30)] // 2024 is a leap year: 29 days
    [InlineData("2025-02", 29)]
    [InlineData("2025-04", 31)]
    public void Validate_MoreDaysThanTheMonthHas_IsRejected(string period, int days)
    {
        AssertSingleError(ValidEnvironment(period, goodDays: 1, days: days), "/records/0/airQuality/days", "rule:days-le-month-length");
    }

    [Fact]
    public void Validate_LeapDayCounted_IsAccepted()
    {
        Assert.Empty(Validate(ValidEnvironment("2024-02", goodDays: 29, days: 29)).Errors);
    }

    [Fact]
    public void Validate_DataCentreTotalBelowIt_IsRejected()
    {
        var feed = ValidEnvironment();
        feed["records"]![0]!["dataCentres"] = new JsonArray(
            new JsonObject { ["id"] = "dc-1", ["name"] = "A", ["status"] = "new", ["itMwh"] = 100.0, ["totalMwh"] = 120.0 },
            new JsonObject { ["id"] = "dc-2", ["name"] = "B", ["status"] = "existing", ["itMwh"] = 100.0, ["totalMwh"] = 99.0 });
        AssertSingleError(feed, "/records/0/dataCentres/1/totalMwh", "rule:pue-at-least-1");
    }

    [Fact]
    public void Validate_DataCentreListedTwice_IsRejected()
    {
        var feed = ValidEnvironment();
        feed["records"]![0]!["dataCentres"] = new JsonArray(
            new JsonObject { ["id"] = "dc-1", ["name"] = "A", ["status"] = "new", ["itMwh"] = 100.0, ["totalMwh"] = 120.0 },
            new JsonObject { ["id"] = "dc-1", ["name"] = "A", ["status"] = "new", ["itMwh"] = 100.0, ["totalMwh"] = 120.0 });
        AssertSingleError(feed, "/records/0/dataCentres/1/id", "rule:unique-data-centre");
    }

    [Theory]
    [InlineData(10, 11, 5, 5, "/records/0/buildings/newGreenCompliant", "rule:green-le-new")]
    [InlineData(10, 10, 6, 5, "/records/0/buildings/publicBuildingsWithPv", "rule:pv-buildings-le-eligible")]
    public void Validate_BuildingPartAboveWhole_IsRejected(int newCivil, int green, int withPv, int eligible, string pointer, string keyword)
    {
        var feed = ValidEnvironment();
        feed["records"]![0]!["buildings"] = new JsonObject
        {
            ["newCivilBuildings"] = newCivil, ["newGreenCompliant"] = green, ["publicBuildingsWithPv"] = withPv, ["publicBuildingsEligibleForPv"] = eligible,
        };
        AssertSingleError(feed, pointer, keyword);
    }

    [Fact]
    public void Validate_PvOnPublicBuildingsAboveAllPv_IsRejected()
    {
        AssertSingleError(PowerGrid("2024-06", PowerGridRecord("430104010", [("industry", 1000)], pvInstalledKw: 100, pvPublicKw: 101)),
            "/records/0/pvPublicBuildingsInstalledKw", "rule:pv-public-le-total");
    }

    [Fact]
    public void Validate_SameConsumptionSectorTwice_IsRejected()
    {
        AssertSingleError(PowerGrid("2024-06", PowerGridRecord("430104010", [("industry", 1000), ("industry", 5)])),
            "/records/0/consumption/1/sector", "rule:unique-consumption-sector");
    }

    [Fact]
    public void Validate_SameSectorAndFuelTwice_IsRejected()
    {
        AssertSingleError(
            Statistics("2024-Q2", StatisticsRecord("430104010", 100, 90, ("industry", "raw-coal", 5), ("industry", "diesel", 1), ("industry", "raw-coal", 2))),
            "/records/0/energy/2", "rule:unique-energy-item");
    }

    [Fact]
    public void Validate_ParentAndChildrenDisagreeBeyondTolerance_IsAWarningNotAnError()
    {
        var feed = Statistics("2024-Q2",
            StatisticsRecord("430104", 1000, 900, ("industry", "raw-coal", 100)),
            StatisticsRecord("430104010", 600, 500, ("industry", "raw-coal", 50)),
            StatisticsRecord("430104011", 300, 300, ("industry", "raw-coal", 50)));
        var report = Validate(feed);
        Assert.Empty(report.Errors);
        var warnings = report.Warnings.Select(w => (w.InstanceLocation, w.Keyword, Measure: w.Message.Split(' ')[0])).ToArray();
        // gdp10kCny: 1000 vs 900 (10 % off); gdpConstant: 900 vs 800; coal 100 vs 100 agrees.
        Assert.Equal(
            [("/records/0", "rule:parent-children-consistency", "gdp10kCny"), ("/records/0", "rule:parent-children-consistency", "gdpConstant2020_10kCny")],
            warnings.Order());
    }

    [Fact]
    public void Validate_ParentAndChildrenWithinTolerance_HasNoWarning()
    {
        var feed = Statistics("2024-Q2",
            StatisticsRecord("430104", 1000, 800, ("industry", "diesel", 10)),
            StatisticsRecord("430104010", 600.2, 500, ("industry", "diesel", 4)),
            StatisticsRecord("430104011", 400, 300, ("industry", "diesel", 6)));
        Assert.Empty(Validate(feed).Warnings);
    }
}
