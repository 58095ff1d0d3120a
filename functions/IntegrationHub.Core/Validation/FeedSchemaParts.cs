using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace IntegrationHub.Core.Validation;

// A feed schema split into envelope and record, so a feed is judged record by record and only failing records get the
// detailed report: JsonSchema.Net's list output over a 5,000-record feed held hundreds of megabytes and took seconds.
// The split gives the whole schema's verdict and errors in the same order, for the shape TrySplit checks (records.items
// a lone $ref, nothing read from inside the records by the root); any other shape is evaluated whole.
internal sealed class FeedSchemaParts
{
    private const string RecordsProperty = "records";

    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "$schema", "$comment", "title", "description", "examples", "default", "deprecated", "readOnly", "writeOnly",
    };

    private static readonly HashSet<string> RootKeywords = new(StringComparer.Ordinal) { "$id", "type", "required",
        "additionalProperties", "properties", "$defs" };

    private static readonly HashSet<string> PlainAssertions = new(StringComparer.Ordinal)
    {
        "type", "const", "enum", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength",
    };

    private static readonly HashSet<string> ClosedObjectKeywords = new(StringComparer.Ordinal) { "type", "required", "additionalProperties", "properties" };

    private static readonly HashSet<string> RecordsKeywords = new(StringComparer.Ordinal) { "type", "minItems", "maxItems", "items" };

    // Keywords whose value is a schema, a list of schemas, or a map of names to schemas.
    private static readonly HashSet<string> Applicators = new(StringComparer.Ordinal)
    {
        "properties", "patternProperties", "dependentSchemas", "$defs", "items", "prefixItems", "allOf", "anyOf", "oneOf",
        "not", "if", "then", "else", "additionalProperties", "unevaluatedProperties", "contains", "propertyNames", "unevaluatedItems",
    };

    // Keywords that name a place in the schema; a subschema holding one cannot be copied elsewhere.
    private static readonly HashSet<string> Locators = new(StringComparer.Ordinal) { "$id", "$anchor", "$dynamicAnchor", "$dynamicRef" };

    private FeedSchemaParts(JsonSchema envelope, JsonSchema record, JsonSchema records, JsonSchema envelopeVerdict, JsonSchema recordVerdict)
    {
        Envelope = envelope;
        Record = record;
        Records = records;
        EnvelopeVerdict = envelopeVerdict;
        RecordVerdict = recordVerdict;
    }

    // The schema with records.items removed: everything but the records' contents.
    public JsonSchema Envelope { get; }

    public JsonSchema Record { get; }

    // Envelope for the verdict only: the same assertions without titles and descriptions. It has no $id, so its error
    // locations would not be the schema's; it never writes a report.
    public JsonSchema EnvelopeVerdict { get; }

    // Record for the verdict only: every $ref replaced by the subschema it points to, annotations left out.
    // JsonSchema.Net's cost is per schema node it visits, and a reference is one node more; a record of a real feed is
    // checked several times faster this way.
    public JsonSchema RecordVerdict { get; }

    // An array of records, each against Record: the failing records, evaluated together.
    public JsonSchema Records { get; }

    // registry: where the whole schema is registered, so the record's $ref resolves into it.
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
            if (name != RecordsProperty && !IsPlain(property) && !IsClosedObjectOfPlainFields(property))
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
        var recordInline = Inline(root, items, depth: 0);
        records.Remove("items");
        var envelopeInline = Inline(root, root, depth: 0);
        if (recordInline is not JsonObject recordVerdict || envelopeInline is not JsonObject envelopeVerdict)
        {
            return null;
        }

        // The envelope keeps the schema's $id (so its error locations are the whole schema's), hence a registry of its own.
        var envelope = JsonSchema.FromText(root.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        var record = JsonSchema.FromText(new JsonObject { ["$ref"] = recordUri }.ToJsonString(), new BuildOptions { SchemaRegistry = registry });
        var recordArray = JsonSchema.FromText(new JsonObject { ["items"] = new JsonObject { ["$ref"] = recordUri } }.ToJsonString(),
            new BuildOptions { SchemaRegistry = registry });
        // Annotations go, but the dialect stays: it decides what every other keyword means.
        envelopeVerdict["$schema"] = root["$schema"]?.DeepClone();
        recordVerdict["$schema"] = root["$schema"]?.DeepClone();
        return new FeedSchemaParts(
            envelope, record, recordArray,
            JsonSchema.FromText(envelopeVerdict.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() }),
            JsonSchema.FromText(recordVerdict.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));
    }

    private static bool IsPlain(JsonNode? property) =>
        property is JsonObject plain && plain.All(p => Annotations.Contains(p.Key) || PlainAssertions.Contains(p.Key));

    // An envelope object such as the statistics feed's benchmarks: closed, its fields plain. Its results stay inside
    // the envelope's own subtree and never read the records, so the split still gives the whole schema's report.
    private static bool IsClosedObjectOfPlainFields(JsonNode? property) =>
        property is JsonObject closed
        && closed.All(p => Annotations.Contains(p.Key) || ClosedObjectKeywords.Contains(p.Key))
        && closed["additionalProperties"] is { } additional && additional.GetValueKind() is JsonValueKind.False
        && closed["properties"] is JsonObject fields && fields.All(f => IsPlain(f.Value));

    // A copy of schema with the same assertions: annotations dropped, and each subschema that is only a $ref into root
    // (with annotations beside it) replaced by the subschema it points to. Null when that cannot be done without
    // changing the meaning: a reference of another kind, an assertion beside a reference, a subschema that names a
    // place ($id, anchors), or a reference cycle.
    private static JsonNode? Inline(JsonObject root, JsonNode? schema, int depth)
    {
        if (schema is not JsonObject source)
        {
            return schema is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? value.DeepClone() : null;
        }

        if (depth > 32 || source.Any(p => Locators.Contains(p.Key) && !(depth == 0 && p.Key == "$id")))
        {
            return null;
        }

        var assertions = source.Where(p => !Annotations.Contains(p.Key) && p.Key != "$id").ToArray();
        if (assertions.Any(p => p.Key == "$ref"))
        {
            return assertions.Length == 1 && Target(root, assertions[0].Value) is { } target ? Inline(root, target, depth + 1) : null;
        }

        var copy = new JsonObject();
        foreach (var (keyword, value) in assertions)
        {
            // Definitions are only reached through references, which are inlined where they stand.
            if (keyword == "$defs")
            {
                continue;
            }

            var inlined = Applicators.Contains(keyword) ? InlineApplicator(root, keyword, value, depth) : value?.DeepClone();
            if (inlined is null && value is not null)
            {
                return null;
            }

            copy[keyword] = inlined;
        }

        return copy;
    }

    // The value of an applicator keyword with each of its subschemas inlined; null if one cannot be.
    private static JsonNode? InlineApplicator(JsonObject root, string keyword, JsonNode? value, int depth)
    {
        if (keyword is "properties" or "patternProperties" or "dependentSchemas")
        {
            if (value is not JsonObject map)
            {
                return null;
            }

            var inlinedMap = new JsonObject();
            foreach (var (name, subschema) in map)
            {
                if (Inline(root, subschema, depth + 1) is not { } inlined)
                {
                    return null;
                }

                inlinedMap[name] = inlined;
            }

            return inlinedMap;
        }

        if (value is not JsonArray list)
        {
            return Inline(root, value, depth + 1);
        }

        var inlinedList = new JsonArray();
        foreach (var subschema in list)
        {
            if (Inline(root, subschema, depth + 1) is not { } inlined)
            {
                return null;
            }

            inlinedList.Add(inlined);
        }

        return inlinedList;
    }

    // The subschema a local JSON Pointer reference (#/…) points to in root.
    private static JsonNode? Target(JsonObject root, JsonNode? reference)
    {
        if (reference?.GetValueKind() != JsonValueKind.String || reference.GetValue<string>() is not ['#', '/', ..] pointer)
        {
            return null;
        }

        JsonNode? node = root;
        foreach (var segment in pointer[2..].Split('/'))
        {
            var name = Uri.UnescapeDataString(segment).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonObject obj => obj[name],
                JsonArray array when int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i)
                    && i < array.Count => array[i],
                _ => null,
            };
        }

        return node;
    }

    // The records of a feed, when it has exactly one records property and that is an array; the envelope alone judges
    // anything else.
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

    // A location in the array of failing records (/k/…) as a location in the feed (/records/i/…).
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
