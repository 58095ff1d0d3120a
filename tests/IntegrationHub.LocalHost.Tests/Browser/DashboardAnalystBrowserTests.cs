using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using IntegrationHub.LocalHost.Tests.Support;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace IntegrationHub.LocalHost.Tests.Browser;

/// <summary>
/// What an analyst reads on the dashboard beyond the figures: areas by name, a time axis with the missing periods
/// visible, a year's warnings grouped, the page's words in Chinese first or in English. The quarters pushed here
/// (2020-Q3, 2024-Q3, 2025-Q1) are not the ones <see cref="DashboardBrowserTests"/> pushes, so the two classes share
/// the hub in any order; every expectation is read from the query API or the reference data as published.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class DashboardAnalystBrowserTests(BrowserHub fixture, ITestOutputHelper output)
{
    private const string LanguageKey = "integrationhub.dashboard.lang";

    private HubApi Api => fixture.Api;

    [BrowserFact]
    public async Task Dashboard_NamesEveryAreaInChineseWithItsCode_InThePickerTitlesAndWarnings()
    {
        await EnsureQuarterAsync("2024-Q3");

        // The names come from the hub (its reference data, areas.json), not from the page.
        var areas = await Api.GetAsync("/api/areas");
        Assert.True(areas.Status == 200, $"GET /api/areas should answer 200; got {areas}");
        var byCode = areas.Json.GetProperty("areas").EnumerateArray()
            .ToDictionary(a => a.GetProperty("code").GetString()!, a => a.GetProperty("nameZh").GetString()!);
        Assert.Equal("湖南湘江新区", byCode["XJNA"]);
        Assert.Equal("岳麓区", byCode["430104"]);
        Assert.Equal("望月湖街道", byCode["430104001"]);
        var etag = await EtagOfAreasAsync();
        using (var http = new HttpClient { BaseAddress = Api.Address })
        using (var again = new HttpRequestMessage(HttpMethod.Get, "/api/areas"))
        {
            again.Headers.TryAddWithoutValidation("If-None-Match", etag);
            using var notModified = await http.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }

        var page = new BrowserPage(fixture.Driver, fixture.Hub.Logs, output);
        page.Open(new Uri(Api.Address, "/api/dashboard?kind=quarter&period=2024-Q3&area=XJNA"));
        page.Until("the 2024-Q3 data set", () => page.Text("ds-version").Length > 0);

        // Every option of the picker: the area's Chinese name, then its code; never a bare code.
        var dataset = (await Api.GetAsync("/api/datasets/2024-Q3")).Json;
        var codes = dataset.GetProperty("areas").EnumerateArray().Select(a => a.GetProperty("areaCode").GetString()!).ToList();
        page.Until("named areas in the picker", () => OptionText(page, "430104001").Contains("望月湖街道", StringComparison.Ordinal));
        Assert.Equal(codes.Order(StringComparer.Ordinal), page.All("#area option").Select(o => o.GetDomProperty("value")!).Order(StringComparer.Ordinal));
        foreach (var code in codes)
        {
            var text = OptionText(page, code).Trim();
            Assert.True(text.StartsWith(byCode[code], StringComparison.Ordinal) && text.EndsWith(code, StringComparison.Ordinal),
                $"The option of {code} should read '{byCode[code]} … {code}'; it reads '{text}'.");
        }

        Assert.Contains("湖南湘江新区", page.Text("ds-title"), StringComparison.Ordinal);
        Assert.Contains("湖南湘江新区", page.Text("targets-area"), StringComparison.Ordinal);

        // A street: its name in the title and over each table and the charts.
        page.Choose("area", "430104001");
        page.Until("the title of 望月湖街道", () => page.Text("ds-title").EndsWith("430104001", StringComparison.Ordinal)
            && page.Text("ds-title").Contains("望月湖街道", StringComparison.Ordinal));
        foreach (var id in new[] { "sectors-area", "figures-area", "charts-note" })
        {
            page.Until($"望月湖街道 in #{id}", () => page.Text(id).Contains("望月湖街道 · 430104001", StringComparison.Ordinal)
                || page.Text(id).Contains("望月湖街道 Wangyuehu Subdistrict · 430104001", StringComparison.Ordinal));
        }

        // Warnings name their area too (opened, every line shows it).
        foreach (var group in page.All("#warnings details"))
        {
            group.FindElement(By.CssSelector("summary")).Click();
        }

        var named = page.All("#warnings li[data-area] .area");
        foreach (var area in named.Take(40))
        {
            var code = area.FindElement(By.XPath("..")).GetDomAttribute("data-area")!;
            var text = area.GetDomProperty("textContent")!;
            Assert.StartsWith(byCode[code], text, StringComparison.Ordinal);
            Assert.EndsWith(code, text, StringComparison.Ordinal);
        }

        page.Screenshot("dashboard-areas-named");
        Assert.Empty(page.BrowserErrors());
    }

    [BrowserFact]
    public async Task Dashboard_TimeAxis_PlacesPeriodsByTime_AndShowsTheMissingOnesAsGapsTheLineDoesNotCross()
    {
        foreach (var quarter in new[] { "2020-Q3", "2024-Q3", "2025-Q1" })
        {
            await EnsureQuarterAsync(quarter);
        }

        var page = new BrowserPage(fixture.Driver, fixture.Hub.Logs, output);
        foreach (var (kind, period) in new[] { ("quarter", "2025-Q1"), ("year", "2024") })
        {
            var published = await PublishedPeriodsAsync(kind);
            Assert.True(published.Count >= 3, $"Three {kind}s at least should be published; the list has {string.Join(", ", published)}.");

            // The periods with no published data set between two that have one: a stretch up to 2024-Q2; 2021…2023.
            var expectedGaps = published.Zip(published.Skip(1))
                .Where(p => Ordinal(p.Second) - Ordinal(p.First) > 1)
                .Select(p => (From: PeriodAt(Ordinal(p.First) + 1, kind), To: PeriodAt(Ordinal(p.Second) - 1, kind)))
                .ToList();
            Assert.Contains(expectedGaps, g => kind == "quarter" ? g.To == "2024-Q2" : g == ("2021", "2023"));

            page.Open(new Uri(Api.Address, $"/api/dashboard?kind={kind}&period={period}&area=XJNA"));
            page.Until($"the charts of {period}", () => page.All("#charts figure.chart svg").Count == 9 && page.All("#charts circle.point").Count > 0);

            var checkedPositions = 0;
            foreach (var figure in page.All("#charts figure.chart"))
            {
                var indicator = figure.GetDomAttribute("data-indicator");
                var circles = figure.FindElements(By.CssSelector("circle.point"));
                if (circles.Count == 0)
                {
                    continue;
                }

                // Each gap is a shaded band named by its first and last missing period.
                var gaps = figure.FindElements(By.CssSelector("rect.gap"));
                Assert.Equal(
                    expectedGaps.Select(g => $"{g.From}..{g.To}"), gaps.Select(g => $"{g.GetDomAttribute("data-from")}..{g.GetDomAttribute("data-to")}"));

                // Points stand where their periods are in time: 2024 is four fifths of the way from 2020 to 2025.
                var points = circles.Select(c => (At: Ordinal(c.GetDomAttribute("data-period")!), X: Number(c.GetDomAttribute("cx")!)))
                    .OrderBy(p => p.At).ToList();
                if (points.Count >= 3)
                {
                    var (first, last) = (points[0], points[^1]);
                    foreach (var point in points)
                    {
                        var expected = (double)(point.At - first.At) / (last.At - first.At);
                        Assert.InRange((point.X - first.X) / (last.X - first.X), expected - 0.01, expected + 0.01);
                    }

                    checkedPositions++;
                }

                // No segment of the line crosses a gap.
                var series = figure.FindElements(By.CssSelector("path.series")).SingleOrDefault()?.GetDomAttribute("d") ?? "";
                var bands = gaps
                    .Select(g => (Left: Number(g.GetDomAttribute("x")!),
                        Right: Number(g.GetDomAttribute("x")!) + Number(g.GetDomAttribute("width")!)))
                    .ToList();
                foreach (var (from, to) in Segments(series))
                {
                    Assert.False(bands.Any(b => from < b.Right && to > b.Left), $"The line of {indicator} runs from x={from} to x={to} across a gap.");
                }
            }

            Assert.True(checkedPositions > 0, $"At least one chart of the {kind} view should have three points or more.");
            page.Screenshot($"dashboard-time-axis-{kind}");
        }

        Assert.Empty(page.BrowserErrors());
    }

    [BrowserFact]
    public async Task Dashboard_YearWarnings_AreGroupedByCode_WithCounts_AndEveryWarningBehindEachGroup()
    {
        // 2025 has only its first quarter here (no test pushes later 2025 months), so the year repeats its stock warnings
        // for every area and month after March, as the issue saw (466 of them).
        await EnsureQuarterAsync("2025-Q1");
        var year = (await Api.GetAsync("/api/datasets/2025")).Json;
        var expected = year.GetProperty("warnings").EnumerateArray()
            .GroupBy(w => w.GetProperty("code").GetString()!)
            .ToDictionary(g => g.Key, g => g.Select(w => w.GetProperty("message").GetString()!).ToList());
        var total = expected.Values.Sum(v => v.Count);
        Assert.True(
            total > expected.Count * 10,
            $"The 2025 data set should repeat its warnings (stock-from-earlier-month per area and month); it has {total} of {expected.Count} codes.");

        var page = new BrowserPage(fixture.Driver, fixture.Hub.Logs, output);
        page.Open(new Uri(Api.Address, "/api/dashboard?kind=year&period=2025&area=XJNA"));
        page.Until($"2025 v{year.GetProperty("version").GetInt32()}",
            () => page.Text("ds-version") == year.GetProperty("version").GetInt32().ToString(CultureInfo.InvariantCulture));

        // One closed group per code, its count in the summary; the heading counts warnings and kinds.
        var groups = page.Until("the warning groups", () => page.All("#warnings details.warning-group") is { Count: > 0 } found ? found : null);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), groups.Select(g => g.GetDomAttribute("data-code")!).Order(StringComparer.Ordinal));
        Assert.Contains(total.ToString(CultureInfo.InvariantCulture), page.Id("warnings-heading").Text, StringComparison.Ordinal);
        foreach (var group in groups)
        {
            var code = group.GetDomAttribute("data-code")!;
            var summary = group.FindElement(By.CssSelector("summary"));
            Assert.Contains(code, summary.Text, StringComparison.Ordinal);
            Assert.Contains($"× {expected[code].Count}", summary.Text, StringComparison.Ordinal);
            Assert.Null(group.GetDomAttribute("open"));
            Assert.False(group.FindElements(By.CssSelector("li")).First().Displayed, $"The {code} warnings should be behind their summary until it is opened.");

            // Opened: every warning of the code, each with its message.
            summary.Click();
            page.Until($"the {code} warnings shown", () => group.FindElements(By.CssSelector("li")).FirstOrDefault()?.Displayed == true);
            var items = group.FindElements(By.CssSelector("li"));
            Assert.Equal(expected[code].Count, items.Count);
            Assert.Equal(
                expected[code].Order(StringComparer.Ordinal),
                items.Select(li => li.GetDomProperty("textContent")!).Select(t => t[(t.IndexOf(": ", StringComparison.Ordinal) + 2)..])
                .Order(StringComparer.Ordinal));
        }

        page.Screenshot("dashboard-2025-warnings-grouped");
        Assert.Empty(page.BrowserErrors());
    }

    [BrowserFact]
    public async Task Dashboard_Language_ChineseFirstByDefault_SwitchesToEnglish_AndRemembersTheChoice()
    {
        await EnsureQuarterAsync("2024-Q3");
        var page = new BrowserPage(fixture.Driver, fixture.Hub.Logs, output);
        page.Open(new Uri(Api.Address, "/api/dashboard?kind=quarter&period=2024-Q3&area=XJNA"));
        page.Driver.ExecuteScript($"localStorage.removeItem('{LanguageKey}')");
        page.Open(new Uri(Api.Address, "/api/dashboard?kind=quarter&period=2024-Q3&area=XJNA"));
        page.Until("the data set", () => page.Text("ds-version").Length > 0);

        // Chinese first, the English beside it.
        Assert.Equal("zh-CN", Lang(page));
        Assert.StartsWith("规划目标", Heading(page, "targets-section"), StringComparison.Ordinal);
        Assert.Contains("Plan targets", Heading(page, "targets-section"), StringComparison.Ordinal);
        Assert.StartsWith("数据质量", Heading(page, "quality-section"), StringComparison.Ordinal);
        Assert.Equal("季度 Quarter", OptionText(page, "quarter", "kind"));
        Assert.Contains("双碳数据看板", page.Driver.Title, StringComparison.Ordinal);
        Assert.Equal("English", page.Id("lang").Text);

        // English: the page's words in English alone; the data (names, codes, statuses) as they were.
        page.Id("lang").Click();
        page.Until("the page in English", () => Lang(page) == "en" && Heading(page, "targets-section").StartsWith("Plan targets", StringComparison.Ordinal));
        Assert.DoesNotContain("规划目标", Heading(page, "targets-section"), StringComparison.Ordinal);
        Assert.Equal("Quarter", OptionText(page, "quarter", "kind"));
        Assert.Equal("中文", page.Id("lang").Text);
        Assert.Contains("Dual-carbon dashboard", page.Driver.Title, StringComparison.Ordinal);
        page.Screenshot("dashboard-english");

        // Remembered for the next visit, and switched back the same way.
        page.Open(new Uri(Api.Address, "/api/dashboard?kind=quarter&period=2024-Q3&area=XJNA"));
        page.Until("the page in English after a reload", () => Lang(page) == "en"
            && Heading(page, "targets-section").StartsWith("Plan targets", StringComparison.Ordinal));
        page.Id("lang").Click();
        page.Until("the page in Chinese again", () => Lang(page) == "zh-CN" && Heading(page, "targets-section").StartsWith("规划目标", StringComparison.Ordinal));
        Assert.Equal("zh", page.Driver.ExecuteScript($"return localStorage.getItem('{LanguageKey}')") as string);
        page.Screenshot("dashboard-chinese-first");
        Assert.Empty(page.BrowserErrors());
    }

    /// <summary>
    /// The quarter's statistics release and its nine monthly feeds, pushed unless pushed before in this run (a
    /// duplicate answer names the same feed), each consolidated, and nothing left running.
    /// </summary>
    private async Task EnsureQuarterAsync(string quarter)
    {
        var year = quarter[..4];
        var firstMonth = ((quarter[^1] - '1') * 3) + 1;
        var names = new List<string> { $"statistics-{quarter}-r0.json" };
        foreach (var month in Enumerable.Range(firstMonth, 3).Select(m => $"{year}-{m:00}"))
        {
            names.AddRange(new[] { "power-grid", "transport", "environment" }.Select(source => SampleFeed.Latest(source, month).Name));
        }

        var feedIds = new List<string>();
        foreach (var name in names)
        {
            var answer = await Api.PushSampleAsync(name);
            Assert.True(answer.Status is 202 or 200, $"Pushing {name} should answer 202 (or 200, pushed before); got {answer}");
            feedIds.Add(answer.Json.GetProperty("feedId").GetString()!);
        }

        foreach (var feedId in feedIds)
        {
            await Api.WaitForFeedConsolidatedAsync(feedId);
        }

        // A base-year feed consolidates other periods again: let that settle, so the versions read stay current.
        await Api.WaitUntilQuietAsync();
        output.WriteLine($"{quarter}: {feedIds.Count} feeds consolidated");
    }

    private async Task<string> EtagOfAreasAsync()
    {
        using var http = new HttpClient { BaseAddress = Api.Address };
        using var response = await http.GetAsync("/api/areas");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.ETag!.IsWeak);
        return response.Headers.ETag.Tag;
    }

    private async Task<IReadOnlyList<string>> PublishedPeriodsAsync(string kind) =>
        [.. (await Api.GetAsync("/api/datasets")).Json.EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == kind)
            .Select(e => e.GetProperty("period").GetString()!)
            .OrderBy(Ordinal)];

    private static string OptionText(BrowserPage page, string value, string select = "area") =>
        page.All($"#{select} option").FirstOrDefault(o => o.GetDomProperty("value") == value)?.GetDomProperty("textContent") ?? "";

    private static string Heading(BrowserPage page, string section) => page.All($"#{section} h2").First().GetDomProperty("textContent")!.Trim();

    private static string Lang(BrowserPage page) => page.Driver.ExecuteScript("return document.documentElement.lang") as string ?? "";

    /// <summary>A period's place in time: quarters counted from year 0 for <c>YYYY-Qn</c>, the year for <c>YYYY</c>.</summary>
    private static int Ordinal(string period) =>
        period.Length == 4
            ? int.Parse(period, CultureInfo.InvariantCulture)
            : (int.Parse(period[..4], CultureInfo.InvariantCulture) * 4) + (period[^1] - '1');

    private static string PeriodAt(int ordinal, string kind) =>
        kind == "year" ? ordinal.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{ordinal / 4}-Q{(ordinal % 4) + 1}");

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>The x-ranges of the straight segments of an SVG path of M and L commands.</summary>
    private static IEnumerable<(double From, double To)> Segments(string d)
    {
        double? previous = null;
        foreach (Match command in PathCommand().Matches(d))
        {
            var x = Number(command.Groups["x"].Value);
            if (command.Groups["op"].Value == "L" && previous is { } from)
            {
                yield return (Math.Min(from, x), Math.Max(from, x));
            }

            previous = x;
        }
    }

    [GeneratedRegex(@"(?<op>[ML])(?<x>-?[0-9.]+),(?<y>-?[0-9.]+)")]
    private static partial Regex PathCommand();
}
