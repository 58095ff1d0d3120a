using IntegrationHub.LocalHost.Tests.Support;
using OpenQA.Selenium;
using Xunit.Abstractions;
using HubKeys = IntegrationHub.LocalHost.Tests.Support.Keys;

namespace IntegrationHub.LocalHost.Tests.Browser;

/// <summary>
/// The ops console (<c>/api/console</c>) in headless Chromium against the local host: an operator enters the ops key,
/// finds a failed pull, reads why it failed and replays it once the department is back. Uses the power-grid
/// 2025-05 pull, which no other browser test touches.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OpsConsoleBrowserTests(BrowserHub fixture, ITestOutputHelper output)
{
    private const string Source = "power-grid";
    private const string Period = "2025-05";

    private HubApi Api => fixture.Api;

    [BrowserFact]
    public async Task Console_PullFailedOnEveryAttempt_ListedAsFailed_ReplayClickedAndConfirmed_InstanceCompletes()
    {
        // The department answers 500 to every request until it is reset: every retry of the pull fails.
        await fixture.Hub.Simulators.SetModeAsync(Source, "fail", times: null);
        var instanceId = await Api.StartPullAcceptedAsync(Source, Period);
        var failed = await Api.WaitForInstanceAsync(instanceId);
        Assert.True(failed.Status == "Failed", $"The pull should fail while the department fails; got {failed}");
        await fixture.Hub.Simulators.ResetAsync();

        var page = new BrowserPage(fixture.Driver, fixture.Hub.Logs, output);
        page.Open(new Uri(Api.Address, "/api/console"));
        page.Driver.ExecuteScript("sessionStorage.clear()");
        page.Driver.Navigate().Refresh();

        // No key yet: the console asks for one and shows nothing else.
        page.Until("the ops key form", () => page.Id("key-input").Displayed);
        Assert.False(page.Id("instances-view").Displayed);
        page.Id("key-input").SendKeys(HubKeys.Ops);
        page.Id("key-save").Click();

        // The list, filtered to failed instances, shows the pull in the Failed colour.
        page.Until("the instance list", () => page.Id("instances-view").Displayed);
        page.Choose("filter-status", "Failed");
        page.Id("apply-filters").Click();
        var row = page.Until($"{instanceId} in the list", () => page.All($"#instances tbody tr[data-instance-id='{instanceId}']").FirstOrDefault());
        var listBadge = row.FindElement(By.CssSelector(".badge"));
        Assert.Equal("Failed", listBadge.Text);
        Assert.Contains("Failed", listBadge.GetDomAttribute("class"), StringComparison.Ordinal);
        Assert.All(page.All("#instances tbody tr[data-instance-id]"), r => Assert.Equal("Failed", r.GetDomAttribute("data-status")));
        page.Screenshot("console-1-failed-instances");

        // Its detail: status, and the failure with the activity that failed and how often.
        row.Click();
        page.Until("the instance detail to show Failed", () => page.Text("detail-status") == "Failed");
        Assert.Equal(instanceId, page.Text("detail-title"));
        page.Until("the failure", () => page.Id("detail-failure-card").Displayed && page.Text("detail-failure").Length > 0);
        var failure = page.Text("detail-failure");
        output.WriteLine($"failure shown: {failure}");
        page.Screenshot("console-2-failed-detail");

        // Replay asks for confirmation first; cancelling does nothing.
        page.Id("action-replay").Click();
        page.Until("the confirmation dialog", () => page.Id("confirm").Displayed);
        Assert.Contains(instanceId, page.Text("confirm-title"), StringComparison.Ordinal);
        page.Id("confirm-cancel").Click();
        page.Until("the dialog to close", () => !page.Id("confirm").Displayed);
        Assert.Equal("Failed", page.Text("detail-status"));

        page.Id("action-replay").Click();
        page.Until("the confirmation dialog", () => page.Id("confirm").Displayed);
        // The dialog says what happens: the failed run is kept by the hub and shown under Earlier runs.
        Assert.Contains("Earlier runs", page.Text("confirm-text"), StringComparison.Ordinal);
        page.Screenshot("console-3-confirm-replay");
        page.Id("confirm-ok").Click();

        // The console follows the replayed instance (the answer names it) until it has finished.
        page.Until("the replayed instance to show Completed", () => page.Text("detail-status") == "Completed", TimeSpan.FromSeconds(120));
        var replayedId = page.Text("detail-title");

        // The failed run stays on the page: its status, the activity that failed, and its history with the four failed fetches.
        var earlier = page.Until("the earlier run", () => page.All("#detail-earlier-card article.earlier-run").FirstOrDefault(a => a.Displayed));
        Assert.Equal("Failed", earlier.GetDomAttribute("data-status"));
        Assert.Equal("Failed", earlier.FindElement(By.CssSelector(".badge")).Text);
        Assert.Contains("FetchFeed", earlier.Text, StringComparison.Ordinal);
        Assert.Contains("500", earlier.Text, StringComparison.Ordinal);
        earlier.FindElement(By.CssSelector("details:last-of-type summary")).Click();
        Assert.Equal(4, earlier.FindElements(By.CssSelector("table.history tbody tr[data-event-type='TaskFailed']")).Count);

        // Long history lines (the output's JSON in ExecutionCompleted) wrap inside the page: nothing scrolls sideways.
        var longest = Convert.ToInt32(page.Driver.ExecuteScript(
            "return Math.max(...[...document.querySelectorAll('#history td')].map(td => Math.max(...td.textContent.split(/\\s+/).map(w => w.length))))"),
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(longest >= 150, $"The history should hold a long unbroken line for this check; the longest word has {longest} characters.");
        AssertNoSidewaysScroll(page);
        page.Screenshot("console-4-replayed-completed");

        // The API agrees, and the pull fetched the department's feed this time.
        var replayed = await Api.InstanceAsync(replayedId);
        Assert.True(replayed is { Status: "Completed" }, $"GET /api/ops/instances/{replayedId} should say Completed; got {replayed}");
        Assert.StartsWith($"pull:{Source}:{Period}", replayedId, StringComparison.Ordinal);
        Assert.True((await fixture.Hub.Simulators.CountersAsync(Source)).WithStatus(200) >= 1, "The replayed pull should have fetched the feed.");
        Assert.Empty(page.BrowserErrors());
    }

    [BrowserFact]
    public async Task Console_QuarantineLongerThanAPage_MoreFollowsThePages_EveryFeedShownOnce()
    {
        // 55 unreadable transport bodies (no period: ids transport-unreadable-…, listed after every dated transport
        // feed), more than the hub's page of 50: the console shows a page and "More" brings the rest.
        var pushed = new List<string>();
        for (var i = 0; i < 55; i++)
        {
            var body = System.Text.Encoding.UTF8.GetBytes($$"""{"source":"transport","note":"console paging {{i}} {{Guid.NewGuid():N}}"}""");
            var answer = await Api.PushAsync("transport", body);
            Assert.True(answer.Status == 400, $"The probe should be quarantined; got {answer}");
            pushed.Add(answer.Json.GetProperty("feedId").GetString()!);
        }

        var page = new BrowserPage(fixture.Driver, fixture.Hub.Logs, output);
        page.Open(new Uri(Api.Address, "/api/console#/quarantine"));
        EnterOpsKeyIfAsked(page);
        page.Until("the first page of the quarantine", () => page.All("#quarantine-list article").Count > 0);
        Assert.True(page.All("#quarantine-list article").Count <= 50, "The first page should hold at most 50 feeds.");
        for (var clicks = 0; page.Id("quarantine-more").Displayed; clicks++)
        {
            Assert.True(clicks < 20, "More never stops.");
            var shown = page.All("#quarantine-list article").Count;
            page.Id("quarantine-more").Click();
            page.Until("the next page", () => page.All("#quarantine-list article").Count > shown || !page.Id("quarantine-more").Displayed);
        }

        var ids = page.All("#quarantine-list article").Select(a => a.GetAttribute("data-feed-id")).ToList();
        Assert.True(ids.Count == ids.Distinct().Count(),
            $"A feed was shown twice: {string.Join(", ", ids.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key))}");
        Assert.All(pushed, id => Assert.Contains(id, ids));
        Assert.Empty(page.BrowserErrors());

        // Left on #/quarantine, the next test opening that same address would get this list, not a fresh one.
        page.Driver.Navigate().GoToUrl("about:blank");
    }

    [BrowserFact]
    public async Task Console_QuarantinedFeed_ShownWithItsReport_ReprocessRefusedWithTheProblem_AndAudited()
    {
        // A transport feed with more NEVs than vehicles in one category: refused and quarantined at the push.
        var pushed = await Api.PushSampleAsync("invalid/nev-exceeds-total.json");
        Assert.True(pushed.Status == 400, $"The invalid feed should be refused with 400; got {pushed}");
        var feedId = pushed.Json.GetProperty("feedId").GetString()!;

        var page = new BrowserPage(fixture.Driver, fixture.Hub.Logs, output);
        page.Open(new Uri(Api.Address, "/api/console#/quarantine"));
        EnterOpsKeyIfAsked(page);
        var item = page.Until($"{feedId} in the quarantine", () => page.All($"#quarantine-list article[data-feed-id='{feedId}']").FirstOrDefault());
        var violation = item.FindElement(By.CssSelector("table.violations tbody tr"));
        Assert.Contains("/records/1/vehicles/2/nev", violation.Text, StringComparison.Ordinal);
        Assert.Contains("rule:nev-le-total", violation.Text, StringComparison.Ordinal);
        page.Screenshot("console-5-quarantine");

        // Reprocessing it unchanged cannot succeed: the console shows the hub's problem, and the audit log the attempt.
        item.FindElement(By.CssSelector("button.reprocess")).Click();
        page.Until("the confirmation dialog", () => page.Id("confirm").Displayed);
        page.Id("confirm-ok").Click();
        page.Until("the outcome of the reprocess", () => page.Text("message").Contains(feedId, StringComparison.Ordinal));
        output.WriteLine($"reprocess answer shown: {page.Text("message")}");

        page.Driver.Navigate().GoToUrl(new Uri(Api.Address, "/api/console#/audit"));
        var entry = page.Until($"the reprocess of {feedId} in the audit log",
            () => page.All("#audit tbody tr").FirstOrDefault(r => r.Text.Contains(feedId, StringComparison.Ordinal)
                && r.Text.Contains("reprocess", StringComparison.Ordinal)));
        Assert.Contains("ops", entry.Text, StringComparison.Ordinal);

        // Filtered by what and target, the log shows that one line; filtered to another outcome too, none.
        page.Choose("audit-action", "reprocess");
        page.Id("audit-target").SendKeys(feedId);
        page.Id("audit-apply").Click();
        // Two lines: the action as requested (written before it acts) and its outcome.
        page.Until("only the reprocess of the feed", () =>
            page.All("#audit tbody tr") is { Count: 2 } rows && rows.All(r => r.Text.Contains(feedId, StringComparison.Ordinal)
                && r.Text.Contains("reprocess", StringComparison.Ordinal)));
        Assert.Contains("2 entries shown", page.Text("audit-count"), StringComparison.Ordinal);
        page.Id("audit-outcome").SendKeys("accepted");
        page.Id("audit-apply").Click();
        page.Until("no entry for another outcome",
            () => page.All("#audit tbody tr").Count == 0
            && page.Text("audit-list").Contains("No audit entry matches", StringComparison.Ordinal));
        AssertNoSidewaysScroll(page);
        page.Screenshot("console-6-audit");
    }

    [BrowserFact]
    public async Task Console_PulledFeedQuarantined_ShownAsQuarantinedWithItsViolations_InListAndDetail()
    {
        // The department answers an invalid feed (no producer, an unknown area): the pull completes, the feed is
        // judged in the fetch as a push is, and quarantined (it gets no run of its own).
        await fixture.Hub.Simulators.SetModeAsync(Source, "invalid", times: 1);
        InstanceState processing;
        try
        {
            processing = await Api.WaitForInstanceAsync(await Api.StartPullAcceptedAsync(Source, "2025-07"));
        }
        finally
        {
            await fixture.Hub.Simulators.ResetAsync();
        }

        Assert.Equal(("Completed", "Quarantined"), (processing.Status, processing.OutputJson.Prop("outcome").GetString()));
        var feedId = processing.CustomStatusJson.Prop("feedId").GetString()!;
        var report = (await Api.FeedStatusAsync(feedId)).Json.GetProperty("report");
        var errors = report.GetProperty("errors").EnumerateArray()
            .Select(e => (Pointer: Shown(e.GetProperty("instanceLocation").GetString()!), Rule: e.GetProperty("keyword").GetString()!)).ToList();
        Assert.NotEmpty(errors);

        var page = new BrowserPage(fixture.Driver, fixture.Hub.Logs, output);
        page.Open(new Uri(Api.Address, "/api/console#/instances"));
        EnterOpsKeyIfAsked(page);
        page.Until("the instance list", () => page.Id("instances-view").Displayed);
        page.Id("filter-prefix").SendKeys(processing.InstanceId);
        page.Id("apply-filters").Click();
        var row = page.Until($"{processing.InstanceId} in the list",
            () => page.All($"#instances tbody tr[data-instance-id='{processing.InstanceId}']").FirstOrDefault());

        // Not a green Completed: a Quarantined badge of its own colour, and the first violation with its pointer and rule.
        var listBadge = row.FindElement(By.CssSelector(".badge"));
        Assert.Equal("Quarantined", listBadge.Text);
        Assert.DoesNotContain("Completed", listBadge.GetDomAttribute("class"), StringComparison.Ordinal);
        Assert.NotEqual(CompletedColour(page), listBadge.GetCssValue("color"));
        Assert.Contains($"{errors.Count} violation", row.Text, StringComparison.Ordinal);
        Assert.Contains($"{errors[0].Pointer} {errors[0].Rule}", row.Text, StringComparison.Ordinal);
        page.Screenshot("console-7-quarantined-in-list");

        // The detail: the run's status, the quarantine, and every violation of the report.
        row.Click();
        page.Until("the quarantine on the detail", () => page.Id("detail-quarantine-card").Displayed);
        Assert.Equal(("Completed", "Quarantined"), (page.Text("detail-status"), page.Text("detail-quarantined")));
        var shown = page.All("#detail-quarantine table.violations tbody tr").Select(r => r.Text).ToList();
        Assert.Equal(errors.Count, shown.Count);
        foreach (var (pointer, rule) in errors)
        {
            Assert.Contains(shown, r => r.StartsWith($"{pointer} {rule}", StringComparison.Ordinal));
        }

        Assert.Contains(feedId, page.Text("detail-quarantine"), StringComparison.Ordinal);
        Assert.DoesNotContain("null", page.Text("detail-quarantine-card"), StringComparison.Ordinal);
        AssertNoSidewaysScroll(page);
        page.Screenshot("console-8-quarantined-detail");
        Assert.Empty(page.BrowserErrors());
    }

    [BrowserFact]
    public void Console_WrongKey_IsRefusedWithTheProblemAndAskedForAgain()
    {
        var page = new BrowserPage(fixture.Driver, fixture.Hub.Logs, output);
        page.Open(new Uri(Api.Address, "/api/console"));
        page.Driver.ExecuteScript("sessionStorage.clear()");
        page.Driver.Navigate().Refresh();
        page.Until("the ops key form", () => page.Id("key-input").Displayed);
        page.Id("key-input").SendKeys(HubKeys.Transport);
        page.Id("key-save").Click();

        // A department's key is not an ops key: the problem's title is shown and the key is asked for again.
        page.Until("the refusal", () => page.Text("message").Contains("Ops only", StringComparison.Ordinal));
        Assert.Contains("403", page.Text("message"), StringComparison.Ordinal);
        page.Until("the key form again", () => page.Id("key-input").Displayed);
        Assert.Null(page.Driver.ExecuteScript("return sessionStorage.getItem('integrationhub.opsKey')"));
        page.BrowserErrors(); // the 403 itself is logged by the browser; nothing else to check there
    }

    // A JSON Pointer as the console shows it: the empty pointer (the whole feed) as (root).
    private static string Shown(string pointer) => pointer.Length == 0 ? "(root)" : pointer;

    // What a Completed badge looks like (its text colour), from a badge made for the comparison.
    private static string CompletedColour(BrowserPage page) =>
        (string)page.Driver.ExecuteScript(
            "const b = document.createElement('span'); b.className = 'badge Completed'; document.body.append(b); "
            + "const c = getComputedStyle(b).color; b.remove(); return c;")!;

    private static void AssertNoSidewaysScroll(BrowserPage page)
    {
        var widths = (IReadOnlyCollection<object>)page.Driver.ExecuteScript(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")!;
        var (scroll, client) =
            (Convert.ToInt64(widths.First(), System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToInt64(widths.Last(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(scroll <= client, $"The page should not scroll sideways: scrollWidth {scroll} > clientWidth {client}.");
    }

    // The tab keeps the key between pages; a fresh tab (or one whose key was refused) asks for it.
    private static void EnterOpsKeyIfAsked(BrowserPage page)
    {
        page.Until("the console to start", () => page.Id("key-panel").Displayed || page.Text("key-state") == "Ops key set for this tab");
        if (page.Id("key-panel").Displayed)
        {
            page.Id("key-input").SendKeys(HubKeys.Ops);
            page.Id("key-save").Click();
        }
    }
}
