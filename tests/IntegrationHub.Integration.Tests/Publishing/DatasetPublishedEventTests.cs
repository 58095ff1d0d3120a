using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Functions.Publishing;
using static IntegrationHub.Integration.Tests.Publishing.PublishingSamples;

namespace IntegrationHub.Integration.Tests.Publishing;

/// <summary>The update event as feed-contract.md ("Methodology change and the update event") and schemas/events/dataset-published/1.1 define it.</summary>
public sealed class DatasetPublishedEventTests
{
    // The schema's own example: 2025-Q1 v2, power consumption revised in XJNA and 430104.
    private static readonly DatasetDocument Q1Version2 = Dataset(
        "2025-Q1", 2, "partial",
        ("XJNA", "power.consumptionMwh", 3182600), ("XJNA", "carbon.totalTco2", 1_250_000),
        ("430104", "power.consumptionMwh", 2351800), ("430104", "carbon.totalTco2", 910_000),
        ("430104001", "power.consumptionMwh", 120_400));

    private static readonly IndicatorChange[] Q1Version2Changes =
    [
        new("XJNA", "power.consumptionMwh", 3176900, 3182600),
        new("430104", "power.consumptionMwh", 2346100, 2351800),
    ];

    private static JsonDocument Structured(DatasetDocument document, IReadOnlyList<IndicatorChange> changes) =>
        JsonDocument.Parse(DatasetPublishedEvent.Serialize(DatasetPublishedEvent.Create(document, changes)));

