using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.LocalHost.Tests.Support;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace IntegrationHub.LocalHost.Tests.Browser;

/// <summary>
/// The dashboard's supply calendar in headless Chromium. The hub runs on the system clock; the test pushes power grid's
/// month before last (China time), whose due day (day 10 of last month, supply.json) has passed: the cell shows late.
/// A hub of its own, so the other pages' tests never see its data set; the collection's Chromium.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardSupplyBrowserTests(BrowserHub browser, EndToEndHub hub, ITestOutputHelper output) : IClassFixture<EndToEndHub>
{
    private HubApi Api => hub.Api;

    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [BrowserFact]
    public async Task Dashboard_FeedPushedAfterItsDueDay_ItsCellShowsLate_WithTheFeedInTheRevisionHistory()
    {
        var today = DateTimeOffset.UtcNow.ToOffset(China);
        var monthBeforeLast = new DateTime(today.Year, today.Month, 1).AddMonths(-2);
        var period = monthBeforeLast.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var feedId = await PushPowerGridAsync(period, today.AddHours(-1));
        await Api.EventuallyAsync($"power-grid {period} late in GET /api/supply", async () =>
        {
            var answer = await Api.GetAsync($"/api/supply?source=power-grid&from={period}&to={period}");
            var state = answer.Status == 200 ? answer.Json.GetProperty("cells")[0].GetProperty("state").GetString() : answer.ToString();
            return (state == "late", state, state ?? "");
        });

        var page = new BrowserPage(browser.Driver, hub.Logs, output);
        page.Open(new Uri(Api.Address, "/api/dashboard"));
        var cell = page.Until($"the power-grid {period} cell", () =>
            page.All($"#supply .supply-cell[data-source='power-grid'][data-period='{period}']").FirstOrDefault());
        Assert.Equal("late", cell.GetDomAttribute("data-state"));
        var badge = cell.FindElement(By.CssSelector(".badge"));
        Assert.Equal("late", badge.Text.Split(' ')[^1]);
        Assert.Contains(feedId, cell.GetDomAttribute("title"), StringComparison.Ordinal);

        var row = page.Until("its row in the revision history", () =>
            page.All($"#supply-history tr[data-source='power-grid'][data-period='{period}']").FirstOrDefault());
        Assert.Contains(feedId, row.Text, StringComparison.Ordinal);
        Assert.Equal("late", row.GetDomAttribute("data-state"));
        page.Screenshot("dashboard-supply-late");
        Assert.Empty(page.BrowserErrors());
    }

    /// <summary>The January 2024 sample re-dated to <paramref name="period"/>, produced at <paramref name="producedAt"/>.</summary>
    private async Task<string> PushPowerGridAsync(string period, DateTimeOffset producedAt)
    {
        var feed = JsonNode.Parse(SampleFeed.Latest("power-grid", "2024-01").Bytes)!.AsObject();
        feed["period"] = period;
        feed["producedAt"] = producedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var answer = await Api.PushAsync("power-grid", Encoding.UTF8.GetBytes(feed.ToJsonString()));
        Assert.True(answer.Status is 200 or 202, answer.ToString());
        return answer.Json.GetProperty("feedId").GetString()!;
    }
}
