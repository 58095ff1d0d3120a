using IntegrationHub.Core.Feeds;

namespace IntegrationHub.Core.Tests;

public sealed class FeedIdTests
{
    private const string Hash = "9c1f2e3d4b5a6978aabbccddeeff00112233445566778899aabbccddeeff0011";

    [Fact]
    public void HashPrefixOf_AnIdOfAPeriodWithDashes_IsTheHashsFirst16Digits()
    {
        Assert.Equal("9c1f2e3d4b5a6978", FeedId.HashPrefixOf(FeedId.Create("power-grid", "2024-Q2", 3, Hash)));
    }

    [Theory]
    [InlineData("power-grid", "2024-05", 0, "power-grid", "2024-05", 12, true)]
    [InlineData("power-grid", "2024-05", 0, "power-grid", "2024-06", 0, false)]
    [InlineData("statistics", "2024", 1, "statistics", "2024-Q1", 1, false)]
    [InlineData("transport", "2024-05", 0, "environment", "2024-05", 0, false)]
    public void SameSourceAndPeriod_ComparesSourceAndPeriodOnly(
        string sourceA, string periodA, int revisionA, string sourceB, string periodB, int revisionB, bool same)
    {
        var a = FeedId.Create(sourceA, periodA, revisionA, Hash);
        var b = FeedId.Create(sourceB, periodB, revisionB, new string('0', 64));

        Assert.Equal(same, FeedId.SameSourceAndPeriod(a, b));
    }
}