    private static void AssertConformsToEventSchema(JsonElement structured)
    {
        var issues = Hub.Schemas.Evaluate(Hub.Schemas.DatasetPublishedEvent(), structured);
        Assert.True(issues.Count == 0,
            "event does not match its schema: "
            + string.Join("; ", issues.Select(i => $"{i.InstanceLocation} {i.Keyword}: {i.Message}")));
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public void Create_SchemaExampleDataset_SerialisesToExactlyTheSchemaExample()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "schemas", "events", "dataset-published", "1.1.schema.json")))!;
        var example = schema["examples"]![0]!;

        using var structured = Structured(Q1Version2, Q1Version2Changes);

        Assert.True(
            JsonNode.DeepEquals(example, JsonNode.Parse(structured.RootElement.GetRawText())),
            "expected the schema's example, got " + structured.RootElement.GetRawText());
    }

    [Fact]
    public void Create_AnyVersion_SetsTheEnvelopeOfTheContract()
    {
        var cloudEvent = DatasetPublishedEvent.Create(Q1Version2, Q1Version2Changes);

        Assert.Equal("1.0", cloudEvent.SpecVersion.VersionId);
        Assert.Equal("cn.xiangjiang.dualcarbon.dataset.published", cloudEvent.Type);
        Assert.Equal("/integration-hub", cloudEvent.Source!.OriginalString);
        Assert.Equal("2025-Q1/v2", cloudEvent.Id);
        Assert.Equal(new DateTimeOffset(2025, 4, 18, 2, 15, 33, TimeSpan.Zero), cloudEvent.Time);
        Assert.Equal("2025-Q1", cloudEvent.Subject);
        Assert.Equal("application/json", cloudEvent.DataContentType);
        var data = DatasetPublishedEvent.DataOf(cloudEvent);
        Assert.Equal(("2025-Q1", 2, "partial", "/api/datasets/2025-Q1/versions/2"), (data.Period, data.Version, data.Status, data.Url));
    }

    [Fact]
    public void Serialize_AnyEvent_IsStructuredJsonWithTheAttributesAtTopLevelAndNothingElse()
    {
        using var structured = Structured(Q1Version2, Q1Version2Changes);

        Assert.Equal(
            ["data", "datacontenttype", "id", "source", "specversion", "subject", "time", "type"],
            structured.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("2025-04-18T02:15:33Z", structured.RootElement.GetProperty("time").GetString());
    }

    [Fact]
    public void Create_Version1_ListsEveryAreaOfTheDatasetAndEveryFigureWithOldNull()
    {
        // WCM has no figure at all in this data set: version 1 still announces it (schema: "for version 1: every area").
        var document = Dataset(
            "2024", 1, "complete",
            ("XJNA", "energy.totalTce", 5_000_000), ("XJNA", "carbon.totalTco2", 9_000_000),
            ("430104", "energy.totalTce", 3_100_000), ("WCM", "energy.totalTce", null));

        using var structured = Structured(document, DatasetDiff.Compare(null, document));

        var data = structured.RootElement.GetProperty("data");
        Assert.Equal(["XJNA", "430104", "WCM"], Strings(data.GetProperty("areas")));
        var changes = data.GetProperty("changedIndicators").EnumerateArray()
            .Select(c => (c.GetProperty("areaCode").GetString(), c.GetProperty("id").GetString(),
                c.GetProperty("old").ValueKind, c.GetProperty("new").GetDouble()))
            .OrderBy(c => c.Item1, StringComparer.Ordinal).ThenBy(c => c.Item2, StringComparer.Ordinal);
        Assert.Equal(
            [
                ("430104", "energy.totalTce", JsonValueKind.Null, 3_100_000d),
                ("XJNA", "carbon.totalTco2", JsonValueKind.Null, 9_000_000d),
                ("XJNA", "energy.totalTce", JsonValueKind.Null, 5_000_000d),
            ],
            changes);
        Assert.Equal("2024/v1", structured.RootElement.GetProperty("id").GetString());
        AssertConformsToEventSchema(structured.RootElement);
    }

    [Fact]
    public void Create_Version2ChangeInOneArea_ListsOnlyThatArea()
    {
        IndicatorChange[] changes = [new("430104", "carbon.totalTco2", 905_000, 910_000)];

        using var structured = Structured(Q1Version2, changes);

        var data = structured.RootElement.GetProperty("data");
        Assert.Equal(["430104"], Strings(data.GetProperty("areas")));
        var change = Assert.Single(data.GetProperty("changedIndicators").EnumerateArray().ToArray());
        Assert.Equal(905_000, change.GetProperty("old").GetDouble());
        Assert.Equal(910_000, change.GetProperty("new").GetDouble());
        AssertConformsToEventSchema(structured.RootElement);
    }

    [Fact]
    public void Create_FigureDroppedFromAnArea_ListsThatAreaWithNewNull()
    {
        IndicatorChange[] changes = [new("430104002", "dc.pueMax", 1.42, null)];

        using var structured = Structured(Q1Version2, changes);

        var data = structured.RootElement.GetProperty("data");
        Assert.Equal(["430104002"], Strings(data.GetProperty("areas")));
        Assert.Equal(JsonValueKind.Null, data.GetProperty("changedIndicators")[0].GetProperty("new").ValueKind);
        AssertConformsToEventSchema(structured.RootElement);
    }

    [Theory]
    [InlineData("2024-Q4")]
    [InlineData("2024")]
    public void Create_Version1OfTheSampleDataset_ValidatesAgainstTheEventSchemaAndNamesEveryArea(string period)
    {
        var document = FromSampleFeeds(period, 1);

        using var structured = Structured(document, DatasetDiff.Compare(null, document));

        AssertConformsToEventSchema(structured.RootElement);
        var data = structured.RootElement.GetProperty("data");
        Assert.Equal(document.Areas.Select(a => a.AreaCode), Strings(data.GetProperty("areas")));
        Assert.Equal(document.Areas.Sum(a => a.Indicators.Count), data.GetProperty("changedIndicators").GetArrayLength());
    }

    [Fact]
    public void RoutingOf_QuarterlyEvent_IsQuarterWithItsAreasAndDistinctIndicatorIds()
    {
        IndicatorChange[] changes =
        [
            new("430104", "carbon.totalTco2", 905_000, 910_000),
            new("XJNA", "carbon.totalTco2", 1_245_000, 1_250_000),
            new("XJNA", "carbon.intensity", 0.81, 0.82),
        ];

        var routing = DatasetPublishedEvent.RoutingOf(DatasetPublishedEvent.Create(Q1Version2, changes));

        Assert.Equal("quarter", routing.PeriodKind);
        Assert.Equal(["XJNA", "430104"], routing.Areas);
        Assert.Equal(["carbon.intensity", "carbon.totalTco2"], routing.IndicatorIds);
    }

    [Fact]
    public void RoutingOf_YearlyEvent_IsYear()
    {
        var document = Dataset("2024", 3, "complete", ("430104", "energy.totalTce", 3_100_000));

        var routing = DatasetPublishedEvent.RoutingOf(DatasetPublishedEvent.Create(document, [new("430104", "energy.totalTce", 3_000_000, 3_100_000)]));

        Assert.Equal("year", routing.PeriodKind);
    }

    [Fact]
    public void Deserialize_SerializedEvent_GivesBackTheSameEventAndData()
    {
        var original = DatasetPublishedEvent.Create(Q1Version2, Q1Version2Changes);

        var decoded = DatasetPublishedEvent.Deserialize(DatasetPublishedEvent.Serialize(original));

        Assert.Equal((original.Id, original.Type, original.Subject, original.Time), (decoded.Id, decoded.Type, decoded.Subject, decoded.Time));
        var data = DatasetPublishedEvent.DataOf(decoded);
        Assert.Equal(Q1Version2Changes, data.ChangedIndicators);
        Assert.Equal(["XJNA", "430104"], data.Areas);
        Assert.Equal(DatasetPublishedEvent.RoutingOf(original), DatasetPublishedEvent.RoutingOf(decoded), RoutingComparer.Instance);
    }

    [Fact]
    public void Create_MonthlyPeriod_IsRejected()
    {
        var document = Dataset("2024-06", 1, "complete", ("XJNA", "energy.totalTce", 1));

        Assert.Throws<ArgumentException>(() => DatasetPublishedEvent.Create(document, DatasetDiff.Compare(null, document)));
    }

    private sealed class RoutingComparer : IEqualityComparer<EventRouting>
    {
        public static readonly RoutingComparer Instance = new();

        public bool Equals(EventRouting? x, EventRouting? y) =>
            x is not null && y is not null && x.PeriodKind == y.PeriodKind && x.Areas.SequenceEqual(y.Areas) && x.IndicatorIds.SequenceEqual(y.IndicatorIds);

        public int GetHashCode(EventRouting obj) => obj.PeriodKind.GetHashCode(StringComparison.Ordinal);
    }
}
