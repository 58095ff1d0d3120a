using System.Text.Json;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Core.Normalisation;

public static class FeedNormaliser
{
    public static NormalisedFeed Normalise(AcceptedFeed feed)
    {
        var records = feed.Root.GetProperty("records").EnumerateArray()
            .Select(record => new NormalisedRecord(
                record.GetProperty("areaCode").GetString()!,
                MeasureCatalog.Flatten(feed.Source, record),
                DataCentres(record)))
            .ToArray();
        return new NormalisedFeed(feed.FeedId, feed.Source, feed.Period.ToString(), feed.Revision, feed.SchemaVersion, feed.ProducedAt, feed.Producer, records);
    }

    /// <summary>Null when the record does not report data centres at all, which is not the same as reporting none.</summary>
    private static DataCentreReading[]? DataCentres(JsonElement record) =>
        record.TryGetProperty("dataCentres", out var centres)
            ? centres.EnumerateArray().Select(c => new DataCentreReading(
                c.GetProperty("id").GetString()!,
                c.GetProperty("name").GetString()!,
                c.GetProperty("status").GetString()!,
                c.GetProperty("itMwh").GetDouble(),
                c.GetProperty("totalMwh").GetDouble())).ToArray()
            : null;
}
