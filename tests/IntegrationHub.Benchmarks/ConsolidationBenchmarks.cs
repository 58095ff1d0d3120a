using BenchmarkDotNet.Attributes;
using IntegrationHub.Benchmarking;
using IntegrationHub.Core.Consolidation;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Normalisation;
using IntegrationHub.Core.Reference;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// The sample feeds (local-dev/sample-feeds: 2020, 2024 and 2025-01..09), accepted by the hub's validator and
/// normalised, plus the years they lack (2021-2023 and 2025-10..12, with the 2025 Q4 and year releases) copied from
/// 2024 under their own periods, so every month of 2020-2025 has its four departments' feeds.
/// </summary>
internal static class SampleYears
{
    public const int FirstYear = DatasetBuilder.BaselineYear;
    public const int LastYear = 2025;

    public static readonly DateTimeOffset GeneratedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<AcceptedFeed> Accepted { get; } = LoadAccepted();

    public static IReadOnlyDictionary<int, List<NormalisedFeed>> NormalisedByYear { get; } = Complete(Accepted.Select(FeedNormaliser.Normalise).ToList());

    private static List<AcceptedFeed> LoadAccepted()
    {
        var folder = Path.Combine(BenchCore.RepoRoot, "local-dev", "sample-feeds");
        var accepted = new List<AcceptedFeed>();
        foreach (var year in (string[])["2020", "2024", "2025"])
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(folder, year), "*.json").Order(StringComparer.Ordinal))
            {
                var check = BenchCore.Core.Validator.Validate(File.ReadAllBytes(file));
                accepted.Add(check.Feed ?? throw new InvalidOperationException($"{file} is not accepted: {check.Report.Errors[0].Message}"));
            }
        }

        return accepted;
    }

    private static Dictionary<int, List<NormalisedFeed>> Complete(List<NormalisedFeed> feeds)
    {
        var template = feeds.Where(f => f.Period.StartsWith("2024", StringComparison.Ordinal)).ToList();
        var present = feeds.Select(f => (f.Source, f.Period)).ToHashSet();
        for (var year = FirstYear; year <= LastYear; year++)
        {
            foreach (var feed in template)
            {
                var shifted = Shift(feed, year);
                if (present.Add((shifted.Source, shifted.Period)))
                {
                    feeds.Add(shifted);
                }
            }
        }

        return feeds.GroupBy(f => Period.Parse(f.Period).Year).ToDictionary(g => g.Key, g => g.ToList());
    }

    private static NormalisedFeed Shift(NormalisedFeed feed, int year)
    {
        var to = year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return feed with
        {
            FeedId = feed.FeedId.Replace("-2024", "-" + to, StringComparison.Ordinal),
            Period = to + feed.Period[4..],
            ProducedAt = feed.ProducedAt.AddYears(year - 2024),
        };
    }
}

/// <summary>Normalisation and indicators for one period: the 20 feeds 2024-Q2 reads (its own and 2020-Q2's), then its data set.</summary>
[Config(typeof(ShortJobConfig))]
public class OnePeriodBenchmarks
{
    private static readonly Period Quarter = Period.OfQuarter(2024, 2);

    private AcceptedFeed[] feeds = [];
    private DatasetBuilder builder = null!;

    [GlobalSetup]
    public void Setup()
    {
        var periods = Quarter.Months().Append(Quarter).SelectMany(p => new[] { p, p.InYear(DatasetBuilder.BaselineYear) }).ToHashSet();
        feeds = SampleYears.Accepted.Where(f => periods.Contains(f.Period)).ToArray();
        builder = new DatasetBuilder(BenchCore.Core.Reference);
    }

    [Benchmark(Description = "normalise 20 feeds")]
    public int Normalise() => feeds.Sum(f => FeedNormaliser.Normalise(f).Records.Count);

    [Benchmark(Description = "normalise 20 feeds + build 2024-Q2")]
    public int NormaliseAndBuild() => builder.Build(Quarter, feeds.Select(FeedNormaliser.Normalise).ToArray(), 1, SampleYears.GeneratedAt).Areas.Count;
}

/// <summary>
/// Every data set (each quarter and each year) of the first <see cref="Years"/> years from 2020, each built from the
/// feeds it reads (its own year's and 2020's), as consolidation does; <see cref="AreaFactor"/> 10 gives every street
/// and town nine synthetic siblings with the same figures, to show how the build grows with the number of areas.
/// </summary>
[Config(typeof(ShortJobConfig))]
public class DatasetBuildBenchmarks
{
    private Dictionary<int, NormalisedFeed[]> byYear = [];
    private DatasetBuilder builder = null!;
    private Period[] periods = [];

    [Params(1, 3, 6)]
    public int Years { get; set; }

    [Params(1, 10)]
    public int AreaFactor { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var reference = BenchCore.Core.Reference;
        var leaves = reference.Areas.Areas.Where(a => !a.Overlay && reference.ChildrenOf(a.Code).Count == 0).Select(a => a.Code).ToArray();
        var siblings = leaves
            .Select((code, i) =>
                (code, copies: Enumerable.Range(0, AreaFactor - 1).Select(c => FeedGenerator.SyntheticStreetCode((i * (AreaFactor - 1)) + c)).ToArray()))
            .ToDictionary(x => x.code, x => x.copies, StringComparer.Ordinal);
        builder = new DatasetBuilder(AreaFactor == 1 ? reference : FeedGenerator.ReferenceWithSyntheticStreets(reference, leaves.Length * (AreaFactor - 1)));
        byYear = SampleYears.NormalisedByYear.ToDictionary(y => y.Key, y => y.Value.Select(f => WithSiblings(f, siblings)).ToArray());
        periods = Enumerable.Range(SampleYears.FirstYear, Years)
            .SelectMany(y => Enumerable.Range(1, 4).Select(q => Period.OfQuarter(y, q)).Append(Period.OfYear(y)))
            .ToArray();
    }

    [Benchmark(Description = "build every quarter and year")]
    public int BuildEveryPeriod()
    {
        var areas = 0;
        foreach (var period in periods)
        {
            var feeds = DatasetPeriods.LedgerYears(period).SelectMany(y => byYear[y]).ToArray();
            areas += builder.Build(period, feeds, 1, SampleYears.GeneratedAt).Areas.Count;
        }

        return areas;
    }

    /// <summary>Synthetic siblings copy a leaf's measures; not its data centres, which are single facilities.</summary>
    private static NormalisedFeed WithSiblings(NormalisedFeed feed, Dictionary<string, string[]> siblings) => feed with
    {
        Records = feed.Records
            .SelectMany(
                r => siblings.TryGetValue(r.AreaCode, out var copies) ? copies.Select(c => r with { AreaCode = c, DataCentres = null }).Prepend(r) : [r])
            .ToArray(),
    };
}
