using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Receipts;
using IntegrationHub.Core.Validation;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Functions.Http;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace IntegrationHub.Functions.OpenApi;

// The schemas of the document's components. An answer that is a C# type has its schema generated from that type
// (System.Text.Json's exporter, with the app's serializer options, so names and enums are the wire's): properties,
// types, nullability and required names are the code's; [Description] and [AllowedValues] on a property add words and
// closed sets of text values. Problems are HubProblem and its derived records. Documents that are no C# type (a feed, a
// schema, a page) are described here and point to the repository's JSON Schemas.
internal static class ApiSchemas
{
    private const string ComponentsPrefix = "#/components/schemas/";

    // Core's and Audit/'s records cannot name themselves to the document (no [ApiSchema] below Http/): their component
    // names, and the records held by others that are components of their own rather than inline.
    private static readonly Dictionary<Type, string> CoreNames = new()
    {
        [typeof(DatasetDocument)] = "Dataset",
        [typeof(AuditLogPage)] = "AuditLog",
    };

    // The answers' options, but numbers as they are written: reading "42" for 42 is leniency, not the answers' shape.
    private static readonly JsonSerializerOptions WrittenShape = new(HubSerialization.Options) { NumberHandling = JsonNumberHandling.Strict };

    private static readonly Type[] SharedTypes = [typeof(ValidationIssue), typeof(ValidationReport)];

    // Core's records that never gain a property (feed-contract's issue shape): the document closes them.
    private static readonly Type[] Closed = [typeof(ValidationIssue)];

    // The data set is the repository's schema (`schemas/dataset/`): the document lists its top-level properties from
    // the record and leaves the nested objects open, pointing there, rather than copy its every block.
    private static readonly Type[] Outlined = [typeof(DatasetDocument)];

