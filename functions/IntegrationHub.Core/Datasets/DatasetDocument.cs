using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace IntegrationHub.Core.Datasets;

/// <summary>
/// The unified data set, <c>dual-carbon-dataset</c> 2.0 (feed-contract.md); one document per period and version.
/// Stored 1.0 versions read into the same record (no methodology block; targets without binding and basis).
/// </summary>
public sealed record DatasetDocument
{
    public const string CurrentSchemaVersion = "2.0";

    /// <summary>The methodology of a data set that has no methodology block: every version written before 2.0.</summary>
    public const string FirstMethodologyVersion = "1.0";

    [JsonPropertyName("schemaVersion")] public string SchemaVersion { get; init; } = CurrentSchemaVersion;
    [JsonPropertyName("period")] public required string Period { get; init; }
    [JsonPropertyName("version")] public required int Version { get; init; }
    [JsonPropertyName("generatedAt")] public required DateTimeOffset GeneratedAt { get; init; }
    [JsonPropertyName("status"), AllowedValues("complete", "partial")] public required string Status { get; init; }
    [JsonPropertyName("missing")] public required IReadOnlyList<string> Missing { get; init; }
    [JsonPropertyName("inputs")] public required IReadOnlyList<DatasetInput> Inputs { get; init; }
    [JsonPropertyName("methodology"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public DatasetMethodology? Methodology { get; init; }
    [JsonPropertyName("coefficients")] public required CoefficientsBlock Coefficients { get; init; }
    [JsonPropertyName("areas")] public required IReadOnlyList<AreaIndicators> Areas { get; init; }
    [JsonPropertyName("targets")] public required IReadOnlyList<TargetStatus> Targets { get; init; }
    [JsonPropertyName("warnings")] public required IReadOnlyList<DatasetWarning> Warnings { get; init; }

    /// <summary>Changes against the previous version of the period; null in version 1.</summary>
    [JsonPropertyName("diff"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public DatasetVersionDiff? Diff { get; init; }

    /// <summary>The methodology the version was computed under: its block's, or 1.0 for a version without one.</summary>
    [JsonIgnore] public string MethodologyVersion => Methodology?.Version ?? FirstMethodologyVersion;
}

/// <summary>Which basis the figures use (contract 2.0, "The unified data set").</summary>
public sealed record DatasetMethodology(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("electricity")] string Electricity,
    [property: JsonPropertyName("nonFossil")] string NonFossil,
    [property: JsonPropertyName("assessedEnergy")] string AssessedEnergy,
    [property: JsonPropertyName("baseYear")] int BaseYear,
    [property: JsonPropertyName("quarterlyTargets")] string QuarterlyTargets)
{
    public const string CurrentVersion = "2.0";

    public static DatasetMethodology Current(int baseYear) =>
        new(CurrentVersion, "coal-equivalent-of-generation", "pv-plus-grid-mix", "excluding-non-fossil-and-feedstock", baseYear, "ytd-yoy");
}

/// <summary>How a version differs from the one before it.</summary>
public sealed record DatasetVersionDiff(
    [property: JsonPropertyName("previousVersion")] int PreviousVersion,
    [property: JsonPropertyName("changedIndicators")] IReadOnlyList<IndicatorChange> ChangedIndicators,
    [property: JsonPropertyName("changedInputs")] IReadOnlyList<string> ChangedInputs)
{
    /// <summary>True when the previous version was computed under another methodology (a 1.0 version re-consolidated as 2.0).</summary>
    [JsonPropertyName("methodologyChanged"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? MethodologyChanged { get; init; }

    [JsonPropertyName("previousMethodologyVersion"),
        JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? PreviousMethodologyVersion { get; init; }
}

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
    [property: JsonPropertyName("verification")] string Verification)
{
    [JsonPropertyName("year"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Year { get; init; }
}

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
    [property: JsonPropertyName("binding")] bool Binding,
    [property: JsonPropertyName("basis")] string? Basis,
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
