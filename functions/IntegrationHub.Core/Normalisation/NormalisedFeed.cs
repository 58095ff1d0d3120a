using System.Text.Json.Serialization;

namespace IntegrationHub.Core.Normalisation;

/// <summary>A data centre's readings in one record (kept per centre: PUE is a ratio, never summed across centres).</summary>
public sealed record DataCentreReading(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("itMwh")] double ItMwh,
    [property: JsonPropertyName("totalMwh")] double TotalMwh);

public sealed record NormalisedRecord(
    [property: JsonPropertyName("areaCode")] string AreaCode,
    [property: JsonPropertyName("measures")] IReadOnlyDictionary<string, double> Measures,
    [property: JsonPropertyName("dataCentres")] IReadOnlyList<DataCentreReading>? DataCentres);

/// <summary>
/// An accepted feed in canonical form: period and area codes checked against the reference data, values as
/// canonical measures. This is what the normalized container stores and what consolidation reads.
/// </summary>
public sealed record NormalisedFeed(
    [property: JsonPropertyName("feedId")] string FeedId,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("period")] string Period,
    [property: JsonPropertyName("revision")] int Revision,
    [property: JsonPropertyName("schemaVersion")] string SchemaVersion,
    [property: JsonPropertyName("producedAt")] DateTimeOffset ProducedAt,
    [property: JsonPropertyName("producer")] string Producer,
    [property: JsonPropertyName("records")] IReadOnlyList<NormalisedRecord> Records)
{
    /// <summary>Power-grid 1.1: the grid's non-fossil share of the month, %; null when the feed sends none (the year's default applies).</summary>
    [JsonPropertyName("gridNonFossilSharePct"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? GridNonFossilSharePct { get; init; }

    /// <summary>Statistics 1.1, annual feeds: Changsha's carbon-intensity change on the base year, %.</summary>
    [JsonPropertyName("changshaCarbonIntensityChangeVs2020Pct"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? ChangshaCarbonIntensityChangeVs2020Pct { get; init; }
}
