using System.Text.Json;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.EndToEnd;

/// <summary>
/// A consolidation tells the feeds it took in that they are in (the <c>included</c> event, with the data-set version),
/// and only those its data set reads: the feeds of a year's other periods share the year's ledger but wait for
/// other data sets, and a wake-up would only make them look in vain.
/// </summary>
public sealed class IncludedNewsEndToEndTests(EndToEndHub hub) : IClassFixture<EndToEndHub>
{
    [Fact]
    public async Task FeedsOfOneYear_AreToldOnlyByTheDataSetsThatReadThem_WithTheVersionThatTookThemIn()
    {
        // Worked out from the contract: a month feeds its quarter and its year; a statistics quarter only itself.
        var feeds = new Dictionary<string, string[]>
        {
            ["environment-2024-01-r0.json"] = ["2024-Q1", "2024"],
            ["power-grid-2024-05-r0.json"] = ["2024-Q2", "2024"],
            ["statistics-2024-Q2-r0.json"] = ["2024-Q2"],
        };

        // Pushed together, so that each consolidation runs while the other feeds of the year are waiting.
        var ids = await Task.WhenAll(feeds.Keys.Select(hub.Api.PushAcceptedAsync));
        foreach (var id in ids)
        {
            await hub.Api.WaitForFeedConsolidatedAsync(id);
        }

        await hub.Api.WaitUntilQuietAsync();
        var current = new Dictionary<string, int>();
        foreach (var period in new[] { "2024-Q1", "2024-Q2", "2024" })
        {
            current[period] = (await hub.Api.DatasetAsync(period))!.Value.GetProperty("version").GetInt32();
        }

        var told = 0;
        foreach (var (name, reads) in feeds)
        {
            var feed = SampleFeed.Load(name);
            var detail = await hub.Api.GetAsync($"/api/ops/instances/{Uri.EscapeDataString($"feed:{feed.Source}:{feed.Period}:{feed.FeedId[^16..]}")}", Keys.Ops);
            Assert.True(detail.Status == 200, detail.ToString());
            var news = detail.Json.GetProperty("history").EnumerateArray()
                .Where(e => e.GetProperty("type").GetString() == "EventRaised" && e.GetProperty("name").GetString() == "included")
                .Select(e => JsonSerializer.Deserialize<string>(e.GetProperty("detail").GetString()!)!)
                .ToList();
            foreach (var item in news)
            {
                var (period, version) = (item[..item.LastIndexOf("/v", StringComparison.Ordinal)], int.Parse(item[(item.LastIndexOf("/v", StringComparison.Ordinal) + 2)..], System.Globalization.CultureInfo.InvariantCulture));
                Assert.True(reads.Contains(period), $"{feed.FeedId} waits for {string.Join(", ", reads)} but was told by {item}.");
                Assert.InRange(version, 1, current[period]);
            }

            told += news.Count;
        }

        Assert.True(told > 0, "No feed was told it was in: the consolidations left every feed to its own looks.");
    }
}
