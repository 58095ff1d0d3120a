using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.OpenApi;

namespace IntegrationHub.Integration.Tests.OpenApi;

/// <summary>Component schemas generated from the answer records, as the app's serializer writes them.</summary>
public sealed class ApiSchemasTests
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
                "count": { "type": "integer", "description": "How many." },
                "share": { "type": ["number", "null"] },
                "errorsNotListed": { "type": "integer" },
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
}
