using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Validation;
using IntegrationHub.Functions.Http;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace IntegrationHub.Functions.OpenApi;

/// <summary>
/// The schemas of the document's components. An answer that is a C# type has its schema generated from that type
/// (System.Text.Json's exporter, with the app's serializer options, so names and enums are the wire's): properties,
/// types, nullability and required names are the code's; <c>[Description]</c> and <c>[AllowedValues]</c> on a property
/// add words and closed sets of text values. Documents that are no C# type (a feed, a schema, a page) are described
/// here and point to the repository's JSON Schemas. A problem is the common one plus, where its code writes them from a
/// record (an invalid or checked feed), that record's fields; the ops and readiness problems, still written from
/// dictionaries, are described here until they get records of their own.
/// </summary>
internal static class ApiSchemas
{
    private const string ComponentsPrefix = "#/components/schemas/";

    // Core's records cannot name themselves to the document: their component names, and the records held by others
    // that are components of their own rather than inline.
    private static readonly Dictionary<Type, string> CoreNames = new()
    {
        [typeof(DatasetDocument)] = "Dataset",
    };

    // The answers' options, but numbers as they are written: reading "42" for 42 is leniency, not the answers' shape.
    private static readonly JsonSerializerOptions WrittenShape = new(HubSerialization.Options) { NumberHandling = JsonNumberHandling.Strict };

    private static readonly Type[] SharedTypes = [typeof(ValidationIssue), typeof(ValidationReport)];

    /// <summary>
    /// The data set is the repository's schema (<c>schemas/dataset/</c>): the document lists its top-level properties from
    /// the record and leaves the nested objects open, pointing there, rather than copy its every block.
    /// </summary>
    private static readonly Type[] Outlined = [typeof(DatasetDocument)];

    /// <summary>The component name of a C# answer type; an array's is its element's with <c>[]</c>.</summary>
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

    /// <summary>The JSON Schema of <paramref name="type"/> as the app writes it; records that are components are referenced.</summary>
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

    /// <summary>A property's own words, its closed set of values or the named component it is.</summary>
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

        if (property?.GetCustomAttributes(typeof(AllowedValuesAttribute), false).OfType<AllowedValuesAttribute>().FirstOrDefault() is { } allowed)
        {
            annotated["enum"] = new JsonArray([.. allowed.Values.Select(v => JsonValue.Create(v?.ToString())).Concat(nullable ? [null] : Array.Empty<JsonNode?>())]);
        }

        if (property?.GetCustomAttributes(typeof(DescriptionAttribute), false).OfType<DescriptionAttribute>().FirstOrDefault() is { } description)
        {
            annotated["description"] = description.Description;
        }

