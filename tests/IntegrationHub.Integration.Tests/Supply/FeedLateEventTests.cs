using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.Core.Supply;
using IntegrationHub.Functions.Publishing;
using IntegrationHub.Functions.Supply;
using static IntegrationHub.Integration.Tests.Publishing.PublishingSamples;

namespace IntegrationHub.Integration.Tests.Supply;

/// <summary>The feed-late event as schemas/events/feed-late/1.0 defines it.</summary>
public sealed class FeedLateEventTests
{
    private static readonly SupplyCell PowerGridJanuary = new(
        "power-grid", "2025-01", "month", "2025-02-10", new DateTimeOffset(2025, 2, 10, 16, 0, 0, TimeSpan.Zero), SupplyState.Missing, null, []);

    [Fact]
    public void Create_MissingCell_SerialisesToAnEventItsSchemaAccepts()
    {
        var structured = JsonDocument.Parse(DatasetPublishedEvent.Serialize(FeedLateEvent.Create(PowerGridJanuary,
            new DateTimeOffset(2025, 2, 11, 0, 5, 0, TimeSpan.Zero))));

        var issues = Hub.Schemas.Evaluate(Hub.Schemas.Get("events/feed-late/1.0"), structured.RootElement);
        Assert.True(issues.Count == 0, string.Join("; ", issues.Select(i => $"{i.InstanceLocation} {i.Keyword}: {i.Message}")));
        var root = structured.RootElement;
        Assert.Equal("cn.xiangjiang.dualcarbon.feed.late", root.GetProperty("type").GetString());
        Assert.Equal("power-grid/2025-01", root.GetProperty("subject").GetString());
        Assert.Equal("2025-02-10", root.GetProperty("data").GetProperty("dueBy").GetString());
        Assert.Equal("/api/supply?source=power-grid&from=2025-01&to=2025-01", root.GetProperty("data").GetProperty("url").GetString());
    }

    [Fact]
    public void Id_SameSourceAndPeriod_SameIdWhenever_OtherPeriodOrSource_Another()
    {
        var first = FeedLateEvent.Create(PowerGridJanuary, new DateTimeOffset(2025, 2, 11, 0, 5, 0, TimeSpan.Zero)).Id;
        var again = FeedLateEvent.Create(PowerGridJanuary, new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero)).Id;
        Assert.Equal(first, again);
        // SHA-256 of "power-grid/2025-01", first 32 hex digits.
        Assert.Equal("feed-late:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("power-grid/2025-01")))[..32], first);
        Assert.NotEqual(first, FeedLateEvent.Id("power-grid", "2025-02"));
        Assert.NotEqual(first, FeedLateEvent.Id("transport", "2025-01"));
    }
}
