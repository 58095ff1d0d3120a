using System.Drawing;
using System.Globalization;
using System.Text.RegularExpressions;
using IntegrationHub.LocalHost.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Xunit.Abstractions;

namespace IntegrationHub.LocalHost.Tests.Browser;

/// <summary>
/// What a browser test does with the page: find, wait, screenshot. A wait that times out fails with what the page
/// showed (its URL, the console's or dashboard's message, the browser's console errors), a screenshot and the hub's
/// last log lines. Screenshots go next to the test assembly, under <c>screenshots/</c>; their paths are printed.
/// </summary>
public sealed partial class BrowserPage
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly ChromeDriver driver;
    private readonly RecentLogs hubLogs;
    private readonly ITestOutputHelper output;

    /// <summary>A page for one test: what the browser logged before (for another test) is dropped.</summary>
    public BrowserPage(ChromeDriver driver, RecentLogs hubLogs, ITestOutputHelper output)
    {
        this.driver = driver;
        this.hubLogs = hubLogs;
        this.output = output;
        _ = BrowserErrors();
    }

    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public ChromeDriver Driver => driver;

    public void Open(Uri url)
    {
        driver.Navigate().GoToUrl(url);
        Until($"{url} to load", () => string.Equals(driver.ExecuteScript("return document.readyState") as string, "complete", StringComparison.Ordinal));
    }

    public IWebElement Id(string id) => driver.FindElement(By.Id(id));

    public IReadOnlyList<IWebElement> All(string css) => driver.FindElements(By.CssSelector(css));

    /// <summary>The visible text of the element with this id, or empty when there is none.</summary>
    public string Text(string id) => driver.FindElements(By.Id(id)).FirstOrDefault()?.Text ?? "";

    /// <summary>Waits for a value (an element, a list) that is not null; page changes under the probe are retried.</summary>
    public T Until<T>(string what, Func<T?> probe, TimeSpan? timeout = null)
        where T : class =>
        Wait(what, timeout, () => probe());

    public void Until(string what, Func<bool> condition, TimeSpan? timeout = null) =>
        Wait(what, timeout, () => condition() ? (object)true : null);

    /// <summary>Clicks an option of a select by its value (the change event fires as for a person).</summary>
    public void Choose(string selectId, string value)
    {
        var option = Until($"option '{value}' in #{selectId}", () => All($"#{selectId} option").FirstOrDefault(o => o.GetDomProperty("value") == value));
        option.Click();
    }

    /// <summary>A PNG of the whole page (the window grows to the document's height for the shot).</summary>
    public string Screenshot(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        var window = driver.Manage().Window;
        var size = window.Size;
        try
        {
            var height = Convert.ToInt32(driver.ExecuteScript("return Math.ceil(document.documentElement.scrollHeight)"), CultureInfo.InvariantCulture);
            window.Size = new Size(size.Width, Math.Clamp(height, 600, 6000));
            driver.GetScreenshot().SaveAsFile(path);
        }
        finally
        {
            window.Size = size;
        }

        output.WriteLine($"screenshot: {path}");
        Console.WriteLine($"screenshot: {path}");
        return path;
    }

    /// <summary>Errors the page logged since the last call (failed loads, script errors, CSP violations).</summary>
    public IReadOnlyList<string> BrowserErrors() =>
        [.. driver.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level == LogLevel.Severe).Select(e => e.Message)];

    private T Wait<T>(string what, TimeSpan? timeout, Func<T?> probe)
        where T : class
    {
        var limit = timeout ?? DefaultTimeout;
        var wait = new WebDriverWait(driver, limit) { PollingInterval = TimeSpan.FromMilliseconds(250) };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            return wait.Until(_ => probe())!;
        }
        catch (WebDriverTimeoutException)
        {
            var slug = Slug().Replace(what, "-").Trim('-').ToLowerInvariant();
            var shot = Screenshot("timeout-" + slug[..Math.Min(60, slug.Length)]);
            Assert.Fail($"Waited {limit.TotalSeconds:0} s for {what}.{Environment.NewLine}"
                + $"Page: {driver.Url}{Environment.NewLine}Message shown: '{Text("message")}'{Environment.NewLine}Screenshot: {shot}{Environment.NewLine}"
                + $"Browser errors: {string.Join(" | ", BrowserErrors())}{Environment.NewLine}Hub log (last lines):{Environment.NewLine}{hubLogs.Last(30)}");
            throw;
        }
    }

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex Slug();
}
