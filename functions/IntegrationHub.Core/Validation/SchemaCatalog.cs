using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using IntegrationHub.Core.Parsing;
using Json.Pointer;
using Json.Schema;
using IntegrationHub.Core.Reference;

namespace IntegrationHub.Core.Validation;

/// <summary>
/// Every schema of the hub, compiled once at start-up from the files under <c>schemas/</c>. Feed schemas are found by
/// path (<c>feeds/{source}/{version}.schema.json</c>), so a new version is a new file and nothing else.
/// Nothing is fetched from the network: all <c>$ref</c>s resolve inside this registry. Every schema's <c>$id</c> is
/// <see cref="IdBase"/> and its path, so the path of an <c>$id</c> is the hub's route that serves that schema.
/// </summary>
public sealed class SchemaCatalog
{
    /// <summary>
    /// What every <c>$id</c> starts with: a stable name for the schema, whose path (<c>/api/schemas/{path}</c>) is the
    /// route serving it on any hub, so an <c>$id</c> resolves against the hub's own address.
    /// </summary>
    public const string IdBase = "https://schemas.integration-hub.example" + RoutePrefix;

    /// <summary>The route under which the hub serves its schemas, by path.</summary>
    public const string RoutePrefix = "/api/schemas/";

    private const string Prefix = "schemas/";
    private const string Suffix = ".schema.json";

