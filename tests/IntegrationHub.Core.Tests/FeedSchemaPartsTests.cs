using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Tests.Support;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Core.Tests;

/// <summary>
/// Feeds are judged envelope first, then record by record, and only failing records are evaluated for the report.
/// That must give the report the whole schema gives, error for error and in the same order, or intake would answer
/// differently for the same feed; these tests compare the two on feeds with mistakes scattered through them.
/// </summary>
public class FeedSchemaPartsTests
{
    private static readonly Dictionary<string, string> SampleOf = new(StringComparer.Ordinal)
    {
        [FeedSource.Statistics] = "statistics-2024-Q4-r1.json",
        [FeedSource.PowerGrid] = "power-grid-2024-07-r0.json",
        [FeedSource.Transport] = "transport-2024-06-r0.json",
        [FeedSource.Environment] = "environment-2024-06-r0.json",
    };

    public static TheoryData<string> Sources() => [.. FeedSource.All];

    public static TheoryData<string, int> MistakeCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var source in FeedSource.All)
        {
            for (var seed = 1; seed <= 30; seed++)
            {
                data.Add(source, seed);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void FeedSchema_OfEverySource_IsJudgedRecordByRecord(string source)
    {
        Assert.True(TestCore.Core.Schemas.TryGetFeedSchema(source, null, out _, out var schema));
        Assert.True(TestCore.Core.Schemas.JudgesRecordByRecord(schema!), $"the {source} schema is evaluated whole: its shape no longer allows the split");
    }

    [Theory]
    [MemberData(nameof(MistakeCases))]
    public void Evaluate_MistakesInEnvelopeAndRecords_GivesTheWholeSchemasReportInItsOrder(string source, int seed)
    {
        var feed = Sample(source);
        var random = new Random(seed);
        for (var i = 0; i < 1 + random.Next(5); i++)
        {
            Mutate(feed, random);
        }

        AssertSameReport(source, feed);
    }

    [Theory]
    [InlineData("""{"records": "not an array"}""")]
    [InlineData("""{"records": []}""")]
    [InlineData("""{"records": [1, "two", null, [], {}]}""")]
    [InlineData("""{"unexpected": true}""")]
    public void Evaluate_RecordsOfAnotherShape_GivesTheWholeSchemasReport(string replacement)
    {
        var feed = Sample(FeedSource.Transport);
        feed.Remove("records");
        foreach (var (name, value) in JsonNode.Parse(replacement)!.AsObject().ToArray())
        {
            feed[name] = value?.DeepClone();
        }

        AssertSameReport(FeedSource.Transport, feed);
    }

    [Fact]
    public void Evaluate_ValidSample_HasNoErrorEitherWay()
    {
        foreach (var source in FeedSource.All)
        {
            AssertSameReport(source, Sample(source), expectErrors: false);
        }
    }

    private static void AssertSameReport(string source, JsonObject feed, bool expectErrors = true)
    {
        Assert.True(TestCore.Core.Schemas.TryGetFeedSchema(source, null, out _, out var schema));
        using var document = JsonDocument.Parse(feed.ToJsonString());
        var whole = SchemaCatalog.EvaluateWhole(schema!, document.RootElement);
        var byRecord = TestCore.Core.Schemas.Evaluate(schema!, document.RootElement);
        Assert.Equal(expectErrors, whole.Count > 0);
        Assert.Equal(whole, byRecord);

        // The verdict comes from leaner copies of the envelope and record schemas: it must be the whole schema's too.
        Assert.Equal(whole.Count == 0, TestCore.Core.Schemas.IsValidByRecord(schema!, document.RootElement));
    }

    /// <summary>The sample as a feed of the latest version (1.1 only adds optional fields), the statistics one with
    /// benchmarks so mistakes reach them too.</summary>
    private static JsonObject Sample(string source)
    {
        var feed = JsonNode.Parse(File.ReadAllBytes(Path.Combine(RepoPaths.SampleFeeds, "2024", SampleOf[source])))!.AsObject();
        feed["schemaVersion"] = TestCore.Core.Schemas.FeedSchemaVersions(source)[^1];
        if (source == FeedSource.Statistics)
        {
            feed["benchmarks"] = new JsonObject { ["changshaCarbonIntensityChangeVs2020Pct"] = -12.5 };
        }

        return feed;
    }

    /// <summary>One mistake somewhere in the feed: a wrong type, a value out of range or off the list, a property
    /// missing or unknown, an item added or all removed.</summary>
    private static void Mutate(JsonObject feed, Random random)
    {
        var nodes = new List<JsonNode>();
        Collect(feed, nodes);
        var node = nodes[random.Next(nodes.Count)];
        switch (node)
        {
            case JsonObject obj when obj.Count > 0 && random.Next(2) == 0:
                obj.Remove(obj.ElementAt(random.Next(obj.Count)).Key);
                break;
            case JsonObject obj:
                obj["unexpected" + random.Next(3).ToString(System.Globalization.CultureInfo.InvariantCulture)] = 1;
                break;
            case JsonArray array when random.Next(3) == 0:
                array.Clear();
                break;
            case JsonArray array:
                array.Add("not an item");
                break;
            case JsonValue value:
                var replacement = random.Next(4) switch
                {
                    0 => (JsonNode)JsonValue.Create("x"),
                    1 => JsonValue.Create(-1),
                    2 => JsonValue.Create(true),
                    _ => JsonValue.Create("bogus-" + value.ToJsonString().Trim('"')),
                };
                Replace(value, replacement);
                break;
        }
    }

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        nodes.Add(node);
        var children = node switch
        {
            JsonObject obj => obj.Select(p => p.Value),
            JsonArray array => array,
            _ => [],
        };
        foreach (var child in children)
        {
            if (child is not null)
            {
                Collect(child, nodes);
            }
        }
    }

    private static void Replace(JsonNode node, JsonNode replacement)
    {
        switch (node.Parent)
        {
            case JsonObject obj:
                obj[node.GetPropertyName()] = replacement;
                break;
            case JsonArray array:
                array[node.GetElementIndex()] = replacement;
                break;
        }
    }
}
