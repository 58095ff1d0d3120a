using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using IntegrationHub.Core;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Functions.Storage;

namespace IntegrationHub.Functions.Publishing;

/// <summary>The <c>data</c> of a <c>dataset-published</c> 1.1 event (schemas/events/dataset-published/1.1; 1.1 adds methodologyVersion).</summary>
/// <param name="Url">Where to read the version: a path relative to the hub's base address.</param>
/// <param name="ChangedIndicators">Figures that differ from the previous version; in version 1 every figure, with old null.</param>
/// <param name="Areas">Codes of the areas with at least one changed figure; in version 1 every area of the data set.</param>
public sealed record DatasetPublishedData(
    [property: JsonPropertyName("period")] string Period,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("methodologyVersion")] string MethodologyVersion,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("changedIndicators")] IReadOnlyList<IndicatorChange> ChangedIndicators,
    [property: JsonPropertyName("areas")] IReadOnlyList<string> Areas);

/// <summary>
/// What subscriber filters match on (feed-contract.md, "The update event"), the same facts for the Service Bus rules
/// and for the queue publisher's in-code filter.
/// </summary>
/// <param name="PeriodKind"><c>year</c> or <c>quarter</c>.</param>
/// <param name="Areas">The event's <c>areas</c>.</param>
/// <param name="IndicatorIds">The distinct ids of its <c>changedIndicators</c>, in ordinal order.</param>
public sealed record EventRouting(string PeriodKind, IReadOnlyList<string> Areas, IReadOnlyList<string> IndicatorIds);

/// <summary>
/// The update event, <c>dataset-published</c> 1.1: a CloudEvents 1.0 envelope announcing a data-set version, written in
/// the structured JSON format (the whole event, attributes and data, in one JSON document).
/// </summary>
public static class DatasetPublishedEvent
{
    public const string EventType = "cn.xiangjiang.dualcarbon.dataset.published";

    public const string Source = "/integration-hub";

    /// <summary>Media type of the structured JSON format: what a message carrying the whole event says it holds.</summary>
    public const string StructuredContentType = "application/cloudevents+json";

    public const string DataContentType = "application/json";

    // The hub's JSON conventions, but not indented: a version-1 event lists every figure of the data set (hundreds),
    // and every byte counts against the transports' message size limits.
    private static readonly JsonSerializerOptions WireOptions = new(HubJson.Options) { WriteIndented = false };

    private static readonly JsonEventFormatter Formatter = new(WireOptions, default);

    /// <summary>
    /// The CloudEvents <c>dataref</c> extension (claim check, cloudevents/extensions/dataref.md): a URI-reference to where
    /// the event can be fetched whole when a transport cannot carry its data. The queue publisher sets it on an event too
    /// large for a Storage queue message and leaves <c>data</c> out; see <see cref="WithDataRef"/>.
    /// </summary>
    public static readonly CloudEventAttribute DataRefAttribute = CloudEventAttribute.CreateExtension("dataref", CloudEventAttributeType.UriReference);

    /// <summary>
    /// Name, in the <see cref="HubContainers.Datasets"/> container, of the blob holding the whole structured event of a
    /// version when it is sent by claim check: <c>{period}/events/v{version}.json</c>.
    /// </summary>
    public static string ClaimCheckBlobName(string period, int version) => string.Create(CultureInfo.InvariantCulture, $"{period}/events/v{version}.json");

    /// <summary>
    /// The <c>dataref</c> of a version's claim-checked event: <c>datasets/{period}/events/v{version}.json</c>, a relative
    /// URI-reference, the blob's path within the hub's storage account (container, then blob name). Resolved against the
    /// account's blob service endpoint it is the blob's URL; locally a subscriber reads it with the same Azurite
    /// connection string as the hub (container <c>datasets</c>, the rest as blob name).
    /// </summary>
    public static Uri DataRef(string period, int version) => new($"{HubContainers.Datasets}/{ClaimCheckBlobName(period, version)}", UriKind.Relative);

    /// <summary>
    /// The same event (every attribute: id, type, source, time, subject, datacontenttype and any extension) without its
    /// <c>data</c>, with <c>dataref</c> set to <paramref name="dataRef"/>. Filters must be evaluated on the full event.
    /// </summary>
    public static CloudEvent WithDataRef(CloudEvent dataSetEvent, Uri dataRef)
    {
        ArgumentNullException.ThrowIfNull(dataSetEvent);
        ArgumentNullException.ThrowIfNull(dataRef);
        var slim = new CloudEvent(dataSetEvent.SpecVersion, dataSetEvent.ExtensionAttributes);
        foreach (var (attribute, value) in dataSetEvent.GetPopulatedAttributes())
        {
            slim[attribute] = value;
        }

        slim[DataRefAttribute] = dataRef;
        return slim;
    }

