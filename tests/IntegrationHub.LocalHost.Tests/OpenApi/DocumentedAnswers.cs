using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.LocalHost.Tests.Support;
using Json.Schema;

namespace IntegrationHub.LocalHost.Tests.OpenApi;

/// <summary>One real answer held to the document: the operation it belongs to and what did not match.</summary>
public sealed record CheckedAnswer(string OperationId, string Method, string Path, int Status, IReadOnlyList<string> Mismatches);

/// <summary>
/// The served OpenAPI document as a judge of real answers: each body is validated against the schema its operation
/// declares. Stricter than the document in admitting no unnamed property, so a renamed or added one fails; properties
/// never seen (<see cref="NeverSeen"/>) show one the code stopped writing.
/// </summary>
public sealed class DocumentedAnswers
{
    private const string ComponentsPrefix = "#/components/schemas/";
    private const string DefsPrefix = "#/$defs/";

    // Marks, in a merged allOf, the properties that came from a referenced schema: they are judged as part of that one.
    private const string Inherited = "x-inherited";

    private static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.Hierarchical, RequireFormatValidation = true };

    private readonly List<(string Method, string Template, string[] Segments, JsonObject Operation)> operations = [];
    private readonly JsonObject defs;
    private readonly Dictionary<string, (JsonSchema Schema, JsonObject Root)> validators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> evaluatedObjects = new(StringComparer.Ordinal);
    private readonly List<CheckedAnswer> answers = [];

    public DocumentedAnswers(string documentJson)
    {
        var document = JsonNode.Parse(documentJson)!.AsObject();
        var server = document["servers"]?[0]?["url"]?.GetValue<string>().TrimEnd('/') ?? "";
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject().Where(p => p.Key is "get" or "put" or "post" or "delete" or "patch" or "head" or "options"))
            {
                var template = server + path;
                operations.Add((method.ToUpperInvariant(), template, template.Split('/'), operation!.AsObject()));
            }
        }

        var raw = Rewrite(document["components"]!["schemas"]!.DeepClone()).AsObject();
        defs = new JsonObject();
        foreach (var (name, schema) in raw)
        {
            defs[name] = Strict(MergeAllOf(schema!.DeepClone(), raw));
        }
    }

    public IReadOnlyList<CheckedAnswer> Answers => answers;

    /// <summary>Every operation of the document as <c>operationId</c>, with its documented statuses.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Operations =>
        operations.ToDictionary(o => o.Operation["operationId"]!.GetValue<string>(),
            o => (IReadOnlyList<string>)[.. o.Operation["responses"]!.AsObject().Select(r => r.Key)],
            StringComparer.Ordinal);

    /// <summary>Validates one answer to <paramref name="method"/> <paramref name="path"/> (as sent, without the query); returns the operation id.</summary>
    public string Check(HttpMethod method, string path, HubAnswer answer)
    {
        var mismatches = new List<string>();
        var (operationId, operation) = Match(method.Method, path);
        var status = answer.Status.ToString(CultureInfo.InvariantCulture);
        if (operation["responses"]?[status] is not JsonObject response)
        {
            mismatches.Add($"status {status} is not documented ({string.Join(", ", operation["responses"]!.AsObject().Select(r => r.Key))})");
        }
        else if (response["content"] is not JsonObject content)
        {
            if (answer.Body.Length > 0)
            {
                mismatches.Add($"a body ({answer.MediaType}) where the document declares none");
            }
        }
        else if (answer.MediaType is null || content[answer.MediaType] is not JsonObject mediaType)
        {
            mismatches.Add($"media type {answer.MediaType ?? "(none)"}; the document declares {string.Join(", ", content.Select(c => c.Key))}");
        }
        else if (mediaType["schema"] is JsonObject schema)
        {
            mismatches.AddRange(Validate($"{operationId} {status} {answer.MediaType}", schema, Instance(answer, mismatches)));
        }

        if (operation["responses"]?[status]?["headers"]?["Location"] is not null && answer.Location is null)
        {
            mismatches.Add("no Location header, which the document declares");
        }

        if (operation["responses"]?[status]?["headers"]?["Retry-After"] is not null && answer.RetryAfter is null)
        {
            mismatches.Add("no Retry-After header, which the document declares");
        }

        answers.Add(new CheckedAnswer(operationId, method.Method, path, answer.Status, mismatches));
        return operationId;
    }

    /// <summary>The mismatches of a body against a component schema (for the checker's own test).</summary>
    public IReadOnlyList<string> ValidateAgainst(string componentName, JsonNode body) =>
        Validate("component " + componentName, new JsonObject { ["$ref"] = ComponentsPrefix + componentName }, body);

    /// <summary>
    /// Properties that schemas reached by some answer document but no answer ever carried, as
    /// <c>schema location: name</c>. Only object schemas that validated at least one value count.
    /// </summary>
    public IReadOnlyList<string> NeverSeen() =>
    [
        .. evaluatedObjects.SelectMany(e => e.Value["properties"]!.AsObject().Select(p => p.Key)
            .Except(e.Value[Inherited]?.AsArray().Select(n => n!.GetValue<string>()) ?? [], StringComparer.Ordinal)
            .Where(name => !seen.TryGetValue(e.Key, out var names) || !names.Contains(name))
            .Select(name => $"{e.Key}: {name}")).Order(StringComparer.Ordinal),
    ];

    // The body as JSON; a JSON body with a property twice (ambiguous to a client) is a mismatch of its own.
    private static JsonNode Instance(HubAnswer answer, List<string> mismatches)
    {
        if (answer.MediaType is not { } type || !(type.EndsWith("/json", StringComparison.Ordinal) || type.EndsWith("+json", StringComparison.Ordinal)))
        {
            return JsonValue.Create(answer.Body);
        }

        try
        {
            return JsonNode.Parse(answer.Body,
                documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) ??
                JsonValue.Create((string?)null)!;
        }
        catch (JsonException ex)
        {
            mismatches.Add($"not a JSON document a client can read unambiguously: {ex.Message}");
            return JsonNode.Parse(answer.Body)!;
        }
    }

    private List<string> Validate(string what, JsonObject schema, JsonNode? instance)
    {
        if (!validators.TryGetValue(what, out var validator))
        {
            var root = Strict(Rewrite(schema.DeepClone())).AsObject();
            root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
            root["$defs"] = defs.DeepClone();
            validator = (JsonSchema.FromText(root.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() }), root);
            validators[what] = validator;
        }

        using var parsed = JsonDocument.Parse(instance?.ToJsonString() ?? "null");
        var results = validator.Schema.Evaluate(parsed.RootElement, Options);
        var mismatches = new List<string>();
        foreach (var detail in Failing(results).Where(d => d.Errors is { Count: > 0 }))
        {
            foreach (var (keyword, message) in detail.Errors!)
            {
                mismatches.Add($"{what}: at '{detail.InstanceLocation}' ({keyword} of {detail.EvaluationPath}): {message}");
            }
        }

        if (results.IsValid)
        {
            Collect(results, validator.Root);
        }
        else if (mismatches.Count == 0)
        {
            mismatches.Add($"{what}: invalid");
        }

        return mismatches;
    }

    // Which properties each object schema saw: the properties annotations of a valid evaluation.
    private void Collect(EvaluationResults results, JsonObject root)
    {
        foreach (var detail in Passing(results))
        {
            var location = Uri.UnescapeDataString(detail.SchemaLocation.Fragment.TrimStart('#'));
            if (!location.StartsWith("/$defs/", StringComparison.Ordinal)
                || Resolve(root, location) is not JsonObject { } node || node["properties"] is not JsonObject)
            {
                continue;
            }

            evaluatedObjects[location] = node;
            if (!seen.TryGetValue(location, out var names))
            {
                seen[location] = names = new HashSet<string>(StringComparer.Ordinal);
            }

            if (detail.Annotations?.TryGetValue("properties", out var annotated) == true && annotated.ValueKind == JsonValueKind.Array)
            {
                names.UnionWith(annotated.EnumerateArray().Select(n => n.GetString()!));
            }
        }
    }

    // The failing nodes under failing nodes: a failed branch of a passing anyOf is no mismatch.
    private static IEnumerable<EvaluationResults> Failing(EvaluationResults node) =>
        node.IsValid ? [] : [node, .. (node.Details ?? []).SelectMany(Failing)];

    // The passing nodes under passing nodes: their annotations are what the value really had.
    private static IEnumerable<EvaluationResults> Passing(EvaluationResults node) =>
        node.IsValid ? [node, .. (node.Details ?? []).SelectMany(Passing)] : [];

    private static JsonNode? Resolve(JsonNode root, string pointer)
    {
        var node = root;
        foreach (var token in pointer.Split('/').Skip(1).Select(t =>
            t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)))
        {
            node = node switch
            {
                JsonObject o => o[token],
                JsonArray a when int.TryParse(token, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    private (string OperationId, JsonObject Operation) Match(string method, string path)
    {
        var segments = path.Split('?')[0].Split('/');
        var candidates = operations
            .Where(o => o.Method == method && o.Segments.Length == segments.Length
                && o.Segments.Zip(segments).All(p => p.First.StartsWith('{') || string.Equals(p.First, p.Second, StringComparison.Ordinal)))
            .OrderByDescending(o => o.Segments.Count(s => !s.StartsWith('{')))
            .ToList();
        Assert.True(candidates.Count > 0, $"{method} {path} matches no operation of the document.");
        return (candidates[0].Operation["operationId"]!.GetValue<string>(), candidates[0].Operation);
    }

    // References to the components become references to the validator's $defs.
    private static JsonNode Rewrite(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    if (key == "$ref" && value!.GetValue<string>().StartsWith(ComponentsPrefix, StringComparison.Ordinal))
                    {
                        o[key] = DefsPrefix + value.GetValue<string>()[ComponentsPrefix.Length..];
                    }
                    else if (value is not null)
                    {
                        Rewrite(value);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a.Where(i => i is not null))
                {
                    Rewrite(item!);
                }

                break;
        }

        return node;
    }

    // An allOf of object schemas becomes the one object schema it describes (their properties and required names
    // together), so that it too can refuse what none of its parts names.
    private static JsonNode MergeAllOf(JsonNode node, JsonObject raw)
    {
        if (node is JsonObject o)
        {
            foreach (var (key, value) in o.ToList())
            {
                if (value is JsonObject or JsonArray)
                {
                    o[key] = MergeAllOf(value.DeepClone(), raw);
                }
            }

            if (o["allOf"] is JsonArray all)
            {
                var properties = new JsonObject();
                var required = new SortedSet<string>(StringComparer.Ordinal);
                var inherited = new SortedSet<string>(StringComparer.Ordinal);
                foreach (var part in all)
                {
                    var referenced = part!["$ref"] is JsonValue;
                    var resolved = part["$ref"] is JsonValue reference
                        ? MergeAllOf(raw[reference.GetValue<string>()[DefsPrefix.Length..]]!.DeepClone(), raw)
                        : part;
                    foreach (var (name, property) in resolved["properties"]?.AsObject() ?? [])
                    {
                        properties[name] = property!.DeepClone();
                        if (referenced)
                        {
                            inherited.Add(name);
                        }
                    }

                    required.UnionWith(resolved["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? []);
                }

                o.Remove("allOf");
                o["type"] = "object";
                o["properties"] = properties;
                o["required"] = new JsonArray([.. required.Select(r => (JsonNode)JsonValue.Create(r))]);
                o[Inherited] = new JsonArray([.. inherited.Select(r => (JsonNode)JsonValue.Create(r))]);
            }
        }
        else if (node is JsonArray a)
        {
            for (var i = 0; i < a.Count; i++)
            {
                if (a[i] is { } item)
                {
                    a[i] = MergeAllOf(item.DeepClone(), raw);
                }
            }
        }

        return node;
    }

    // Every object schema that names its properties admits no other (an open map, a schema-valued additionalProperties,
    // stays).
    private static JsonNode Strict(JsonNode node)
    {
        if (node is JsonObject o)
        {
            if (o["properties"] is JsonObject && o["additionalProperties"] is null or JsonValue)
            {
                o["additionalProperties"] = false;
            }

            foreach (var (_, value) in o.ToList())
            {
                if (value is JsonObject or JsonArray)
                {
                    Strict(value);
                }
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var item in a.Where(i => i is not null))
            {
                Strict(item!);
            }
        }

        return node;
    }
}
