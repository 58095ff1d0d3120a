using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using CloudNative.CloudEvents;
using IntegrationHub.Core.Supply;
using IntegrationHub.Functions.Publishing;

namespace IntegrationHub.Functions.Supply;

/// <summary>The <c>data</c> of a <c>feed-late</c> 1.0 event (schemas/events/feed-late/1.0).</summary>
/// <param name="Url">The calendar cell on the hub: a path relative to the hub's base address.</param>
public sealed record FeedLateData(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("period")] string Period,
    [property: JsonPropertyName("periodKind")] string PeriodKind,
    [property: JsonPropertyName("dueBy")] string DueBy,
    [property: JsonPropertyName("dueAt")] DateTimeOffset DueAt,
    [property: JsonPropertyName("url")] string Url);

/// <summary>
/// <c>feed-late</c> 1.0: a CloudEvents 1.0 event saying a source's feed for a period was not received by its due time.
/// Sent once per source and period (at least once: a re-send has the same id, so subscribers drop it).
/// </summary>
public static class FeedLateEvent
{
    public const string EventType = "cn.xiangjiang.dualcarbon.feed.late";

    /// <summary>The name subscribers ask for in the subscribers file (<c>eventTypes</c>) and the Service Bus <c>type</c> property.</summary>
    public const string Name = "feed-late";

    /// <summary>
    /// <c>feed-late:</c> and the first 32 hex digits of SHA-256 of <c>{source}/{period}</c>: the same for every send of
    /// one source and period, and apart from the data sets' <c>{period}/v{n}</c> ids on a shared topic.
    /// </summary>
    public static string Id(string source, string period) =>
        "feed-late:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{source}/{period}")))[..32];

    public static string Url(string source, string period) => $"/api/supply?source={source}&from={period}&to={period}";

    /// <param name="detectedAt">The hub's clock when the check found the cell missing.</param>
    public static CloudEvent Create(SupplyCell cell, DateTimeOffset detectedAt)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return new CloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = Id(cell.Source, cell.Period),
            Type = EventType,
            Source = new Uri(DatasetPublishedEvent.Source, UriKind.Relative),
            Time = detectedAt,
            Subject = $"{cell.Source}/{cell.Period}",
            DataContentType = DatasetPublishedEvent.DataContentType,
            Data = new FeedLateData(cell.Source, cell.Period, cell.PeriodKind, cell.DueBy, cell.DueAt, Url(cell.Source, cell.Period)),
        };
    }
}