    /// <summary>The stable event id, <c>{period}/v{version}</c>: subscribers and the topic's duplicate detection drop a re-sent event by it.</summary>
    public static string Id(string period, int version) => string.Create(CultureInfo.InvariantCulture, $"{period}/v{version}");

    /// <summary>Where the query API serves a version.</summary>
    public static string Url(string period, int version) => string.Create(CultureInfo.InvariantCulture, $"/api/datasets/{period}/versions/{version}");

    /// <summary>The event announcing <paramref name="current"/>.</summary>
    /// <param name="changes">
    /// What differs from the previous version (<see cref="DatasetDiff.Compare"/>); for version 1 every figure with old null,
    /// which is what <c>DatasetDiff.Compare(null, current)</c> gives.
    /// </param>
    public static CloudEvent Create(DatasetDocument current, IReadOnlyList<IndicatorChange> changes)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(changes);
        _ = KindOf(current.Period);

        var data = new DatasetPublishedData(
            current.Period, current.Version, current.Status, current.MethodologyVersion,
                Url(current.Period, current.Version), changes, AreasOf(current, changes));
        return new CloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = Id(current.Period, current.Version),
            Type = EventType,
            Source = new Uri(Source, UriKind.Relative),
            Time = current.GeneratedAt,
            Subject = current.Period,
            DataContentType = DataContentType,
            Data = data,
        };
    }

    /// <summary>
    /// The event of a stored version, as its publication built it (the diff stored with the version, or every figure for
    /// version 1): the same id and content whenever it is rebuilt, which is what makes a redelivery the same event.
    /// </summary>
    public static CloudEvent ForStoredVersion(DatasetDocument stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return Create(stored, stored.Diff?.ChangedIndicators ?? DatasetDiff.Compare(null, stored));
    }

    /// <summary>The event in the structured JSON format (UTF-8), as every transport carries it.</summary>
    public static byte[] Serialize(CloudEvent dataSetEvent)
    {
        ArgumentNullException.ThrowIfNull(dataSetEvent);
        return Formatter.EncodeStructuredModeMessage(dataSetEvent, out _).ToArray();
    }

    /// <summary>
    /// An event read back from its structured JSON; its <see cref="CloudEvent.Data"/> is then a <see cref="JsonElement"/>,
    /// or null for a claim-checked event, whose <see cref="DataRefAttribute"/> (a <see cref="Uri"/>) says where the whole
    /// event is.
    /// </summary>
    public static CloudEvent Deserialize(ReadOnlyMemory<byte> structuredJson) =>
        Formatter.DecodeStructuredModeMessage(structuredJson, contentType: null, extensionAttributes: [DataRefAttribute]);

    /// <summary>The data of an event made by <see cref="Create"/> or read by <see cref="Deserialize"/>.</summary>
    public static DatasetPublishedData DataOf(CloudEvent dataSetEvent)
    {
        ArgumentNullException.ThrowIfNull(dataSetEvent);
        return dataSetEvent.Data switch
        {
            DatasetPublishedData data => data,
            JsonElement json => json.Deserialize<DatasetPublishedData>(WireOptions)
                ?? throw new ArgumentException($"Event {dataSetEvent.Id} has null data.", nameof(dataSetEvent)),
            _ => throw new ArgumentException($"Event {dataSetEvent.Id} is not a {EventType} event.", nameof(dataSetEvent)),
        };
    }

    /// <summary>The facts subscriber filters match on.</summary>
    public static EventRouting RoutingOf(CloudEvent dataSetEvent)
    {
        var data = DataOf(dataSetEvent);
        return new EventRouting(
            KindOf(data.Period),
            data.Areas,
            [.. data.ChangedIndicators.Select(c => c.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
    }

    private static string KindOf(string period) => Period.Parse(period).Kind switch
    {
        PeriodKind.Year => "year",
        PeriodKind.Quarter => "quarter",
        _ => throw new ArgumentException($"Data sets are quarterly or yearly; '{period}' is neither.", nameof(period)),
    };

    // Areas with at least one changed figure, in the data set's order (areas that no longer appear come last). Version
    // 1 announces every area of the data set, including one without any figure.
    private static List<string> AreasOf(DatasetDocument current, IReadOnlyList<IndicatorChange> changes)
    {
        var changed = changes.Select(c => c.AreaCode).ToHashSet(StringComparer.Ordinal);
        var areas = current.Areas.Select(a => a.AreaCode).Where(code => current.Version == 1 || changed.Contains(code)).ToList();
        var listed = areas.ToHashSet(StringComparer.Ordinal);
        areas.AddRange(changes.Select(c => c.AreaCode).Where(listed.Add));
        return areas;
    }
}
