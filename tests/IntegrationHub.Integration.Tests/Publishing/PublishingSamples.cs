using IntegrationHub.Core;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Normalisation;

namespace IntegrationHub.Integration.Tests.Publishing;

/// <summary>Data sets to announce: small hand-made ones, and the real 2024 ones built from the sample feeds.</summary>
internal static class PublishingSamples
{
    // The test runner builds regexes before test code runs; see the Core tests' TestCore for why this is opted out here.
    private static readonly Lazy<HubCore> SharedCore = new(() => new HubCore(requireRegexTimeout: false));

    private static readonly Lazy<IReadOnlyList<NormalisedFeed>> SampleFeeds = new(LoadSampleFeeds);

    public static HubCore Hub => SharedCore.Value;

    public static readonly DateTimeOffset GeneratedAt = new(2025, 4, 18, 2, 15, 33, TimeSpan.Zero);

    /// <summary>A data set with the given figures, areas in the order given; an area with no figure is listed empty.</summary>
    public static DatasetDocument Dataset(string period, int version, string status, params (string Area, string Id, double? Value)[] figures) => new()
    {
        Period = period,
        Version = version,
        GeneratedAt = GeneratedAt,
        Status = status,
        Missing = [],
        Inputs = [],
        // What this build writes: data set 2.0, so its event is dataset-published 1.1 with methodologyVersion 2.0.
        Methodology = DatasetMethodology.Current(2020),
        Coefficients = new CoefficientsBlock("coefficients", "2.0", "coal-equivalent-of-generation", []),
        Areas = [.. figures
            .GroupBy(f => f.Area, StringComparer.Ordinal)
            .Select(g => new AreaIndicators(g.Key, g
                .Where(f => f.Value is not null)
                .ToDictionary(f => f.Id, f => new IndicatorValue(f.Value!.Value, "unit", "complete", ["statistics"]), StringComparer.Ordinal)))],
        Targets = [],
        Warnings = [],
    };

    /// <summary>The data set the hub builds from the sample feeds (with the 2020 baselines).</summary>
    public static DatasetDocument FromSampleFeeds(string period, int version) =>
        Hub.Datasets.Build(Period.Parse(period), SampleFeeds.Value.ToArray(), version, GeneratedAt);

    private static IReadOnlyList<NormalisedFeed> LoadSampleFeeds()
    {
        var feeds = new List<NormalisedFeed>();
        foreach (var year in new[] { "2020", "2024" })
        {
            foreach (var path in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "local-dev", "sample-feeds", year), "*.json"))
            {
                var check = Hub.Validator.Validate(File.ReadAllBytes(path));
                feeds.Add(FeedNormaliser.Normalise(check.Feed ?? throw new InvalidOperationException($"Sample feed {Path.GetFileName(path)} is invalid.")));
            }
        }

        return feeds;
    }
}
