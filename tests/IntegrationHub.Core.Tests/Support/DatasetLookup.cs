using System.Globalization;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Normalisation;

namespace IntegrationHub.Core.Tests.Support;

/// <summary>Building a data set from accepted feeds and reading one figure of it, failing with a clear message.</summary>
internal static class DatasetLookup
{
    public static readonly DateTimeOffset GeneratedAt = new(2026, 1, 20, 10, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Relative tolerance for doubles computed in a different order than the hand arithmetic.</summary>
    public const double RelativeTolerance = 1e-9;

    public static DatasetDocument Build(string period, IEnumerable<NormalisedFeed> feeds, int version = 1) =>
        TestCore.Core.Datasets.Build(Period.Parse(period), feeds.ToArray(), version, GeneratedAt);

    public static AreaIndicators Area(this DatasetDocument document, string areaCode) =>
        document.Areas.SingleOrDefault(a => a.AreaCode == areaCode)
        ?? throw new Xunit.Sdk.XunitException(
            $"Area {areaCode} is not in the data set of {document.Period}; areas: {string.Join(", ", document.Areas.Select(a => a.AreaCode))}.");

    public static IndicatorValue Indicator(this DatasetDocument document, string areaCode, string id) =>
        document.Area(areaCode).Indicators.TryGetValue(id, out var value)
            ? value
            : throw new Xunit.Sdk.XunitException(
                $"Indicator {id} of {areaCode} is missing from the data set of {document.Period}; present: " +
                $"{string.Join(", ", document.Area(areaCode).Indicators.Keys)}.");

    public static double Value(this DatasetDocument document, string areaCode, string id) => document.Indicator(areaCode, id).Value;

    public static TargetStatus Target(this DatasetDocument document, string id) =>
        document.Targets.SingleOrDefault(t => t.Id == id) ?? throw new Xunit.Sdk.XunitException($"Target {id} is not in the data set.");

    /// <summary>Equal within a relative tolerance of 1e-9 (exact when the expected value is 0).</summary>
    public static void AssertClose(double expected, double actual, string what)
    {
        var scale = Math.Max(Math.Abs(expected), Math.Abs(actual));
        Assert.True(
            Math.Abs(expected - actual) <= RelativeTolerance * scale,
            FormattableString.Invariant(
                $"{what}: expected {expected:R}, got {actual:R} (relative difference {(scale == 0 ? 0 : Math.Abs(expected - actual) / scale):E2})."));
    }

    public static void AssertIndicator(this DatasetDocument document, string areaCode, string id, double expected) =>
        AssertClose(expected, document.Value(areaCode, id), $"{id} of {areaCode} in {document.Period}");

    public static void AssertClose(double? expected, double? actual, string what)
    {
        if (expected is null || actual is null)
        {
            Assert.True(
                expected is null && actual is null,
                $"{what}: expected {expected?.ToString("R", CultureInfo.InvariantCulture) ?? "null"}, got " +
                $"{actual?.ToString("R", CultureInfo.InvariantCulture) ?? "null"}.");
            return;
        }

        AssertClose(expected.Value, actual.Value, what);
    }
}