    // The verdict alone. JsonSchema.Net keeps no per-node results for it, which makes it several times cheaper than the
    // list (and far cheaper on large feeds, whose list output is hundreds of megabytes the GC has to trace).
    private static readonly EvaluationOptions FlagOptions = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };

    // Every failing node with its errors; only asked for once the verdict is "invalid".
    private static readonly EvaluationOptions ListOptions = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private readonly Dictionary<string, JsonSchema> byPath = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedList<Version, (string Text, JsonSchema Schema)>> feedVersions = new(StringComparer.Ordinal);
    private readonly Dictionary<JsonSchema, FeedSchemaParts> feedParts = new(ReferenceEqualityComparer.Instance);
    private readonly SortedDictionary<string, SchemaDocument> documents = new(StringComparer.Ordinal);

    /// <param name="requireRegexTimeout">
    /// Refuse to start without a process-wide regex timeout. Only a host that cannot set it first (a test runner,
    /// which builds regexes before any test code runs) passes false.
    /// </param>
    public SchemaCatalog(bool requireRegexTimeout = true)
    {
        if (requireRegexTimeout && !RegexTimeout.IsInEffect())
        {
            throw new InvalidOperationException("RegexTimeout.Apply() must run at the start of the entry point, before any regex is built.");
        }

        var buildOptions = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        foreach (var name in EmbeddedFiles.Names(Prefix).Where(n => n.EndsWith(Suffix, StringComparison.Ordinal)))
        {
            var path = name[Prefix.Length..^Suffix.Length];
            var bytes = EmbeddedFiles.Read(name);
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            var schema = JsonSchema.FromText(text, buildOptions);
            byPath[path] = schema;
            documents[path] = SchemaDocument.Of(path, bytes, IdBase + path);

            var parts = path.Split('/');
            if (parts is ["feeds", var source, var version])
            {
                // Feeds and data sets name a schema version MAJOR.MINOR; a file named otherwise would validate feeds
                // whose version no data set can carry, so it stops the start instead.
                if (!IsFeedSchemaVersion(version))
                {
                    throw new InvalidOperationException($"schemas/{path}{Suffix}: a feed schema's file name must be its version as MAJOR.MINOR (e.g. "
                        + $"1.0.schema.json).");
                }

                var parsed = Version.Parse(version);
                if (!feedVersions.TryGetValue(source, out var versions))
                {
                    feedVersions[source] = versions = [];
                }

                versions.Add(parsed, (version, schema));
                if (FeedSchemaParts.TrySplit(text, buildOptions.SchemaRegistry) is { } split)
                {
                    feedParts[schema] = split;
                }
            }
        }
    }

    /// <summary>Whether a text is a feed schema version as the contract writes it: MAJOR.MINOR, digits only.</summary>
    public static bool IsFeedSchemaVersion(string version) =>
        version.Split('.') is [var major, var minor] && major.Length is > 0 and <= 4 && minor.Length is > 0 and <= 4
        && major.All(char.IsAsciiDigit) && minor.All(char.IsAsciiDigit);

    /// <summary>Paths of every schema, relative to <c>schemas/</c>, without the suffix.</summary>
    public IReadOnlyCollection<string> Paths => byPath.Keys;

    /// <summary>Every schema as its file is, by path: what the hub serves at <c>/api/schemas/{path}</c>.</summary>
    public IReadOnlyCollection<SchemaDocument> Documents => documents.Values;

    public bool TryGetDocument(string path, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SchemaDocument? document) =>
        documents.TryGetValue(path, out document);

    public JsonSchema Get(string path) =>
        byPath.TryGetValue(path, out var schema) ? schema : throw new KeyNotFoundException($"No schema at schemas/{path}{Suffix}.");

    public JsonSchema Reference(string name) => Get($"reference/{name}");

    public JsonSchema Dataset(string version = Datasets.DatasetDocument.CurrentSchemaVersion) => Get($"dataset/{version}");

    public JsonSchema DatasetPublishedEvent(string version = "1.1") => Get($"events/dataset-published/{version}");

    public IReadOnlyList<string> FeedSchemaVersions(string source) =>
        feedVersions.TryGetValue(source, out var versions) ? versions.Values.Select(v => v.Text).ToArray() : [];

    /// <summary>The schema for a source and version; an absent version means the latest.</summary>
    public bool TryGetFeedSchema(string source, string? version, out string resolvedVersion, out JsonSchema? schema)
    {
        resolvedVersion = version ?? "";
        schema = null;
        if (!feedVersions.TryGetValue(source, out var versions) || versions.Count == 0)
        {
            return false;
        }

        if (version is null)
        {
            (resolvedVersion, schema) = versions.Values[^1];
            return true;
        }

        foreach (var (text, candidate) in versions.Values)
        {
            if (text == version)
            {
                schema = candidate;
                return true;
            }
        }

        return false;
    }

    // Whether feeds of this schema are judged record by record (every feed schema's shape allows it today).
    internal bool JudgesRecordByRecord(JsonSchema schema) => feedParts.ContainsKey(schema);

    // The verdict the record-by-record judgement reaches, for tests that hold it to the whole schema's.
    internal bool IsValidByRecord(JsonSchema schema, JsonElement feed) =>
        feedParts.TryGetValue(schema, out var parts) && FeedSchemaParts.TryGetRecords(feed, out var records)
            ? parts.EnvelopeVerdict.Evaluate(feed, FlagOptions).IsValid
                && records.EnumerateArray().All(r => parts.RecordVerdict.Evaluate(r, FlagOptions).IsValid)
            : schema.Evaluate(feed, FlagOptions).IsValid;

    /// <summary>Every violation, each with the JSON Pointer of the offending value.</summary>
    public IReadOnlyList<ValidationIssue> Evaluate(JsonSchema schema, JsonElement instance)
    {
        ArgumentNullException.ThrowIfNull(schema);
        try
        {
            return feedParts.TryGetValue(schema, out var parts) && FeedSchemaParts.TryGetRecords(instance, out var records)
                ? EvaluateByRecord(parts, instance, records)
                : EvaluateWhole(schema, instance);
        }
        catch (RegexMatchTimeoutException ex)
        {
            // The regex timeout ends a pattern that backtracks without end on a crafted string: the feed gets an answer, the worker is free again.
            return [new ValidationIssue(PointerOfString(instance, ex.Input) ?? "", null, "pattern", string.Create(CultureInfo.InvariantCulture,
                $"Checking a value of {ex.Input.Length} characters against the pattern {ex.Pattern} took longer than "
                    + $"{ex.MatchTimeout.TotalMilliseconds} ms and was stopped; the value is refused.")),];
        }
    }

    // The whole schema at once: the verdict, then the report only if it is needed.
    internal static IReadOnlyList<ValidationIssue> EvaluateWhole(JsonSchema schema, JsonElement instance)
    {
        // Most documents are valid: the verdict settles them, and only a rejected one pays for the detailed report.
        if (schema.Evaluate(instance, FlagOptions).IsValid)
        {
            return [];
        }

        var issues = new List<ValidationIssue>();
        AddIssues(issues, schema.Evaluate(instance, ListOptions), instance, null);
        return issues;
    }

    // A feed judged envelope first, then record by record; the report covers only the parts that failed (see
    // FeedSchemaParts).
    private static List<ValidationIssue> EvaluateByRecord(FeedSchemaParts parts, JsonElement feed, JsonElement records)
    {
        var envelopeValid = parts.EnvelopeVerdict.Evaluate(feed, FlagOptions).IsValid;
        var failing = new List<(int Index, JsonElement Record)>();
        var index = 0;
        foreach (var record in records.EnumerateArray())
        {
            if (!parts.RecordVerdict.Evaluate(record, FlagOptions).IsValid)
            {
                failing.Add((index, record));
            }

            index++;
        }

        var issues = new List<ValidationIssue>();
        if (!envelopeValid)
        {
            AddIssues(issues, parts.Envelope.Evaluate(feed, ListOptions), feed, null);
        }

        if (failing.Count > 0)
        {
            var indexes = failing.Select(f => f.Index).ToArray();
            using var subset = FeedSchemaParts.ArrayOf(failing.Select(f => f.Record));
            AddIssues(issues, parts.Records.Evaluate(subset.RootElement, ListOptions), feed, location => FeedSchemaParts.InFeed(location, indexes));
        }

        return issues;
    }

    // locate: Maps an instance location of the evaluated document to one in root; null when they are the same document.
    private static void AddIssues(List<ValidationIssue> issues, EvaluationResults results, JsonElement root, Func<string, string>? locate)
    {
        if (results.IsValid)
        {
            return;
        }

        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is null)
            {
                continue;
            }

            var instanceLocation = locate is null ? detail.InstanceLocation.ToString() : locate(detail.InstanceLocation.ToString());
            var pointer = locate is null ? detail.InstanceLocation : JsonPointer.Parse(instanceLocation);
            foreach (var (key, message) in detail.Errors)
            {
                var keyword = key.Length > 0 ? key : LastSegment(detail.EvaluationPath.ToString());
                issues.Add(new ValidationIssue(instanceLocation, detail.SchemaLocation.ToString(), keyword, Explain(keyword, pointer, message, root)));
            }
        }
    }

    // The JSON Pointer of the first string value equal to value, depth first; null when none is.
    private static string? PointerOfString(JsonElement element, string value, string pointer = "")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when element.ValueEquals(value):
                return pointer;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (PointerOfString(property.Value, value, pointer + "/" + HardenedJsonParser.Escape(property.Name)) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (PointerOfString(item, value, pointer + "/" + index.ToString(CultureInfo.InvariantCulture)) is { } found)
                    {
                        return found;
                    }

                    index++;
                }

                return null;
            default:
                return null;
        }
    }

    private static string LastSegment(string pointer)
    {
        var slash = pointer.LastIndexOf('/');
        return slash >= 0 ? pointer[(slash + 1)..] : pointer;
    }

    // The library's message is precise but terse about false subschemas; say what that means for a feed.
    private static string Explain(string keyword, JsonPointer instanceLocation, string message, JsonElement root) => keyword switch
    {
        "additionalProperties" or "unevaluatedProperties" =>
            $"Property '{LastSegment(instanceLocation.ToString())}' is not part of the contract here (check its spelling); unknown properties are rejected.",
        "pattern" when instanceLocation.Evaluate(root) is { ValueKind: JsonValueKind.String } value =>
            $"'{value.GetString()}' does not have the form this field requires (see the field's description in the schema).",
        _ => message,
    };
}
