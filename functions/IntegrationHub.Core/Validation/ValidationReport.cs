using System.ComponentModel;
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
    [Description("True when there is no error.")]
    public bool Valid => Errors.Count == 0;

    [JsonPropertyName("verdict")]
    [Description("`Unusable`: the bytes are not a usable JSON document.")]
    [JsonConverter(typeof(JsonStringEnumConverter<ValidationVerdict>))]
    public ValidationVerdict Verdict =>
        Errors.Count == 0 ? ValidationVerdict.Valid : Errors.Any(e => e.IsParseError) ? ValidationVerdict.Unusable : ValidationVerdict.Invalid;

    [JsonPropertyName("feedId")]
    [Description("The feed's id, when the envelope could be read.")]
    public string? FeedId { get; init; }

    [JsonPropertyName("source")]
    [Description("The source the feed states.")]
    public string? Source { get; init; }

    [JsonPropertyName("period")]
    [Description("The period the feed states.")]
    public string? Period { get; init; }

    [JsonPropertyName("revision")]
    [Description("The revision the feed states.")]
    public int? Revision { get; init; }

    [JsonPropertyName("schemaVersion")]
    [Description("The schema version used.")]
    public string? SchemaVersion { get; init; }

    [JsonPropertyName("schemaId")]
    [Description("The schema's `$id`.")]
    public string? SchemaId { get; init; }

    [JsonPropertyName("contentHash")]
    [Description("SHA-256 of the bytes, hex.")]
    public string? ContentHash { get; init; }

    [JsonPropertyName("errors")]
    [Description("Every violation (the first 1000).")]
    public IReadOnlyList<ValidationIssue> Errors { get; init; } = [];

    /// <summary>
    /// Violations found beyond the first <see cref="FeedValidator.MaxListedErrors"/>, counted but not listed: a
    /// hostile body of 600,000 unknown properties would otherwise answer (and quarantine) a 200 MB report.
    /// </summary>
    [JsonPropertyName("errorsNotListed")]
    [Description("Violations beyond the first 1000, counted but not listed; absent when none.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int ErrorsNotListed { get; init; }

    [JsonPropertyName("warnings")]
    public IReadOnlyList<ValidationIssue> Warnings { get; init; } = [];
}
