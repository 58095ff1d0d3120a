using IntegrationHub.Core.Feeds;
using IntegrationHub.Functions.Pull;

namespace IntegrationHub.Integration.Tests.Pull;

public sealed class PullUrlTests
{
    private static PullOptions Options(string baseUrl, string template = "{source}/feeds/{period}", string allowed = "api.grid.example") => new()
    {
        PowerGrid = new PullSourceOptions { BaseUrl = baseUrl, PathTemplate = template },
        AllowedHosts = allowed,
    };

    [Fact]
    public void Build_ConfiguredDepartment_FillsSourceAndPeriodUnderTheBaseUrl()
    {
        var url = PullUrl.Build(Options("https://api.grid.example/v2"), FeedSource.PowerGrid, "2025-03");

        Assert.Equal("https://api.grid.example/v2/power-grid/feeds/2025-03", url.AbsoluteUri);
    }

    [Fact]
    public void Build_HostNotAllowed_IsRefusedNamingTheSetting()
    {
        var refused = Assert.Throws<PullRefusedException>(() => PullUrl.Build(Options("https://elsewhere.example"), FeedSource.PowerGrid, "2025-03"));

        Assert.Contains("Pull__AllowedHosts", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_TemplateLeadingOffTheHost_IsRefused()
    {
        Assert.Throws<PullRefusedException>(
            () => PullUrl.Build(Options("https://api.grid.example", "https://evil.example/{period}"), FeedSource.PowerGrid, "2025-03"));
    }

    [Fact]
    public void Build_NotConfigured_IsRefusedNamingTheSettingToSet()
    {
        var refused = Assert.Throws<PullRefusedException>(() => PullUrl.Build(new PullOptions(), FeedSource.Statistics, "2025-Q1"));

        Assert.Contains("Pull__Statistics__BaseUrl", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NotAPeriod_IsRefused()
    {
        Assert.Throws<PullRefusedException>(() => PullUrl.Build(Options("https://api.grid.example"), FeedSource.PowerGrid, "2025-13"));
    }

    [Fact]
    public void Build_PlainHttpToAPublicHost_IsRefusedNamingHttps()
    {
        var refused = Assert.Throws<PullRefusedException>(() => PullUrl.Build(Options("http://api.grid.example/v2"), FeedSource.PowerGrid, "2025-03"));

        Assert.Equal("The power-grid pull must use https: 'api.grid.example' is neither loopback nor in Pull__AllowHttpHosts.", refused.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:7080", "127.0.0.1")]
    [InlineData("http://localhost:7080", "localhost")]
    [InlineData("http://[::1]:7080", "[::1]")]
    public void Build_PlainHttpToLoopback_Allowed(string baseUrl, string host)
    {
        var options = Options(baseUrl, allowed: host);
        options.AllowPrivateNetworks = true;

        Assert.Equal("http", PullUrl.Build(options, FeedSource.PowerGrid, "2025-03").Scheme);
    }

    [Fact]
    public void Build_PlainHttpToAPrivateHostNamedInAllowHttpHosts_Allowed()
    {
        var options = Options("http://grid-api.internal", allowed: "grid-api.internal");
        options.AllowHttpHosts = "other.internal, grid-api.internal";

        Assert.Equal("http://grid-api.internal/power-grid/feeds/2025-03", PullUrl.Build(options, FeedSource.PowerGrid, "2025-03").AbsoluteUri);
    }
}
