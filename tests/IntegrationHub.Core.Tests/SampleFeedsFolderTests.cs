using System.Text.Json;
using IntegrationHub.Core.Tests.Support;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Core.Tests;

/// <summary>The shipped samples are part of the contract's documentation: valid ones must pass, invalid ones must fail exactly as stated.</summary>
public class SampleFeedsFolderTests
{
    public static TheoryData<string> ValidSamples()
    {
        var data = new TheoryData<string>();
        foreach (var year in (string[])["2020", "2024", "2025"])
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.SampleFeeds, year), "*.json").Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(RepoPaths.SampleFeeds, file));
            }
        }

        return data;
    }

    public static TheoryData<string> InvalidSamples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.SampleFeeds, "invalid"), "*.json")
                     .Where(f => !f.EndsWith(".expected.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ValidSamples))]
    public void ValidSample_IsAcceptedWithoutErrors(string relativePath)
    {
        var check = TestCore.Core.Validator.Validate(File.ReadAllBytes(Path.Combine(RepoPaths.SampleFeeds, relativePath)));
        Assert.True(check.Report.Valid, string.Join("; ", check.Report.Errors.Select(e => $"{e.InstanceLocation} {e.Keyword}: {e.Message}")));
        // File names say what the feed is: {source}-{period}-r{revision}.json
        Assert.Equal($"{check.Feed!.Source}-{check.Feed.Period}-r{check.Feed.Revision}", Path.GetFileNameWithoutExtension(relativePath));
    }

    [Fact]
    public void Samples_CoverEveryExpectedPeriodOfEverySource()
    {
        var names = (new[] { "2020", "2024", "2025" })
            .SelectMany(year => Directory.EnumerateFiles(Path.Combine(RepoPaths.SampleFeeds, year), "*.json"))
            .Select(Path.GetFileName)
            .ToHashSet(StringComparer.Ordinal);
        string[] statisticsPeriods =
            ["2020", "2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4", "2024", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3"];
        foreach (var period in statisticsPeriods)
        {
            Assert.Contains($"statistics-{period}-r0.json", names);
        }

        var months = Enumerable.Range(1, 12).Select(m => $"2020-{m:D2}").Concat(Enumerable.Range(1, 12).Select(m => $"2024-{m:D2}"))
            .Concat(Enumerable.Range(1, 9).Select(m => $"2025-{m:D2}"));
        foreach (var month in months)
        {
            foreach (var source in (string[])["power-grid", "transport", "environment"])
            {
                Assert.Contains($"{source}-{month}-r0.json", names);
            }
        }

        Assert.Contains("statistics-2024-Q4-r1.json", names);
        Assert.Contains("power-grid-2025-03-r1.json", names);
    }

    [Theory]
    [MemberData(nameof(InvalidSamples))]
    public void InvalidSample_FailsWithExactlyItsExpectedErrors(string name)
    {
        var folder = Path.Combine(RepoPaths.SampleFeeds, "invalid");
        using var expected = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, name + ".expected.json")));
        var expectedErrors = expected.RootElement.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("instanceLocation").GetString()!, e.GetProperty("keyword").GetString()!))
            .Order()
            .ToArray();
        var expectedVerdict = expected.RootElement.GetProperty("exitCode").GetInt32() == 2 ? ValidationVerdict.Unusable : ValidationVerdict.Invalid;

        var report = TestCore.Core.Validator.Validate(File.ReadAllBytes(Path.Combine(folder, name + ".json"))).Report;

        Assert.Equal(expectedErrors, report.Errors.Select(e => (e.InstanceLocation, e.Keyword)).Order().ToArray());
        Assert.Equal(expectedVerdict, report.Verdict);
        Assert.All(report.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
    }
}