    // The component name of a C# answer type; an array's is its element's with [].
    public static string NameOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.IsArray ? NameOf(type.GetElementType()!) + "[]"
            : CoreNames.GetValueOrDefault(type) ?? type.GetCustomAttribute<ApiSchemaAttribute>()?.Name ?? type.Name;
    }

    public static void Register(OpenApiDocument document, IEnumerable<Type> answerTypes)
    {
        ArgumentNullException.ThrowIfNull(document);
        var schemas = document.Components!.Schemas!;
        var components = new HashSet<Type>(answerTypes.Concat(SharedTypes));
        var pending = new Queue<Type>(components.OrderBy(NameOf, StringComparer.Ordinal));
        void Found(Type type)
        {
            if (components.Add(type))
            {
                pending.Enqueue(type);
            }
        }

        RegisterDocuments(document, components, Found);
        while (pending.TryDequeue(out var type))
        {
            schemas[NameOf(type)] = Read(document, type, Generate(type, components, Found));
        }
    }

    private static OpenApiSchema Read(OpenApiDocument document, Type type, JsonNode node)
    {
        var schema = OpenApiModelFactory.Parse<OpenApiSchema>(node.ToJsonString(), OpenApiSpecVersion.OpenApi3_1, document, out var diagnostic, "json");
        return schema is not null && diagnostic?.Errors.Count is null or 0 ? schema
            : throw new InvalidOperationException($"The schema of {type.Name} does not read as OpenAPI: "
                + string.Join("; ", diagnostic?.Errors.Select(e => e.Message) ?? []));
    }

    // The JSON Schema of type as the app writes it; records that are components are referenced.
    internal static JsonNode Generate(Type type, IReadOnlySet<Type> components, Action<Type> referenced)
    {
        var outline = Outlined.Contains(type);
        var options = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) =>
            {
                var own = System.Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type;
                var nullable = node is JsonObject { } o && o["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null");
                if (nullable && (LeftOutWhenNull(context.PropertyInfo) || HidesWithNonNull(context.PropertyInfo)))
                {
                    // Never written as null, only left out: optional, not nullable.
                    node = NonNull((JsonObject)node);
                    nullable = false;
                }
                if (!context.Path.IsEmpty && context.TypeInfo.Kind == JsonTypeInfoKind.Object && outline)
                {
                    node = new JsonObject { ["type"] = nullable ? new JsonArray("object", "null") : "object" };
                }
                else if (!context.Path.IsEmpty && context.TypeInfo.Kind == JsonTypeInfoKind.Object
                    && (components.Contains(own) || own.IsDefined(typeof(ApiSchemaAttribute))))
                {
                    referenced(own);
                    node = Reference(NameOf(own), nullable);
                }
                else if (node is JsonObject shape && context.TypeInfo.Kind == JsonTypeInfoKind.Object)
                {
                    // What the record is constructed with is always written; an init-only extra (added later, null in older
                    // data) and a property left out when empty are optional.
                    shape["required"] = new JsonArray([.. context.TypeInfo.Properties
                        .Where(p => p.ShouldSerialize is null && !p.IsExtensionData && (p.AssociatedParameter is not null || p.IsRequired))
                        .Select(p => (JsonNode)JsonValue.Create(p.Name))]);
                    if (Closed.Contains(own))
                    {
                        shape["additionalProperties"] = false;
                    }
                }

                return Annotate(node, context, nullable);
            },
        };
        var schema = WrittenShape.GetJsonSchemaAsNode(type, options);
        if (schema is JsonObject root && type.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            root["description"] = description.Description;
        }

        return schema;
    }

    // A property's own words, its closed set of values or the named component it is.
    private static JsonNode Annotate(JsonNode node, JsonSchemaExporterContext context, bool nullable)
    {
        var property = context.PropertyInfo?.AttributeProvider;
        if (property?.GetCustomAttributes(typeof(ApiRefAttribute), false).OfType<ApiRefAttribute>().FirstOrDefault() is { } component)
        {
            node = Reference(component.Component, nullable);
        }

        if (node is not JsonObject annotated)
        {
            // `true`, any value: an open object reads better to OpenAPI tools.
            return new JsonObject();
        }

        // Integers as wide as the code's, as OpenAPI names them.
        var number = System.Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type;
        if (number == typeof(int) || number == typeof(long))
        {
            annotated["format"] = number == typeof(int) ? "int32" : "int64";
        }

        if (property?.GetCustomAttributes(typeof(AllowedValuesAttribute), false).OfType<AllowedValuesAttribute>().FirstOrDefault() is { } allowed)
        {
            var values = new JsonArray([.. allowed.Values.Select(v => JsonValue.Create(v?.ToString())).Concat(nullable ? [null] : Array.Empty<JsonNode?>())]);

            // On a list, the values its items take.
            (annotated["items"] is JsonObject items && annotated["type"]?.GetValueKind() == JsonValueKind.String
                && annotated["type"]!.GetValue<string>() == "array" ? items : annotated)["enum"] = values;
        }

        if (property?.GetCustomAttributes(typeof(DescriptionAttribute), false).OfType<DescriptionAttribute>().FirstOrDefault() is { } description)
        {
            annotated["description"] = description.Description;
        }
        else if (!context.Path.IsEmpty && annotated["$ref"] is null && annotated["anyOf"] is null
            && context.TypeInfo.Type.GetCustomAttribute<DescriptionAttribute>() is { } own)
        {
            // A record held inline says what it is where it is held, unless the property says more.
            annotated["description"] = own.Description;
        }

        return annotated;
    }

    private static bool LeftOutWhenNull(JsonPropertyInfo? property) =>
        property?.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), false).OfType<JsonIgnoreAttribute>().FirstOrDefault()?.Condition
            is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault;

    // The exporter reads a `new` property's nullability from the one it hides (NotReadyProblem.Dependency).
    private static bool HidesWithNonNull(JsonPropertyInfo? property) =>
        property?.AttributeProvider is PropertyInfo { DeclaringType.BaseType: { } parent } member && parent.GetProperty(member.Name) is not null
        && new NullabilityInfoContext().Create(member).ReadState == NullabilityState.NotNull;

    private static JsonObject NonNull(JsonObject node)
    {
        if (node["type"] is JsonArray types)
        {
            var kept = types.Select(t => t!.GetValue<string>()).Where(t => t != "null").ToList();
            node["type"] = kept.Count == 1 ? kept[0] : new JsonArray([.. kept.Select(t => (JsonNode)JsonValue.Create(t))]);
        }

        return node;
    }

    private static JsonObject Reference(string name, bool nullable) => nullable
        ? new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["$ref"] = ComponentsPrefix + name }, new JsonObject { ["type"] = "null" }) }
        : new JsonObject { ["$ref"] = ComponentsPrefix + name };

    // What no C# type describes: documents served as they are, the feed (a repository schema), and the problems.
    private static void RegisterDocuments(OpenApiDocument document, IReadOnlySet<Type> components, Action<Type> referenced)
    {
        var schemas = document.Components!.Schemas!;
        IOpenApiSchema Ref(string name) => new OpenApiSchemaReference(name, document);

        // A problem with fields of its own: the common problem, and the fields its record declares.
        OpenApiSchema Extending(Type problem)
        {
            var part = Generate(problem, components, referenced).AsObject();
            var description = part["description"]?.GetValue<string>();
            part.Remove("description");
            var common = WrittenShape.GetTypeInfo(problem).Properties.Where(p => HubProblem.IsCommon(p.AttributeProvider)).Select(p => p.Name).ToHashSet();
            var properties = part["properties"]!.AsObject();
            foreach (var name in common)
            {
                properties.Remove(name);
            }

            if (part["required"] is JsonArray required)
            {
                var own = required.Select(r => r!.GetValue<string>()).Where(r => !common.Contains(r)).ToList();
                part["required"] = new JsonArray([.. own.Select(r => (JsonNode)JsonValue.Create(r))]);
                if (own.Count == 0)
                {
                    part.Remove("required");
                }
            }

            return new OpenApiSchema { Description = description, AllOf = [Ref(ApiDocuments.Problem), Read(document, problem, part)] };
        }

        schemas[ApiDocuments.Problem] = Read(document, typeof(HubProblem), Generate(typeof(HubProblem), components, referenced));
        foreach (var problem in typeof(HubProblem).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(HubProblem))))
        {
            schemas[NameOf(problem)] = Extending(problem);
        }

        var claims = WrittenShape.GetTypeInfo(typeof(ReceiptClaims)).Properties.Select(p => p.Name);
        schemas[ApiDocuments.Receipt] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Pattern = "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$",
            Description = $"The hub's signed receipt of the bytes: a compact JWS (RFC 7515, {Jws.ES256}, `typ` `{ReceiptClaims.MediaType}`, `kid` a key of "
                + $"`GET /receipts/keys`) whose payload is `{{{string.Join(", ", claims)}}}`; `verdict` is "
                + $"`{ReceiptClaims.Accepted}` or `{ReceiptClaims.Quarantined}`. The same bytes always get the same receipt. `hub receipt "
                + $"verify` checks it offline.",
        };
        schemas[ApiDocuments.Feed] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "A department feed. Its schema (JSON Schema draft 2020-12) is the repository's, served at "
                + "`/api/schemas/feeds/{source}/{schemaVersion}` (absent `schemaVersion`: the latest); `GET /api/schemas` lists them.",
        };
        schemas[ApiDocuments.JsonSchema] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "A JSON Schema (draft 2020-12) document." };
        schemas[ApiDocuments.Html] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "An HTML page." };
        schemas[ApiDocuments.Asset] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A script, style sheet or licence text." };
        schemas[ApiDocuments.OpenApi] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "An OpenAPI 3 document." };
    }
}
