using System.Text.Json.Serialization;

namespace IntegrationHub.Core.Datasets;

/// <summary>The unified data set, <c>dual-carbon-dataset</c> 1.0 (feed-contract.md); one document per period and version.</summary>
public sealed record DatasetDocument
{
    public const string CurrentSchemaVersion = "1.0";

    [JsonPropertyName("schemaVersion")] public string SchemaVersion { get; init; } = CurrentSchemaVersion;
    [JsonPropertyName("period")] public required string Period { get; init; }
    [JsonPropertyName("version")] public required int Version { get; init; }
    [JsonPropertyName("generatedAt")] public required DateTimeOffset GeneratedAt { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("missing")] public required IReadOnlyList<string> Missing { get; init; }
    [JsonPropertyName("inputs")] public required IReadOnlyList<DatasetInput> Inputs { get; init; }
    [JsonPropertyName("coefficients")] public required CoefficientsBlock Coefficients { get; init; }
    [JsonPropertyName("areas")] public required IReadOnlyList<AreaIndicators> Areas { get; init; }
    [JsonPropertyName("targets")] public required IReadOnlyList<TargetStatus> Targets { get; init; }
    [JsonPropertyName("warnings")] public required IReadOnlyList<DatasetWarning> Warnings { get; init; }

    /// <summary>Changes against the previous version of the period; null in version 1.</summary>
    [JsonPropertyName("diff"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public DatasetVersionDiff? Diff { get; init; }
}

/// <summary>How a version differs from the one before it.</summary>
public sealed record DatasetVersionDiff(
    [property: JsonPropertyName("previousVersion")] int PreviousVersion,
    [property: JsonPropertyName("changedIndicators")] IReadOnlyList<IndicatorChange> ChangedIndicators,
    [property: JsonPropertyName("changedInputs")] IReadOnlyList<string> ChangedInputs);

public sealed record DatasetInput(
    [property: JsonPropertyName("feedId")] string FeedId,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("period")] string Period,
    [property: JsonPropertyName("revision")] int Revision,
    [property: JsonPropertyName("schemaVersion")] string SchemaVersion);

public sealed record CoefficientValue(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("unit")] string Unit,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("verification")] string Verification);

public sealed record CoefficientsBlock(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("energyAccountingMethod")] string EnergyAccountingMethod,
    [property: JsonPropertyName("values")] IReadOnlyList<CoefficientValue> Values);

public sealed record IndicatorValue(
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("unit")] string Unit,
    [property: JsonPropertyName("quality")] string Quality,
    [property: JsonPropertyName("sources")] IReadOnlyList<string> Sources);

public sealed record AreaIndicators(
    [property: JsonPropertyName("areaCode")] string AreaCode,
    [property: JsonPropertyName("indicators")] IReadOnlyDictionary<string, IndicatorValue> Indicators);

public sealed record TargetStatus(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("indicator")] string Indicator,
    [property: JsonPropertyName("comparator")] string Comparator,
    [property: JsonPropertyName("threshold")] double? Threshold,
    [property: JsonPropertyName("deadline")] string Deadline,
    [property: JsonPropertyName("baseline")] double? Baseline,
    [property: JsonPropertyName("required")] double? Required,
    [property: JsonPropertyName("actual")] double? Actual,
    [property: JsonPropertyName("status")] string Status);

public sealed record DatasetWarning(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("areaCode"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AreaCode,
    [property: JsonPropertyName("indicator"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Indicator,
    [property: JsonPropertyName("feedIds"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? FeedIds);

/// <summary>One figure that differs between two versions of a period's data set; null where absent.</summary>
public sealed record IndicatorChange(
    [property: JsonPropertyName("areaCode")] string AreaCode,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("old")] double? Old,
    [property: JsonPropertyName("new")] double? New);
