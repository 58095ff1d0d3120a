using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Core.Evolution;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Normalisation;
using IntegrationHub.Core.Tests.Support;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Core.Tests;

/// <summary>
/// The schema evolution gate: a minor feed schema version accepts every feed the one before accepted (structurally and
/// by replaying feeds), a breaking change needs a new major that the data set is mapped from. The schemas are written
/// here by hand, small, in the shape of the hub's feed schemas; each expected finding is read off the change made.
/// </summary>
public class SchemaEvolutionTests
{
    /// <summary>A transport-like feed schema 1.0: a closed envelope, records through $ref, an enum, ranges, a pattern.</summary>
    private const string Base = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://example.org/feeds/transport/1.0",
          "type": "object",
          "additionalProperties": false,
          "required": ["source", "records"],
          "properties": {
            "schemaVersion": {"const": "1.0"},
            "source": {"const": "transport"},
            "records": {"type": "array", "minItems": 1, "maxItems": 5000, "items": {"$ref": "#/$defs/record"}}
          },
          "$defs": {
            "record": {
              "type": "object",
              "additionalProperties": false,
              "required": ["areaCode", "chargers"],
              "properties": {
                "areaCode": {"title": "Area", "$ref": "#/$defs/areaCode"},
                "chargers": {"type": "integer", "minimum": 0},
                "category": {"$ref": "#/$defs/category"},
                "sharePct": {"type": "number", "minimum": 0, "maximum": 100}
              }
            },
            "areaCode": {"type": "string", "pattern": "^[0-9]{6}$"},
            "category": {"enum": ["bus", "taxi"]}
          }
        }
        """;

    private static JsonObject Schema(string version, Action<JsonObject>? change = null)
    {
        var schema = JsonNode.Parse(Base)!.AsObject();
        schema["$id"] = $"https://example.org/feeds/transport/{version}";
        schema["properties"]!["schemaVersion"]!["const"] = version;
        change?.Invoke(schema);
        return schema;
    }

    private static JsonObject Record(JsonObject schema) => schema["$defs"]!["record"]!.AsObject();

    private static JsonObject Field(JsonObject schema, string name) => Record(schema)["properties"]![name]!.AsObject();

    private static (string Pointer, string Rule)[] Differences(JsonObject older, JsonObject newer, string oldVersion = "1.0", string newVersion = "1.1") =>
        [.. SchemaComparer.Compare(older, newer, oldVersion, newVersion).Select(d => (d.Pointer, d.Rule))];

    private static FeedSchemaSet Set(params JsonObject[] versions) =>
        FeedSchemaSet.FromFiles(
            versions.Select(v => ($"transport/{v["properties"]!["schemaVersion"]!["const"]!.GetValue<string>()}.schema.json", v.ToJsonString())));

    private static FeedSample Feed(string name, string json) => new(name, JsonDocument.Parse(json).RootElement.Clone());

    [Fact]
    public void Compare_MinorAddsARequiredField_RefusedAtThatRequiredEntry()
    {
        var newer = Schema("1.1", s => Record(s)["required"]!.AsArray().Add("sharePct"));

        var difference = Assert.Single(SchemaComparer.Compare(Schema("1.0"), newer, "1.0", "1.1"));

        Assert.Equal(("/$defs/record/required/2", SchemaComparer.Rules.RequiredAdded), (difference.Pointer, difference.Rule));
        Assert.Contains("'records[].sharePct' is required from 1.1 on", difference.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_EnumLosesAValueBehindARef_RefusedWhereTheEnumIs()
    {
        var newer = Schema("1.1", s => s["$defs"]!["category"]!["enum"] = new JsonArray("bus"));

        var difference = Assert.Single(SchemaComparer.Compare(Schema("1.0"), newer, "1.0", "1.1"));

        Assert.Equal(("/$defs/category/enum", SchemaComparer.Rules.EnumNarrowed), (difference.Pointer, difference.Rule));
        Assert.Contains("'records[].category' no longer accepts \"taxi\"", difference.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_EnumGainsAValue_Accepted()
    {
        var newer = Schema("1.1", s => s["$defs"]!["category"]!["enum"]!.AsArray().Add("logistics"));

        Assert.Empty(Differences(Schema("1.0"), newer));
    }

    [Fact]
    public void Compare_RangesNarrowed_EachRefusedAtItsKeyword()
    {
        var newer = Schema("1.1", s =>
        {
            Field(s, "sharePct")["maximum"] = 50;
            Field(s, "chargers").Remove("minimum");
            Field(s, "chargers")["exclusiveMinimum"] = 0;
            s["properties"]!["records"]!["maxItems"] = 1000;
        });

        Assert.Equal(
            [
                ("/$defs/record/properties/chargers/exclusiveMinimum", SchemaComparer.Rules.RangeNarrowed),
                ("/$defs/record/properties/sharePct/maximum", SchemaComparer.Rules.RangeNarrowed),
                ("/properties/records/maxItems", SchemaComparer.Rules.RangeNarrowed),
            ],
            Differences(Schema("1.0"), newer));
    }

    [Fact]
    public void Compare_RangesWidened_Accepted()
    {
        var newer = Schema("1.1", s =>
        {
            Field(s, "sharePct")["maximum"] = 200;
            Field(s, "sharePct").Remove("minimum");
            s["properties"]!["records"]!["maxItems"] = 10000;
        });

        Assert.Empty(Differences(Schema("1.0"), newer));
    }

    [Fact]
    public void Compare_TypeNarrowedFromNumberToInteger_Refused()
    {
        var newer = Schema("1.1", s => Field(s, "sharePct")["type"] = "integer");

        var difference = Assert.Single(SchemaComparer.Compare(Schema("1.0"), newer, "1.0", "1.1"));

        Assert.Equal(("/$defs/record/properties/sharePct/type", SchemaComparer.Rules.TypeNarrowed), (difference.Pointer, difference.Rule));
        Assert.Contains("a feed sending number here would now be refused", difference.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_TypeWidenedFromIntegerToNumber_Accepted()
    {
        var newer = Schema("1.1", s => Field(s, "chargers")["type"] = "number");

        Assert.Empty(Differences(Schema("1.0"), newer));
    }

    [Fact]
    public void Compare_PatternChanged_RefusedAsUnprovable()
    {
        var newer = Schema("1.1", s => s["$defs"]!["areaCode"]!["pattern"] = "^[0-9]{6}([0-9]{3})?$");

        Assert.Equal([("/$defs/areaCode/pattern", SchemaComparer.Rules.PatternChanged)], Differences(Schema("1.0"), newer));
    }

    [Fact]
    public void Compare_OptionalPropertyAdded_Accepted()
    {
        var newer = Schema("1.1", s => Record(s)["properties"]!["nev"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0 });

        Assert.Empty(Differences(Schema("1.0"), newer));
    }

    [Fact]
    public void Compare_PropertyRemovedFromAClosedObject_RefusedWhereItWas()
    {
        var newer = Schema("1.1", s => Record(s)["properties"]!.AsObject().Remove("category"));

        Assert.Equal([("/$defs/record/properties/category", SchemaComparer.Rules.PropertyRemoved)], Differences(Schema("1.0"), newer));
    }

    [Fact]
    public void Compare_ObjectClosed_Refused()
    {
        var older = Schema("1.0", s => Record(s).Remove("additionalProperties"));

        Assert.Equal([("/$defs/record/additionalProperties", SchemaComparer.Rules.AdditionalPropertiesClosed)], Differences(older, Schema("1.1")));
    }

    [Fact]
    public void Compare_PropertyAddedToAnOpenObject_ComparedWithWhatTheOldOneAllowedThere()
    {
        var older = Schema("1.0", s => Record(s).Remove("additionalProperties"));
        var newer = Schema("1.1", s =>
        {
            Record(s).Remove("additionalProperties");
            Record(s)["properties"]!["nev"] = new JsonObject { ["type"] = "integer" };
        });

        // The old record accepted "nev" with any value: the new one takes only integers.
        Assert.Equal([("/$defs/record/properties/nev/type", SchemaComparer.Rules.TypeNarrowed)], Differences(older, newer));
    }

    [Fact]
    public void Compare_DependentRequiredOnANewProperty_Accepted()
    {
        // As environment 1.1 did: both new floor areas or neither. No 1.0 feed can carry either of them.
        var newer = Schema("1.1", s =>
        {
            Record(s)["properties"]!["civilM2"] = new JsonObject { ["type"] = "number" };
            Record(s)["properties"]!["greenM2"] = new JsonObject { ["type"] = "number" };
            Record(s)["dependentRequired"] = new JsonObject { ["civilM2"] = new JsonArray("greenM2"), ["greenM2"] = new JsonArray("civilM2") };
        });

        Assert.Empty(Differences(Schema("1.0"), newer));
    }

    [Fact]
    public void Compare_DependentRequiredOnAnExistingProperty_Refused()
    {
        var newer = Schema("1.1", s => Record(s)["dependentRequired"] = new JsonObject { ["category"] = new JsonArray("sharePct") });

        Assert.Equal([("/$defs/record/dependentRequired/category", SchemaComparer.Rules.DependentRequiredAdded)], Differences(Schema("1.0"), newer));
    }

    [Fact]
    public void Compare_KeywordWithoutARule_ReportedAsCannotProveRatherThanPassed()
    {
        var newer = Schema("1.1", s => Field(s, "chargers")["multipleOf"] = 2);

        var difference = Assert.Single(SchemaComparer.Compare(Schema("1.0"), newer, "1.0", "1.1"));

        Assert.Equal(("/$defs/record/properties/chargers/multipleOf", SchemaComparer.Rules.CannotProve), (difference.Pointer, difference.Rule));
        Assert.Contains("'records[].chargers' uses 'multipleOf', new in 1.1", difference.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_OnlyTheVersionMarkerAndAnnotationsChange_Accepted()
    {
        var newer = Schema("1.1", s => Field(s, "chargers")["description"] = "Public charging points, count.");

        Assert.Empty(Differences(Schema("1.0"), newer));
    }

    [Fact]
    public void Run_MinorAddingARequiredField_RefusedNamingSchemaPointerAndRule()
    {
        var report = SchemaEvolutionCheck.Run(Set(Schema("1.0"), Schema("1.1", s => Record(s)["required"]!.AsArray().Add("category"))), []);

        Assert.True(report.Refused);
        var finding = Assert.Single(report.Findings);
        Assert.Equal(("feeds/transport/1.1.schema.json", "1.0", "/$defs/record/required/2", "required-added"),
            (finding.Schema, finding.Previous, finding.Pointer, finding.Rule));
        Assert.Contains("REFUSED  transport 1.1 (minor after 1.0", report.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BreakingChangeAsANewMajorWithoutMapping_RefusedForTheMapping()
    {
        var major = Schema("2.0", s => Record(s)["required"]!.AsArray().Add("category"));

        var report = SchemaEvolutionCheck.Run(Set(Schema("1.0"), major), []);

        // The data set reads transport feeds 1.x only (DatasetFeedMapping): 2.0 is refused for that, and its breaking
        // change is listed as a note, not refused.
        Assert.Equal(
            [("major-without-mapping", true), ("required-added", false)],
            report.Findings.Select(f => (f.Rule, f.Refuses)).OrderBy(f => f.Rule, StringComparer.Ordinal).ToArray());
        Assert.Equal(VersionStep.Major, report.Versions[1].Step);
    }

    [Fact]
    public void Run_BreakingChangeAsANewMajorWithMapping_Accepted()
    {
        var major = Schema("2.0", s => Record(s)["required"]!.AsArray().Add("category"));

        var report = SchemaEvolutionCheck.Run(Set(Schema("1.0"), major), [], isMapped: (source, m) => source == "transport" && m is 1 or 2);

        Assert.False(report.Refused);
        Assert.Equal("required-added", Assert.Single(report.Findings).Rule);
    }

    [Fact]
    public void Run_FirstVersionOfAnUnmappedSource_Refused()
    {
        var set = FeedSchemaSet.FromFiles([("waste/1.0.schema.json", Schema("1.0").ToJsonString())]);

        var finding = Assert.Single(SchemaEvolutionCheck.Run(set, []).Findings);

        Assert.Equal(("waste", "major-without-mapping", true), (finding.Source, finding.Rule, finding.Refuses));
    }

    [Fact]
    public void Run_FeedValidUnderTheOldVersionButNotTheNew_RefusedByTheFeedCheck()
    {
        // multipleOf has no structural rule: the comparison can only say it cannot prove compatibility; the replayed
        // feed proves the break (3 chargers are not a multiple of 2), at the keyword that refused it.
        var newer = Schema("1.1", s => Field(s, "chargers")["multipleOf"] = 2);
        FeedSample[] feeds =
        [
            Feed("even.json", """{"schemaVersion": "1.0", "source": "transport", "records": [{"areaCode": "430104", "chargers": 4}]}"""),
            Feed("odd.json", """{"schemaVersion": "1.0", "source": "transport", "records": [{"areaCode": "430104", "chargers": 3}]}"""),
            Feed("invalid-before.json", """{"source": "transport", "records": [{"areaCode": "4301", "chargers": 3}]}"""),
            Feed("other-source.json", """{"source": "statistics", "records": [{"areaCode": "430104", "chargers": 3}]}"""),
        ];

        var report = SchemaEvolutionCheck.Run(Set(Schema("1.0"), newer), feeds);

        var replay = Assert.Single(report.Findings, f => f.Rule == EvolutionRules.FeedNoLongerValid);
        Assert.Equal("/$defs/record/properties/chargers/multipleOf", replay.Pointer);
        Assert.StartsWith("odd.json is valid under 1.0 but not under 1.1: at /records/0/chargers multipleOf", replay.Message, StringComparison.Ordinal);
        // even.json and odd.json were valid under 1.0 (declaring 1.0, replayed declaring 1.1); the others were not replayed.
        Assert.Equal(2, report.Versions[1].FeedsReplayed);
        Assert.True(report.Refused);
    }

    [Fact]
    public void Run_SchemaExamplesAreReplayedToo()
    {
        var older =
            Schema("1.0",
            s => s["examples"] = new JsonArray(JsonNode.Parse("""{"source": "transport", "records": [{"areaCode": "430104", "chargers": 3}]}""")));
        var newer = Schema("1.1", s => Field(s, "chargers")["multipleOf"] = 3);

        var report = SchemaEvolutionCheck.Run(Set(older, newer), []);

        Assert.Equal(1, report.Versions[1].FeedsReplayed);
        Assert.DoesNotContain(report.Findings, f => f.Rule == EvolutionRules.FeedNoLongerValid);
    }

    [Fact]
    public void Run_VersionMarkerNotTheFilesVersion_Refused()
    {
        var wrong = Schema("1.1");
        var set = FeedSchemaSet.FromFiles([("transport/1.0.schema.json", Schema("1.0").ToJsonString()), ("transport/1.2.schema.json", wrong.ToJsonString())]);

        var finding = Assert.Single(SchemaEvolutionCheck.Run(set, []).Findings);

        Assert.Equal(("1.2", "/properties/schemaVersion/const", "version-marker"), (finding.Version, finding.Pointer, finding.Rule));
    }

    [Fact]
    public void FromFiles_FileNotNamedByVersion_Refused()
    {
        var set = FeedSchemaSet.FromFiles([("transport/1.1-draft.schema.json", Schema("1.1").ToJsonString())]);

        Assert.Empty(set.Files);
        Assert.Equal("version-file-name", Assert.Single(SchemaEvolutionCheck.Run(set, []).Findings).Rule);
    }

    /// <summary>The build gate: the repository's feed schemas, with every sample feed replayed.</summary>
    [Fact]
    public void Run_RepositorySchemasAndSampleFeeds_EveryVersionPasses()
    {
        var feeds = Directory.EnumerateFiles(RepoPaths.SampleFeeds, "*.json", SearchOption.AllDirectories)
            .Select(path => (path, text: File.ReadAllText(path)))
            .Select(f => TryParse(f.path, f.text))
            .OfType<FeedSample>()
            .ToList();

        var report = SchemaEvolutionCheck.Run(FeedSchemaSet.FromDirectory(RepoPaths.Schemas), feeds);
        var examplesOnly = SchemaEvolutionCheck.Run(FeedSchemaSet.FromDirectory(RepoPaths.Schemas), []);

        Assert.False(report.Refused, report.ToText());
        Assert.Equal(
            FeedSource.All.SelectMany(s => new[] { (s, "1.0", VersionStep.First), (s, "1.1", VersionStep.Minor) }).OrderBy(v => v.s, StringComparer.Ordinal),
            report.Versions.Select(v => (v.Source, v.Version, v.Step)));
        // Every source's 1.1 replayed sample feeds valid under 1.0 (the ones without 1.1 fields), not only the schema's examples.
        Assert.All(report.Versions.Zip(examplesOnly.Versions).Where(v => v.First.Step == VersionStep.Minor),
            v => Assert.True(v.First.FeedsReplayed > v.Second.FeedsReplayed, report.ToText()));
    }

    [Fact]
    public void Run_SchemasCompiledIntoTheHub_EveryVersionPasses()
    {
        var report = SchemaEvolutionCheck.Run(FeedSchemaSet.Embedded(), []);

        Assert.False(report.Refused, report.ToText());
        Assert.Equal(8, report.Versions.Count);
    }

    [Fact]
    public void Normalise_FeedOfAMajorTheDataSetIsNotMappedFrom_Refused()
    {
        var feed = TestCore.Core.Validator.Validate(File.ReadAllBytes(Path.Combine(RepoPaths.SampleFeeds, "2024", "transport-2024-06-r0.json"))).Feed!;

        Assert.Throws<InvalidOperationException>(() => FeedNormaliser.Normalise(feed with { SchemaVersion = "2.0" }));
        Assert.Equal("transport", FeedNormaliser.Normalise(feed).Source);
    }

    private static FeedSample? TryParse(string path, string text)
    {
        try
        {
            return new FeedSample(Path.GetFileName(path), JsonDocument.Parse(text).RootElement.Clone());
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