        return annotated;
    }

    private static JsonObject Reference(string name, bool nullable) => nullable
        ? new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["$ref"] = ComponentsPrefix + name }, new JsonObject { ["type"] = "null" }) }
        : new JsonObject { ["$ref"] = ComponentsPrefix + name };

    /// <summary>What no C# type describes: documents served as they are, the feed (a repository schema), and the problems.</summary>
    private static void RegisterDocuments(OpenApiDocument document, IReadOnlySet<Type> components, Action<Type> referenced)
    {
        var schemas = document.Components!.Schemas!;
        IOpenApiSchema Ref(string name) => new OpenApiSchemaReference(name, document);

        // A problem with fields of its own: the common problem, and the record its code writes those fields from.
        OpenApiSchema Extending(Type fields)
        {
            var part = Generate(fields, components, referenced).AsObject();
            var description = part["description"]?.GetValue<string>();
            part.Remove("description");
            return new OpenApiSchema { Description = description, AllOf = [Ref(ApiDocuments.Problem), Read(document, fields, part)] };
        }

        schemas["Problem"] = Object(
            "An RFC 7807 problem: the one error shape of the API.",
            new()
            {
                ["type"] = Text("`about:blank`: the status says what kind of problem it is."),
                ["title"] = Text("A short summary of the problem."),
                ["status"] = Integer("The HTTP status."),
                ["detail"] = Text("What went wrong and what to do about it."),
                ["parameter"] = Text("The route or query parameter, or the request header (`Content-Type`, `Content-Encoding`), at fault, when one is."),
                ["dependency"] = Enum("A 503: what could not be reached (`audit-log`: an ops action that could not be recorded, so was not done).", "storage", "task-hub", "audit-log"),
                ["retryAfter"] = Integer("A 429: seconds to wait, as the `Retry-After` header says."),
                ["rule"] = Text("The rule the input breaks (`rule:…`), when the problem names one."),
            },
            required: ["title", "status"]);
        schemas[ApiDocuments.InvalidFeedProblem] = Extending(typeof(InvalidFeedFields));
        schemas["Receipt"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Pattern = "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$",
            Description = "The hub's signed receipt of the bytes: a compact JWS (RFC 7515, ES256, `typ` `hub-receipt+jwt`, `kid` a key of "
                + "`GET /receipts/keys`) whose payload is `{iss, iat, feedId, source, period, sha256, size, receivedAt, verdict}`; `verdict` is "
                + "`accepted` or `quarantined`. The same bytes always get the same receipt. `hub receipt verify` checks it offline.",
        };
        schemas[ApiDocuments.FeedCheckProblem] = Extending(typeof(FeedCheckFields));
        schemas["InstanceConflictProblem"] = new OpenApiSchema
        {
            Description = "Why an instance action cannot be done now, and what can be done with the instance instead.",
            AllOf =
            [
                Ref("Problem"),
                Object(null, new()
                {
                    ["instanceId"] = Text(null),
                    ["runtimeStatus"] = Text("The instance's runtime status, when that is why (`Running`, `Completed`, …)."),
                    ["actions"] = ArrayOf(Text(null), "What ops may do with it in that status (`replay`, `rewind`, `terminate`, `suspend`, `resume`, `purge`)."),
                    ["outcome"] = Text("A replay refused: `already-replayed` or `being-started`."),
                }),
            ],
        };
        schemas["ReprocessProblem"] = new OpenApiSchema
        {
            Description = "Why a feed was not reprocessed: its run's state, or (422) the violations it still has.",
            AllOf =
            [
                Ref("Problem"),
                Object(null, new()
                {
                    ["feedId"] = Text(null),
                    ["instanceId"] = Text("The feed's run."),
                    ["state"] = Text("The feed's state (`Consolidated`, `Validated`, …)."),
                    ["runtimeStatus"] = Text("Its run's runtime status."),
                    ["statusUrl"] = Text("A 422: the feed's status URL."),
                    ["errors"] = ArrayOf(Ref("ValidationIssue"), "A 422: every violation found again."),
                    ["warnings"] = ArrayOf(Ref("ValidationIssue")),
                    ["report"] = Ref("ValidationReport"),
                }),
            ],
        };
        schemas["NotReadyProblem"] = new OpenApiSchema
        {
            Description = "The problem of a hub that cannot serve now, naming what is down (the reason is in the app's log).",
            AllOf =
            [
                Ref("Problem"),
                Object(null, new()
                {
                    ["dependency"] = Enum("The first dependency down.", "storage", "task-hub"),
                    ["dependencies"] = ArrayOf(Enum(null, "storage", "task-hub"), "Every dependency down."),
                    ["checks"] = Ref(nameof(Health.ReadinessChecks)),
                }),
            ],
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

    private static OpenApiSchema Object(string? description, Dictionary<string, IOpenApiSchema> properties, string[]? required = null, bool open = true) => new()
    {
        Type = JsonSchemaType.Object,
        Description = description,
        Properties = properties,
        Required = required is null ? null : new HashSet<string>(required, StringComparer.Ordinal),

        // Answers gain properties over time (additive changes only); clients ignore those they do not know.
        AdditionalPropertiesAllowed = open,
    };

    private static OpenApiSchema Text(string? description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema Integer(string? description) => new() { Type = JsonSchemaType.Integer, Format = "int32", Description = description };

    private static OpenApiSchema Number(string? description) => new() { Type = JsonSchemaType.Number, Format = "double", Description = description };

    private static OpenApiSchema Boolean(string? description) => new() { Type = JsonSchemaType.Boolean, Description = description };

    private static OpenApiSchema DateTime(string? description) => new() { Type = JsonSchemaType.String, Format = "date-time", Description = description };

    private static OpenApiSchema Enum(string? description, params string[] values) => new()
    {
        Type = JsonSchemaType.String,
        Description = description,
        Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))],
    };

    private static OpenApiSchema ArrayOf(IOpenApiSchema items, string? description = null) => new() { Type = JsonSchemaType.Array, Items = items, Description = description };

    /// <summary>The schema, or null. A schema of its own gains the null type; a reference is wrapped.</summary>
    private static IOpenApiSchema Nullable(IOpenApiSchema schema)
    {
        if (schema is OpenApiSchema { Type: { } type } own)
        {
            own.Type = type | JsonSchemaType.Null;
            return own;
        }

        return new OpenApiSchema { AnyOf = [schema, new OpenApiSchema { Type = JsonSchemaType.Null }] };
    }
}
