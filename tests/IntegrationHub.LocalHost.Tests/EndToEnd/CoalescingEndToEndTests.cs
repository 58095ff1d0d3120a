using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.EndToEnd;

/// <summary>
/// Consolidations coalesce: a burst of feeds for one period costs a few builds of its data set, not one per feed,
/// and every feed of the burst is in the version the last build announced.
/// </summary>
public sealed class CoalescingEndToEndTests(EndToEndHub hub) : IClassFixture<EndToEndHub>
{
    private const int Burst = 16;

    [Fact]
    public async Task BurstOfFeedsForOnePeriod_BuildsItsDataSetAFewTimesNotOncePerFeed()
    {
        // Sixteen distinct environment feeds of 2025-01 (the same figures, each its own producer text): every one is
        // a new feed for the 2025-Q1 and 2025 data sets.
        var template = JsonNode.Parse(SampleFeed.Load("environment-2025-01-r0.json").Bytes)!;
        var bodies = Enumerable.Range(0, Burst).Select(i =>
        {
            var feed = template.DeepClone();
            feed["producer"] = $"{template["producer"]} (burst {i})";
            return JsonSerializer.SerializeToUtf8Bytes(feed);
        }).ToList();

        var answers = await Task.WhenAll(bodies.Select(b => hub.Api.PushAsync("environment", b)));

        Assert.All(answers, a => Assert.Equal(202, a.Status));
        var ids = answers.Select(a => a.Json.GetProperty("feedId").GetString()!).ToList();
        foreach (var id in ids)
        {
            await hub.Api.WaitForFeedConsolidatedAsync(id);
        }

        await hub.Api.WaitUntilQuietAsync();
        // Every build of the period says so in the hub's log, whether it stored a new version or found none needed.
        var builds = hub.Logs.Containing("Data set 2025-Q1 ")
            .Where(l => l.Contains(" built: ", StringComparison.Ordinal) || l.Contains(" unchanged at ", StringComparison.Ordinal)).ToList();
        Assert.InRange(builds.Count, 1, Burst / 3);
        var versions = await hub.Api.DatasetVersionsAsync("2025-Q1");
        Assert.InRange(versions.Count, 1, builds.Count);
    }
}
