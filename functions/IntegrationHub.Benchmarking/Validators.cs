using System.Text;
using System.Text.Json;
using IntegrationHub.Core;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Parsing;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Benchmarking;

/// <summary>What a validator concluded about a feed. <see cref="WellFormed"/> is all that parsing alone can say.</summary>
public enum Verdict
{
    Valid,
    Invalid,
    WellFormed,
}

/// <summary>One way of checking a feed's bytes, measured beside the others on the same bytes.</summary>
public interface IFeedValidation
{
    /// <summary>Stable name used in tables and in <c>hub-bench</c>'s JSON.</summary>
    string Name { get; }

    /// <summary>The name of the hub's throughput ratio to this validator in <c>hub-bench</c>'s JSON.</summary>
    string RatioName => "hubVs" + char.ToUpperInvariant(Name[0]) + Name[1..];

    Verdict Check(string source, byte[] body);
}

/// <summary>The hub's own intake check: hardened parse, the feed's schema, the domain rules, the report.</summary>
public sealed class HubValidation(FeedValidator validator) : IFeedValidation
{
    /// <summary>The hub's validator over its own schemas and reference data plus the synthetic streets generated feeds use.</summary>
    public HubValidation(HubCore core)
        : this(new FeedValidator(core.Schemas, FeedGenerator.ReferenceWithSyntheticStreets(core.Reference), new HardenedJsonParser(new IntakeLimits())))
    {
    }

    public string Name => "hub";

    public FeedValidator Validator { get; } = validator;

    public Verdict Check(string source, byte[] body) => Validator.Validate(body, source).Report.Valid ? Verdict.Valid : Verdict.Invalid;
}

/// <summary>
/// The ceiling: <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/> of the same bytes. Any
/// validator has to read the document at least once, so nothing that checks more can be faster than this.
/// </summary>
public sealed class JsonDocumentParse : IFeedValidation
{
    public string Name => "jsonDocumentParse";

    public Verdict Check(string source, byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.ValueKind == JsonValueKind.Object ? Verdict.WellFormed : Verdict.Invalid;
    }
}

/// <summary>
/// The peer: NJsonSchema 11 with the hub's own feed schemas (the same embedded files), validating the same bytes
/// the way its users do, from text. It checks the schema only: no hardened parsing, no domain rules, no report.
/// </summary>
public sealed class NJsonSchemaValidation : IFeedValidation
{
    private readonly Dictionary<string, NJsonSchema.JsonSchema> schemas = FeedSource.All.ToDictionary(
        s => s, s => NJsonSchema.JsonSchema.FromJsonAsync(InDraft7Spelling(FeedSchemaText(s))).GetAwaiter().GetResult(), StringComparer.Ordinal);

    public string Name => "njsonschema";

    public string RatioName => "hubVsNJsonSchema";

    public Verdict Check(string source, byte[] body) =>
        schemas[source].Validate(Encoding.UTF8.GetString(body)).Count == 0 ? Verdict.Valid : Verdict.Invalid;

    /// <summary>
    /// NJsonSchema does not resolve references into draft 2020-12's <c>$defs</c> (it throws "reference path
    /// '#/$defs/areaCode' has not been resolved"); under draft 7's name, <c>definitions</c>, the same subschemas
    /// resolve. Every other keyword of the feed schemas means the same in both drafts.
    /// </summary>
    public static string InDraft7Spelling(string schemaText) =>
        schemaText.Replace("\"$defs\"", "\"definitions\"", StringComparison.Ordinal).Replace("\"#/$defs/", "\"#/definitions/", StringComparison.Ordinal);

    /// <summary>The text of the latest feed schema of a source, exactly as the hub compiled it.</summary>
    public static string FeedSchemaText(string source, string version = "1.1")
    {
        var name = $"schemas/feeds/{source}/{version}.schema.json";
        using var stream = typeof(HubCore).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded in the core library.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
