using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Normalisation;

namespace IntegrationHub.Core.Consolidation;

/// <summary>Ordered by how much a consumer should worry: a later member is worse.</summary>
public enum Quality
{
    Complete,
    Estimated,
    Partial,
}

/// <summary>One aggregated measure of one area for the period, with the feeds it came from.</summary>
/// <param name="Derived">True when summed from child areas rather than sent for this area.</param>
public sealed record Fact(double Value, IReadOnlySet<string> FeedIds, Quality Quality, bool Derived);

public sealed record DataCentreFact(string Id, string Name, string Status, double ItMwh, double TotalMwh, IReadOnlySet<string> FeedIds, Quality Quality)
{
    public double Pue => TotalMwh / ItMwh;
}

public sealed class AreaFacts(string areaCode)
{
    public string AreaCode { get; } = areaCode;

    public Dictionary<string, Fact> Measures { get; } = new(StringComparer.Ordinal);

    public List<DataCentreFact> DataCentres { get; } = [];

    /// <summary>Whether any record behind this area sent <c>dataCentres</c> (an empty list says "none"; an absent one says nothing).</summary>
    public bool DataCentresReported { get; set; }

    /// <summary>Sources with data for this area (directly or through children), each with its period quality.</summary>
    public Dictionary<string, Quality> Sources { get; } = new(StringComparer.Ordinal);

    public bool IsEmpty => Measures.Count == 0 && Sources.Count == 0;

    public Fact? Get(string measure) => Measures.GetValueOrDefault(measure);
}

/// <summary>Everything the data set of one period is computed from.</summary>
public sealed record PeriodFacts(
    Feeds.Period Period,
    IReadOnlyDictionary<string, AreaFacts> Areas,
    IReadOnlyList<NormalisedFeed> Inputs,
    IReadOnlyList<string> MissingFeeds,
    IReadOnlyList<DatasetWarning> Warnings)
{
    public bool IsComplete => MissingFeeds.Count == 0;
}
