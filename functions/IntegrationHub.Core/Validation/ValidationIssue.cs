using System.ComponentModel;
using System.Text.Json.Serialization;

namespace IntegrationHub.Core.Validation;

/// <summary>One violation, machine-readable: where in the feed, which rule, and a sentence a department's engineer understands.</summary>
/// <param name="InstanceLocation">JSON Pointer (RFC 6901) into the feed; empty for the whole document.</param>
/// <param name="SchemaLocation">Absolute location of the schema keyword, or the rule id for domain rules.</param>
/// <param name="Keyword">The JSON Schema keyword (e.g. <c>required</c>), or <c>rule:…</c> / <c>parse:…</c>.</param>
/// <param name="Message">Human-readable explanation.</param>
public sealed record ValidationIssue(
    [property: JsonPropertyName("instanceLocation"),
        Description("JSON Pointer (RFC 6901) into the feed; empty for the whole document.")] string InstanceLocation,
    [property: JsonPropertyName("schemaLocation"),
        Description("The schema keyword's absolute location, or the rule id of a domain rule.")] string? SchemaLocation,
    [property: JsonPropertyName("keyword"), Description("The JSON Schema keyword (`required`, …), or `rule:…` / `parse:…`.")] string Keyword,
    [property: JsonPropertyName("message")] string Message)
{
    [Description("True for a `parse:` keyword: the bytes are not a usable JSON document.")]
    public bool IsParseError => Keyword.StartsWith("parse:", StringComparison.Ordinal);
}
