using System.Text.Json;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Tests.Support;
using static IntegrationHub.Core.Tests.Support.DatasetLookup;
using static IntegrationHub.Core.Tests.Support.FeedBuilder;
using static IntegrationHub.Core.Tests.Support.HandFeeds;

namespace IntegrationHub.Core.Tests;

/// <summary>The data set as the hub writes it (HubJson.Options) validates against schemas/dataset/1.0.schema.json.</summary>
public class DatasetSchemaConformanceTests
{
    private static void AssertConforms(DatasetDocument document)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(document, HubJson.Options);
        using var json = JsonDocument.Parse(bytes);
        var issues = TestCore.Core.Schemas.Evaluate(TestCore.Core.Schemas.Dataset(), json.RootElement);
        Assert.True(
            issues.Count == 0,
            "data set does not match its schema: " + string.Join("; ", issues.Select(i => $"{i.InstanceLocation} {i.Keyword}: {i.Message}")));
    }

    [Theory]
    [InlineData("2024-Q4")]
    [InlineData("2024")]
    public void Serialise_CompletePeriod_ValidatesAgainstDatasetSchema(string period)
    {
        var doc = Build(period, HandFeeds.All);
        Assert.Equal("complete", doc.Status);
        Assert.NotEmpty(doc.Warnings);   // the electricity cross-check of S1
        AssertConforms(doc);
    }

    [Fact]
    public void Serialise_PartialQuarterWithStockAndParentWarnings_ValidatesAgainstDatasetSchema()
    {
        // December's power-grid and November's transport feeds missing; 430104 also sends a figure of its own that disagrees
        var october = Environment2024(10);
        october["records"]!.AsArray().Add(EnvironmentRecord(District, 60, 30, 20, 31, 99999));
        var feeds = HandFeeds.All
            .Where(f => !(f.Source == "power-grid" && f.Period == "2024-12") && !(f.Source == "transport" && f.Period == "2024-11"))
            .Append(october.WithRevision(1).Accept())
            .ToArray();
        var doc = Build("2024-Q4", feeds);

        Assert.Equal("partial", doc.Status);
        Assert.Contains(doc.Areas.SelectMany(a => a.Indicators.Values), i => i.Quality == "partial");
        Assert.Contains(doc.Warnings, w => w.AreaCode == District);
        AssertConforms(doc);
    }

    [Fact]
    public void Serialise_PartialQuarterWithoutBaselineOrMostSources_ValidatesAgainstDatasetSchema()
    {
        // statistics only, no 2020: most indicators and every target's actual are missing
        var doc = Build("2025-Q3", [Statistics("2025-Q3", StatisticsRecord(S1, 1000, 900, ("industry", "raw-coal", 10))).Accept()]);

        Assert.Equal("partial", doc.Status);
        Assert.Contains(doc.Targets, t => t.Status == "no-data");
        AssertConforms(doc);
    }
}
