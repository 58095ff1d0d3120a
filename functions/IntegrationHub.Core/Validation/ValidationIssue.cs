using System.Text.Json.Serialization;

namespace IntegrationHub.Core.Validation;

/// <summary>One violation, machine-readable: where in the feed, which rule, and a sentence a department's engineer understands.</summary>
/// <param name="InstanceLocation">JSON Pointer (RFC 6901) into the feed; empty for the whole document.</param>
/// <param name="SchemaLocation">Absolute location of the schema keyword, or the rule id for domain rules.</param>
/// <param name="Keyword">The JSON Schema keyword (e.g. <c>required</c>), or <c>rule:…</c> / <c>parse:…</c>.</param>
/// <param name="Message">Human-readable explanation.</param>
public sealed record ValidationIssue(
    [property: JsonPropertyName("instanceLocation")] string InstanceLocation,
    [property: JsonPropertyName("schemaLocation")] string? SchemaLocation,
    [property: JsonPropertyName("keyword")] string Keyword,
    [property: JsonPropertyName("message")] string Message)
{
    public bool IsParseError => Keyword.StartsWith("parse:", StringComparison.Ordinal);
}
