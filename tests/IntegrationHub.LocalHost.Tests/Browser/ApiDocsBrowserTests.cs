using System.Text.Json;
using IntegrationHub.LocalHost.Tests.Support;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace IntegrationHub.LocalHost.Tests.Browser;

/// <summary>
/// The API reference (<c>/api/docs</c>) in headless Chromium: the vendored Swagger UI renders every operation of the
/// served document under the pages' CSP, which the browser would report (and this test fail on) if the viewer
/// needed an inline script or style, or anything from another origin.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ApiDocsBrowserTests(BrowserHub fixture, ITestOutputHelper output)
{
    private HubApi Api => fixture.Api;

    [BrowserFact]
    public async Task ApiDocs_Opened_ShowsEveryOperationOfTheServedDocument_WithoutCspViolations()
    {
        var served = await Api.GetAsync("/api/openapi.json");
        Assert.Equal(200, served.Status);
        var expected = OperationIds(served.Json);
        Assert.Contains("GetDataset", expected);

        var page = new BrowserPage(fixture.Driver, fixture.Hub.Logs, output);
        page.Open(new Uri(Api.Address, "/api/docs"));

        // One block per operation, each showing its operation id (as the page asks the viewer to).
        page.Until("every operation rendered", () => page.All(".opblock .opblock-summary-operation-id").Count == expected.Count);
        var shown = page.All(".opblock .opblock-summary-operation-id").Select(e => e.Text.Trim()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, shown);
        Assert.Contains("Xiangjiang dual-carbon integration hub", page.All(".info .title").Single().Text, StringComparison.Ordinal);

        // Expanding an operation shows its documented answers, the schemas included.
        var block =
            page.Until("the GetDataset block",
            () => page.All(".opblock")
            .FirstOrDefault(b => b.FindElements(By.CssSelector(".opblock-summary-operation-id")).Any(e => e.Text.Trim() == "GetDataset")));
        block.FindElement(By.CssSelector(".opblock-summary-control")).Click();
        page.Until("the answers of GetDataset", () => block.FindElements(By.CssSelector(".responses-table .response")).Count >= 3);
        Assert.Contains(block.FindElements(By.CssSelector(".responses-table .response")), r => r.GetDomAttribute("data-code") == "404");
        page.Screenshot("api-docs");

        var errors = page.BrowserErrors();
        Assert.True(errors.Count == 0, "The page logged errors (CSP violations, failed loads): " + string.Join(" | ", errors));
    }

    private static List<string> OperationIds(JsonElement document) =>
    [
        .. document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject())
            .Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("operationId", out _))
            .Select(o => o.Value.GetProperty("operationId").GetString()!)
            .Order(StringComparer.Ordinal),
    ];
}
