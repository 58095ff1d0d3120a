using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Text.Json.Serialization;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Functions.OpenApi;
using IntegrationHub.Functions.Resilience;

namespace IntegrationHub.Integration.Tests.OpenApi;

/// <summary>Component schemas generated from the answer records, as the app's serializer writes them.</summary>
public sealed partial class ApiSchemasTests
{
    [Fact]
    public void Generate_AnswerRecord_NamesTypesNullabilityAndRequiredAreTheWires()
    {
        var referenced = new List<Type>();

        var schema = ApiSchemas.Generate(typeof(SampleAnswer), new HashSet<Type> { typeof(SampleAnswer) }, referenced.Add);

        // Written by hand from the record below and the app's options: camelCase names, numbers as numbers; a property
        // the serializer leaves out when empty, or an init-only extra, is optional; a record marked [ApiSchema] is
        // referenced, not inlined.
        var expected = JsonNode.Parse("""
            {
              "description": "A sample answer.",
              "type": "object",
              "properties": {
                "feedId": { "type": "string" },
                "period": { "type": ["string", "null"] },
                "kind": { "type": "string", "enum": ["quarter", "year"] },
                "count": { "type": "integer", "format": "int32", "description": "How many." },
                "share": { "type": ["number", "null"] },
                "errorsNotListed": { "type": "integer", "format": "int32" },
                "receivedAt": { "type": "string", "format": "date-time" },
                "part": { "$ref": "#/components/schemas/SamplePart" },
                "earlier": { "anyOf": [{ "$ref": "#/components/schemas/SamplePart" }, { "type": "null" }] },
                "receipt": { "anyOf": [{ "$ref": "#/components/schemas/Receipt" }, { "type": "null" }] },
                "names": { "type": "array", "items": { "type": "string" } },
                "note": { "type": ["string", "null"] }
              },
              "required": ["feedId", "period", "kind", "count", "share", "receivedAt", "part", "earlier", "receipt", "names"]
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, schema), schema.ToJsonString());
        Assert.Equal([typeof(SamplePart), typeof(SamplePart)], referenced);
    }

    [Fact]
    public void NameOf_ARecordNamedForTheDocument_AndAnArray_AreTheirComponentNames()
    {
        Assert.Equal("SampleAnswer", ApiSchemas.NameOf(typeof(SampleAnswer)));
        Assert.Equal("Part", ApiSchemas.NameOf(typeof(RenamedPart)));
        Assert.Equal("SampleAnswer[]", ApiSchemas.NameOf(typeof(SampleAnswer[])));
        Assert.Equal("Dataset", ApiSchemas.NameOf(typeof(Core.Datasets.DatasetDocument)));
    }

    [Fact]
    public void Generate_PropertyLeftOutWhenNull_IsOptionalAndNeverNull()
    {
        var schema = ApiSchemas.Generate(typeof(SampleProblemFields), new HashSet<Type>(), _ => { });

        // The wire never carries null for these: absent instead.
        var expected = JsonNode.Parse("""
            {
              "type": "object",
              "properties": {
                "feedId": { "type": "string" },
                "actions": { "type": "array", "items": { "type": "string", "enum": ["replay", "purge"] } },
                "usedBytes": { "type": "integer", "format": "int64" }
              },
              "required": []
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, schema), schema.ToJsonString());
    }

