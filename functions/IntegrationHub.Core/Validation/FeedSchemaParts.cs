using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace IntegrationHub.Core.Validation;

/// <summary>
/// A feed schema split into its envelope and one record, so that a feed is judged record by record and only the
/// records that fail are evaluated for the detailed report. JsonSchema.Net's list output keeps a result for every
/// node it visits; for a feed of 5,000 records that is hundreds of megabytes held until the end, and tracing them
/// made rejecting such a feed take seconds.
/// </summary>
/// <remarks>
/// The split gives exactly the verdict and the errors of the whole schema, in the same order, only for schemas of
/// the shape every feed schema has (checked by <see cref="TrySplit"/>; any other shape is evaluated whole):
/// <list type="bullet">
/// <item>The root has only annotations, <c>type</c>, <c>required</c>, a boolean <c>additionalProperties</c>,
/// <c>$defs</c> and <c>properties</c>, so nothing at the root reads what happened inside the records.</item>
/// <item>Every property but <c>records</c> uses plain assertions only (no <c>$ref</c>, no applicator), so its
/// results are leaves one level below the root.</item>
/// <item><c>records</c> has <c>type</c>, <c>minItems</c>, <c>maxItems</c> and <c>items</c>, and <c>items</c> is a
/// lone <c>$ref</c> into the schema: each record is judged on its own, by the same subschema.</item>
/// </list>
/// The list output is ordered level by level, and within a level in document order. With that shape the envelope's
/// results fill the first two levels and every record result lies deeper; so the envelope's errors come first,
/// then the failing records' errors as one array evaluation orders them, which is the order the whole feed has.
/// </remarks>
internal sealed class FeedSchemaParts
{
    private const string RecordsProperty = "records";

    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "$schema", "$comment", "title", "description", "examples", "default", "deprecated", "readOnly", "writeOnly",
    };

    private static readonly HashSet<string> RootKeywords = new(StringComparer.Ordinal) { "$id", "type", "required", "additionalProperties", "properties", "$defs" };

    private static readonly HashSet<string> PlainAssertions = new(StringComparer.Ordinal)
    {
        "type", "const", "enum", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength",
    };

    private static readonly HashSet<string> RecordsKeywords = new(StringComparer.Ordinal) { "type", "minItems", "maxItems", "items" };

    private FeedSchemaParts(JsonSchema envelope, JsonSchema record, JsonSchema records)
    {
        Envelope = envelope;
        Record = record;
        Records = records;
    }

    /// <summary>The schema with <c>records.items</c> removed: everything but the records' contents.</summary>
    public JsonSchema Envelope { get; }

    /// <summary>The subschema of one record.</summary>
    public JsonSchema Record { get; }

    /// <summary>An array of records, each against <see cref="Record"/>: the failing records, evaluated together.</summary>
    public JsonSchema Records { get; }

    /// <param name="registry">Where the whole schema is registered, so the record's <c>$ref</c> resolves into it.</param>
    public static FeedSchemaParts? TrySplit(string schemaText, SchemaRegistry registry)
    {
        if (JsonNode.Parse(schemaText) is not JsonObject root || root["$id"]?.GetValueKind() != JsonValueKind.String
            || !root.All(p => Annotations.Contains(p.Key) || RootKeywords.Contains(p.Key))
            || root["additionalProperties"] is { } additional && additional.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)
            || root["properties"] is not JsonObject properties || properties[RecordsProperty] is not JsonObject records)
        {
            return null;
        }

        foreach (var (name, property) in properties)
        {
            if (name != RecordsProperty && (property is not JsonObject plain || !plain.All(p => Annotations.Contains(p.Key) || PlainAssertions.Contains(p.Key))))
            {
                return null;
            }
        }

        if (!records.All(p => Annotations.Contains(p.Key) || RecordsKeywords.Contains(p.Key))
            || records["items"] is not JsonObject items || !items.All(p => Annotations.Contains(p.Key) || p.Key == "$ref")
            || items["$ref"]?.GetValueKind() != JsonValueKind.String || !items["$ref"]!.GetValue<string>().StartsWith('#'))
        {
            return null;
        }

        var recordUri = new Uri(new Uri(root["$id"]!.GetValue<string>()), items["$ref"]!.GetValue<string>()).OriginalString;
        records.Remove("items");

        // The envelope keeps the schema's $id (so its error locations are the whole schema's), hence a registry of its own.
        var envelope = JsonSchema.FromText(root.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        var record = JsonSchema.FromText(new JsonObject { ["$ref"] = recordUri }.ToJsonString(), new BuildOptions { SchemaRegistry = registry });
        var recordArray = JsonSchema.FromText(new JsonObject { ["items"] = new JsonObject { ["$ref"] = recordUri } }.ToJsonString(), new BuildOptions { SchemaRegistry = registry });
        return new FeedSchemaParts(envelope, record, recordArray);
    }

    /// <summary>The records of a feed, when it has exactly one <c>records</c> property and that is an array; the envelope alone judges anything else.</summary>
    public static bool TryGetRecords(JsonElement feed, out JsonElement records)
    {
        records = default;
        if (feed.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var found = 0;
        foreach (var property in feed.EnumerateObject())
        {
            if (property.NameEquals(RecordsProperty))
            {
                records = property.Value;
                found++;
            }
        }

        return found == 1 && records.ValueKind == JsonValueKind.Array;
    }

    /// <summary>The chosen records, in their order, as one JSON array.</summary>
    public static JsonDocument ArrayOf(IEnumerable<JsonElement> records)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var record in records)
            {
                record.WriteTo(writer);
            }

            writer.WriteEndArray();
        }

        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    /// <summary>A location in the array of failing records (<c>/k/…</c>) as a location in the feed (<c>/records/i/…</c>).</summary>
    public static string InFeed(string locationInArray, IReadOnlyList<int> indexes)
    {
        if (locationInArray.Length == 0)
        {
            return "/" + RecordsProperty;
        }

        var end = locationInArray.IndexOf('/', 1);
        var k = int.Parse(end < 0 ? locationInArray.AsSpan(1) : locationInArray.AsSpan(1, end - 1), System.Globalization.CultureInfo.InvariantCulture);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"/{RecordsProperty}/{indexes[k]}{(end < 0 ? "" : locationInArray[end..])}");
    }
}
