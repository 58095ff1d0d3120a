using System.Text.Json.Serialization;

namespace IntegrationHub.Core.Validation;

public enum ValidationVerdict
{
    Valid,
    Invalid,

    /// <summary>The bytes are not a usable JSON document (too large, too deep, not UTF-8, malformed, ambiguous).</summary>
    Unusable,
}

/// <summary>The complete answer to "is this feed acceptable": every error and warning, never just the first.</summary>
public sealed record ValidationReport
{
    [JsonPropertyName("valid")]
    public bool Valid => Errors.Count == 0;

    [JsonPropertyName("verdict")]
    [JsonConverter(typeof(JsonStringEnumConverter<ValidationVerdict>))]
    public ValidationVerdict Verdict =>
        Errors.Count == 0 ? ValidationVerdict.Valid : Errors.Any(e => e.IsParseError) ? ValidationVerdict.Unusable : ValidationVerdict.Invalid;

    [JsonPropertyName("feedId")]
    public string? FeedId { get; init; }

    [JsonPropertyName("source")]
    public string? Source { get; init; }

    [JsonPropertyName("period")]
    public string? Period { get; init; }

    [JsonPropertyName("revision")]
    public int? Revision { get; init; }

    [JsonPropertyName("schemaVersion")]
    public string? SchemaVersion { get; init; }

    [JsonPropertyName("schemaId")]
    public string? SchemaId { get; init; }

    [JsonPropertyName("contentHash")]
    public string? ContentHash { get; init; }

    [JsonPropertyName("errors")]
    public IReadOnlyList<ValidationIssue> Errors { get; init; } = [];

    /// <summary>
    /// Violations found beyond the first <see cref="FeedValidator.MaxListedErrors"/>, counted but not listed: a
    /// hostile body of 600,000 unknown properties would otherwise answer (and quarantine) a 200 MB report.
    /// </summary>
    [JsonPropertyName("errorsNotListed")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int ErrorsNotListed { get; init; }

    [JsonPropertyName("warnings")]
    public IReadOnlyList<ValidationIssue> Warnings { get; init; } = [];
}
