using System.Text.Json;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Core.Normalisation;

public static class FeedNormaliser
{
    public static NormalisedFeed Normalise(AcceptedFeed feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        // The schema evolution gate keeps unmapped majors out at start-up; this stops one that got past it anyway.
        if (!DatasetFeedMapping.Maps(feed.Source, feed.SchemaVersion))
        {
            throw new InvalidOperationException($"Feed {feed.FeedId}: {feed.Source} schema {feed.SchemaVersion} has no mapping to the data set "
                + $"(DatasetFeedMapping).");
        }

        double? gridShare = feed.Root.TryGetProperty("gridNonFossilSharePct", out var share) ? share.GetDouble() : null;
        double? changsha = feed.Root.TryGetProperty("benchmarks",
            out var benchmarks) ? benchmarks.GetProperty("changshaCarbonIntensityChangeVs2020Pct").GetDouble() : null;
        var records = feed.Root.GetProperty("records").EnumerateArray()
            .Select(record => new NormalisedRecord(
                record.GetProperty("areaCode").GetString()!,
                WithGridMix(MeasureCatalog.Flatten(feed.Source, record), gridShare),
                DataCentres(record)))
            .ToArray();
        return new NormalisedFeed(feed.FeedId, feed.Source, feed.Period.ToString(), feed.Revision, feed.SchemaVersion, feed.ProducedAt, feed.Producer, records)
        {
            GridNonFossilSharePct = gridShare,
            ChangshaCarbonIntensityChangeVs2020Pct = changsha,
        };
    }

    // The month's share travels as two flows, the consumption it covers and that consumption × share, so that summing
    // over months and areas gives Σ s_m E_m for the weighted share; months without it fall back to the year's default
    // at consolidation, where the reference data is (a later default then changes no stored feed).
    private static IReadOnlyDictionary<string, double> WithGridMix(IReadOnlyDictionary<string, double> measures, double? gridShare)
    {
        if (gridShare is null)
        {
            return measures;
        }

        var consumption = measures.Where(m => m.Key.StartsWith("consumption.", StringComparison.Ordinal)).Sum(m => m.Value);
        return new Dictionary<string, double>(measures, StringComparer.Ordinal)
        {
            [MeasureCatalog.GridMixReportedMwh] = consumption,
            [MeasureCatalog.GridMixReportedNonFossilMwh] = consumption * gridShare.Value / 100,
        };
    }

    // Null when the record does not report data centres at all, which is not the same as reporting none.
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