    [Fact]
    public void Document_ProblemsAreTheRecordsTheCodeWrites_CommonPartOnceAndEachShapesOwnFields()
    {
        var schemas = Components();

        // The common problem: RFC 7807's members and the hub's own, title and status always written.
        var problem = schemas["Problem"]!;
        Assert.Equal(["dependency", "detail", "parameter", "retryAfter", "rule", "status", "title", "type"], Names(problem));
        Assert.Equal(["title", "status"], problem["required"]!.AsArray().Select(r => r!.GetValue<string>()).Order().Reverse());
        Assert.Equal("string", problem["properties"]!["parameter"]!["type"]!.GetValue<string>());

        // A conflict of an instance action: the common problem plus its own four fields, the instance always named.
        var conflict = schemas["InstanceConflictProblem"]!;
        Assert.Equal("#/components/schemas/Problem", conflict["allOf"]![0]!["$ref"]!.GetValue<string>());
        var own = conflict["allOf"]![1]!;
        Assert.Equal(["actions", "instanceId", "outcome", "runtimeStatus"], Names(own));
        Assert.Equal(["instanceId"], own["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("array", own["properties"]!["actions"]!["type"]!.GetValue<string>());

        Assert.Equal(["errors", "feedId", "instanceId", "report", "runtimeStatus", "state", "statusUrl", "warnings"],
            Names(schemas["ReprocessProblem"]!["allOf"]![1]!));
        Assert.Equal("#/components/schemas/ValidationReport", schemas["ReprocessProblem"]!["allOf"]![1]!["properties"]!["report"]!["$ref"]!.GetValue<string>());
        var notReady = schemas["NotReadyProblem"]!["allOf"]![1]!["properties"]!;
        Assert.Equal(["storage", "task-hub"], notReady["dependency"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["storage", "task-hub"], notReady["dependencies"]!["items"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["day", "usedBytes"], Names(schemas["PushLimitProblem"]!["allOf"]![1]!));
    }

    [Fact]
    public void Document_ProblemDependency_ListsEveryNameA503CanGive()
    {
        var documented = Components()["Problem"]!["properties"]!["dependency"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();

        // The README's 503s: storage and the task hub, an ops action the audit log could not record, a receipt that could
        // not be signed, a feed schema version the gate holds, and the sign-in metadata (ops tokens).
        Assert.Equal(["audit-log", "receipt-key", "schema-gate", "sign-in", "storage", "task-hub"], documented.Order(StringComparer.Ordinal));
        Assert.Equal(DependencyOutage.Names.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));

        // And the code writes no other: every name it sets is one of those constants, never a literal of its own.
        var app = Path.Combine(RepoPaths.Root, "functions", "IntegrationHub.Functions");
        var literals = Directory.EnumerateFiles(app, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => DependencyLiteral().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetFileName(f)}: {m.Value}"))
            .ToList();
        Assert.True(literals.Count == 0, "dependency names written as literals: " + string.Join("; ", literals));
    }

    [Fact]
    public void Document_ValidationIssue_IsClosed()
    {
        Assert.False(Components()["ValidationIssue"]!["additionalProperties"]!.GetValue<bool>());
    }

    [Fact]
    public void Document_Receipt_NamesEveryClaimOfThePayload()
    {
        var description = Components()["Receipt"]!["description"]!.GetValue<string>();

        Assert.Contains("ES256, `typ` `hub-receipt+jwt`", description, StringComparison.Ordinal);
        Assert.Contains("`{iss, iat, feedId, source, period, sha256, size, receivedAt, verdict}`", description, StringComparison.Ordinal);
        Assert.Contains("`verdict` is `accepted` or `quarantined`", description, StringComparison.Ordinal);
    }

    [Fact]
    public void Document_OpsRecords_DescribeTheirProperties()
    {
        var schemas = Components();

        Assert.Equal("The serialised input, at most 4096 characters.", schemas["InstanceDetail"]!["properties"]!["input"]!["description"]!.GetValue<string>());
        Assert.Equal("Replayed before, or being started by someone else.",
            schemas["ReplayFailedReport"]!["properties"]!["skipped"]!["description"]!.GetValue<string>());
        Assert.Equal("One orchestration in a list.", schemas["Instance"]!["description"]!.GetValue<string>());
    }

    private static JsonNode Components() => JsonNode.Parse(HubOpenApi.Current.Json)!["components"]!["schemas"]!;

    private static List<string> Names(JsonNode schema) => [.. schema["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)];

    private sealed record SampleProblemFields
    {
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? FeedId { get; init; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), AllowedValues("replay", "purge")]
        public IReadOnlyList<string>? Actions { get; init; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
        public long UsedBytes { get; init; }
    }

    [Description("A sample answer.")]
    private sealed record SampleAnswer(
        string FeedId,
        string? Period,
        [property: AllowedValues("quarter", "year")] string Kind,
        [property: Description("How many.")] int Count,
        double? Share,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int ErrorsNotListed,
        DateTimeOffset ReceivedAt,
        SamplePart Part,
        SamplePart? Earlier,
        [property: ApiRef(ApiDocuments.Receipt)] string? Receipt,
        IReadOnlyList<string> Names)
    {
        // Added after the record's first release: older data has none, so it is not required.
        public string? Note { get; init; }
    }

    [ApiSchema]
    private sealed record SamplePart(int N);

    [ApiSchema("Part")]
    private sealed record RenamedPart(int N);

    // `new DependencyUnavailableException("…"` or `Dependency = "…"`: a name set outside DependencyOutage's constants.
    [GeneratedRegex(@"DependencyUnavailableException\(\s*""|\bDependency\s*=\s*""")]
    private static partial Regex DependencyLiteral();
}
