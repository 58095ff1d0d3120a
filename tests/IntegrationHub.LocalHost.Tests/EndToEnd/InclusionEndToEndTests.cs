using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.EndToEnd;

/// <summary>
/// A feed's run ends once the feed is recorded and handed over; its status says Consolidated, with the version of
/// each data set that took it in, from the consolidations' own records: only the data sets that read it, and versions
/// that list it among their inputs.
/// </summary>
public sealed class InclusionEndToEndTests(EndToEndHub hub) : IClassFixture<EndToEndHub>
{
    [Fact]
    public async Task FeedsOfOneYear_AreConsolidatedIntoExactlyTheDataSetsThatReadThem_WithTheVersionThatTookThemIn()
    {
        // Worked out from the contract: a month feeds its quarter and its year; a statistics quarter only itself.
        var feeds = new Dictionary<string, string[]>
        {
            ["environment-2024-01-r0.json"] = ["2024-Q1", "2024"],
            ["power-grid-2024-05-r0.json"] = ["2024-Q2", "2024"],
            ["statistics-2024-Q2-r0.json"] = ["2024-Q2"],
        };

        // Pushed together, so that each consolidation runs while other feeds of the year are recorded.
        var ids = await Task.WhenAll(feeds.Keys.Select(hub.Api.PushAcceptedAsync));
        foreach (var id in ids)
        {
            await hub.Api.WaitForFeedConsolidatedAsync(id);
        }

        await hub.Api.WaitUntilQuietAsync();
        foreach (var (name, reads) in feeds)
        {
            var feed = SampleFeed.Load(name);
            var status = await hub.Api.FeedStatusAsync(feed.FeedId);
            Assert.Equal("Consolidated", status.Json.GetProperty("state").GetString());
            var taken = status.Json.GetProperty("datasets").EnumerateArray().Select(v => v.GetString()!).ToList();
            Assert.Equal(
                reads.Order(StringComparer.Ordinal), taken.Select(v => v[..v.LastIndexOf("/v", StringComparison.Ordinal)]).Order(StringComparer.Ordinal));
            foreach (var reference in taken)
            {
                var cut = reference.LastIndexOf("/v", StringComparison.Ordinal);
                var version = await hub.Api.GetAsync($"/api/datasets/{reference[..cut]}/versions/{reference[(cut + 2)..]}");
                Assert.True(version.Status == 200, $"{reference}: {version}");
                Assert.Contains(feed.FeedId, PublishedDatasets.InputsOf(version.Json));
            }

            // The run itself ended as soon as the feed was handed over.
            var run = await hub.Api.GetAsync($"/api/ops/instances/{Uri.EscapeDataString($"feed:{feed.Source}:{feed.Period}:{feed.FeedId[^16..]}")}", Keys.Ops);
            using var output = System.Text.Json.JsonDocument.Parse(run.Json.GetProperty("output").GetString()!);
            Assert.Equal("Recorded", output.RootElement.GetProperty("outcome").GetString());
        }
    }
}
