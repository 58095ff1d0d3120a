using System.Text.Json;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.Cli;

/// <summary><c>hub-bench --hub</c> against the local host: the end-to-end part, which pushes a period's feeds as
/// corrections and times them into the data set.</summary>
public sealed class HubBenchEndToEndTests(EndToEndHub hub) : IClassFixture<EndToEndHub>
{
    [Fact]
    public async Task BenchEndToEnd_TwoRunsOfAQuarter_EachRunACorrectionOfEveryFeedServedInANewVersion()
    {
        var (exit, stdout, stderr) = await HubTool.RunBenchAsync(hub.Api.Address,
            ["--end-to-end-only", "--runs", "2", "--period", "2025-Q1", "--feeds", Path.Combine(RepoPaths.SampleFeeds, "2025")]);

        Assert.True(exit == 0, $"exit {exit}; stdout: {stdout}; stderr: {stderr}");
        using var report = JsonDocument.Parse(stdout);
        var endToEnd = report.RootElement.GetProperty("endToEnd");
        Assert.Equal(JsonValueKind.Null, report.RootElement.GetProperty("validation").ValueKind);
        Assert.Equal((10, 2), (endToEnd.GetProperty("feedsPerRun").GetInt32(), endToEnd.GetProperty("runs").GetInt32()));
        var versions = endToEnd.GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("version").GetInt32()).ToList();
        Assert.True(versions[1] > versions[0], $"each run should be served in a newer version: {string.Join(", ", versions)}");
        Assert.Contains("run 2/2", stderr, StringComparison.Ordinal);

        // What the data set holds now is the second run's correction of every feed: two revisions above the highest in
        // the folder (power grid 2025-03 is there as r1, every other period as r0).
        var dataset = (await hub.Api.DatasetAsync("2025-Q1"))!.Value;
        var revisions = dataset.GetProperty("inputs").EnumerateArray()
            .Where(i => i.GetProperty("period").GetString()!.StartsWith("2025", StringComparison.Ordinal))
            .ToDictionary(i => $"{i.GetProperty("source").GetString()}:{i.GetProperty("period").GetString()}", i => i.GetProperty("revision").GetInt32());
        Assert.Equal(10, revisions.Count);
        Assert.All(revisions, r => Assert.Equal(r.Key == "power-grid:2025-03" ? 3 : 2, r.Value));
    }
}
