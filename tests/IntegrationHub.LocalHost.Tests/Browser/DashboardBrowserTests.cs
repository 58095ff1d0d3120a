using System.Globalization;
using System.Text.Json;
using IntegrationHub.LocalHost.Tests.Support;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace IntegrationHub.LocalHost.Tests.Browser;

/// <summary>
/// The data-set dashboard (<c>/api/dashboard</c>) in headless Chromium against the local host fed with the sample
/// fourth quarters of 2020 (the baselines) and 2024, pushed as the departments would. Everything the page should show
/// is read from the query API, never from the page's own arithmetic.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardBrowserTests(BrowserHub fixture, ITestOutputHelper output)
{
    private const string Period = "2024-Q4";

    private static readonly string[] ChartedIndicators =
    [
        "energy.assessedIntensity", "energy.assessedIntensityChangeVs2020Pct", "carbon.intensity", "carbon.intensityChangeVs2020Pct",
        "energy.nonFossilSharePct", "power.gridNonFossilSharePct", "power.pvInstalledKw", "transport.chargingCoveragePct", "transport.nevSharePct",
    ];

    private static readonly string[] Sectors = ["industry", "construction", "transport", "commercial", "residential", "agriculture"];

    private HubApi Api => fixture.Api;

    [BrowserFact]
    public async Task Dashboard_SampleQuarter_ShowsChartsAndTargetsAsTheApi_AndFollowsANewVersion()
    {
        // 2020-Q4 first (the baselines of the changes vs 2020 and the target paths), then 2024-Q4 with the statistics
        // bureau's first release; its revision comes later, while the page is open.
        await PushQuarterAsync("2020-Q4", statisticsRevision: 0);
        await PushQuarterAsync(Period, statisticsRevision: 0);
        var first = await CurrentDatasetAsync(d => Inputs(d).Any(f => f.StartsWith("statistics-2024-Q4-r0-", StringComparison.Ordinal)));

        var page = new BrowserPage(fixture.Driver, fixture.Hub.Logs, output);
        page.Open(new Uri(Api.Address, $"/api/dashboard?kind=quarter&period={Period}&area=XJNA"));
        await AssertShowsAsync(page, first);
        page.Screenshot("dashboard-1-2024-Q4-first-release");

        // The statistics bureau revises the quarter: a new version is published and the open page picks it up by polling.
        var revision = await Api.PushAcceptedAsync("statistics-2024-Q4-r1.json");
        await Api.WaitForFeedConsolidatedAsync(revision);
        var revised = await CurrentDatasetAsync(d => Inputs(d).Any(f => f.StartsWith("statistics-2024-Q4-r1-", StringComparison.Ordinal)));
        Assert.True(Version(revised) > Version(first), $"The revision should publish a new version after v{Version(first)}.");
        await AssertShowsAsync(page, revised);
        page.Screenshot("dashboard-2-2024-Q4-revised");

        // Another area: its own figures over time; the plan's target lines are the New Area's, so they go.
        page.Choose("area", "430104");
        page.Until("the charts of 430104", () => page.Text("ds-title").EndsWith("430104", StringComparison.Ordinal)
            && page.All("#charts circle.point").Count > 0 && page.All("#charts path.threshold, #charts path.required").Count == 0);
        Assert.Contains("area=430104", page.Driver.Url, StringComparison.Ordinal);
        Assert.Empty(page.BrowserErrors());
    }

    /// <summary>
    /// The page shows this version of the period (polling until it does, at most three polls): the summary, a chart per
    /// key indicator with one point per published quarter that has it and the target lines, the target table with
    /// the API's statuses, and the data set's gaps.
    /// </summary>
    private async Task AssertShowsAsync(BrowserPage page, JsonElement dataset)
    {
        var version = Version(dataset).ToString(CultureInfo.InvariantCulture);
        page.Until($"{Period} v{version} on the page", () => page.Text("ds-version") == version, TimeSpan.FromSeconds(35));
        page.Until("the charts", () => page.All("#charts figure.chart svg").Count == ChartedIndicators.Length);
        Assert.Equal(dataset.GetProperty("status").GetString(), page.Text("ds-status"));

        // Each chart: one point per published quarter whose New Area figures have the indicator (as the API answers them).
        var quarters = await PublishedQuartersAsync();
        foreach (var indicator in ChartedIndicators)
        {
            var expected = quarters.Count(q => Indicator(q, indicator) is not null);
            var figure = page.Until($"the chart of {indicator}", () => page.All($"#charts figure[data-indicator='{indicator}']").FirstOrDefault());
            Assert.True(expected >= 1, $"The API's {Period} should have {indicator} for XJNA.");
            page.Until($"{expected} point(s) on the chart of {indicator}", () => figure.FindElements(By.CssSelector("circle.point")).Count == expected);

            // Lines only for a target judged on the charted figure itself (annual path or proxy); a quarter's early
            // warning (ytd-yoy) compares the year to date with last year's, another quantity, so it draws none.
            var target = Targets(dataset).FirstOrDefault(t => t.GetProperty("indicator").GetString() == indicator
                && t.GetProperty("basis").GetString() is "annual-path" or "proxy");
            if (target.ValueKind == JsonValueKind.Object)
            {
                Assert.Equal(
                    target.GetProperty("threshold").ValueKind == JsonValueKind.Number, figure.FindElements(By.CssSelector("path.threshold")).Count == 1);
                Assert.Equal(target.GetProperty("required").ValueKind == JsonValueKind.Number, figure.FindElements(By.CssSelector("path.required")).Count == 1);
            }
            else
            {
                Assert.Empty(figure.FindElements(By.CssSelector("path.threshold, path.required")));
            }
        }

        // The target table: every target of the data set, with the status the API computed.
        var rows = page.All("#targets tbody tr[data-target-id]");
        Assert.Equal(Targets(dataset).Select(t => t.GetProperty("id").GetString()), rows.Select(r => r.GetDomAttribute("data-target-id")));
        foreach (var target in Targets(dataset))
        {
            var id = target.GetProperty("id").GetString();
            var status = page.All($"#targets tr[data-target-id='{id}'] .badge").Single();
            Assert.Equal(target.GetProperty("status").GetString(), status.Text);
            Assert.Contains(target.GetProperty("status").GetString()!, status.GetDomAttribute("class"), StringComparison.Ordinal);
            var basis = page.All($"#targets tr[data-target-id='{id}'] td.basis").Single();
            Assert.Equal(target.GetProperty("basis").GetString() ?? "none", basis.GetDomAttribute("data-basis"));
        }

        // A quarter's intensity targets are early warnings, coloured green, amber, red (or no-data), basis ytd-yoy.
        foreach (var id in new[] { "energy-intensity-2025", "carbon-intensity-vs-changsha" })
        {
            var target = Targets(dataset).Single(t => t.GetProperty("id").GetString() == id);
            Assert.Equal("ytd-yoy", target.GetProperty("basis").GetString());
            Assert.Contains(target.GetProperty("status").GetString(), new[] { "green", "amber", "red", "no-data" });
            Assert.Contains("year to date", page.All($"#targets tr[data-target-id='{id}'] td.basis").Single().Text, StringComparison.Ordinal);
        }

        // The sector breakdown: each sector's energy and CO2 as the API gives them for XJNA.
        var rowsBySector = page.All("#sectors tbody tr[data-sector]");
        Assert.Equal(Sectors.Where(s => Indicator(dataset, $"energy.sector.{s}Tce") is not null), rowsBySector.Select(r => r.GetDomAttribute("data-sector")));
        foreach (var row in rowsBySector)
        {
            var sector = row.GetDomAttribute("data-sector");
            var cells = row.FindElements(By.CssSelector("td.num"));
            // The cell keeps the API's value unrounded beside the formatted text.
            Assert.Equal(
                Value(Indicator(dataset, $"energy.sector.{sector}Tce")!.Value),
                double.Parse(cells[0].GetDomAttribute("data-value")!, CultureInfo.InvariantCulture));
            Assert.Equal(
                Value(Indicator(dataset, $"carbon.sector.{sector}Tco2")!.Value),
                double.Parse(cells[2].GetDomAttribute("data-value")!, CultureInfo.InvariantCulture));
        }

        // What is missing: every entry of the data set's list, and nothing else.
        var missing = dataset.GetProperty("missing").GetArrayLength();
        Assert.Equal(missing, page.All("#missing-feeds li, #missing-indicators li").Count);
        if (missing == 0)
        {
            Assert.Contains("Nothing is missing", page.Text("missing"), StringComparison.Ordinal);
        }
    }

    private async Task PushQuarterAsync(string quarter, int statisticsRevision)
    {
        var year = quarter[..4];
        var firstMonth = ((quarter[^1] - '1') * 3) + 1;
        var names = new List<string> { $"statistics-{quarter}-r{statisticsRevision}.json" };
        foreach (var month in Enumerable.Range(firstMonth, 3).Select(m => $"{year}-{m:00}"))
        {
            names.AddRange(new[] { "power-grid", "transport", "environment" }.Select(source => SampleFeed.Latest(source, month).Name));
        }

        var feedIds = new List<string>();
        foreach (var name in names)
        {
            feedIds.Add(await Api.PushAcceptedAsync(name));
        }

        foreach (var feedId in feedIds)
        {
            await Api.WaitForFeedConsolidatedAsync(feedId);
        }

        output.WriteLine($"{quarter}: {feedIds.Count} feeds consolidated");
    }

    /// <summary>The period's current data set once it satisfies <paramref name="ready"/>.</summary>
    private Task<JsonElement> CurrentDatasetAsync(Func<JsonElement, bool> ready) =>
        Api.EventuallyAsync($"{Period}'s current data set", async () =>
        {
            var dataset = await Api.DatasetAsync(Period);
            return (dataset is { } d && ready(d), dataset ?? default, dataset is { } found ? $"v{Version(found)}" : "none");
        });

    /// <summary>Every published quarter's current data set, restricted to the New Area.</summary>
    private async Task<IReadOnlyList<JsonElement>> PublishedQuartersAsync()
    {
        var list = (await Api.GetAsync("/api/datasets")).Json;
        var quarters = new List<JsonElement>();
        foreach (var entry in list.EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "quarter"))
        {
            var answer = await Api.GetAsync($"/api/datasets/{entry.GetProperty("period").GetString()}?area=XJNA");
            Assert.True(answer.Status == 200, $"Reading {entry} should answer 200; got {answer}");
            quarters.Add(answer.Json);
        }

        return quarters;
    }

    private static JsonElement? Indicator(JsonElement dataset, string id) =>
        dataset.GetProperty("areas").EnumerateArray()
            .FirstOrDefault(a => a.GetProperty("areaCode").GetString() == "XJNA") is { ValueKind: JsonValueKind.Object } area
        && area.GetProperty("indicators").TryGetProperty(id, out var value)
            ? value
            : null;

    private static double Value(JsonElement indicator) => indicator.GetProperty("value").GetDouble();

    private static IEnumerable<JsonElement> Targets(JsonElement dataset) => dataset.GetProperty("targets").EnumerateArray();

    private static int Version(JsonElement dataset) => dataset.GetProperty("version").GetInt32();

    private static IEnumerable<string> Inputs(JsonElement dataset) =>
        dataset.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("feedId").GetString()!);
}
