using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace IntegrationHub.LocalHost.Tests.Browser;

/// <summary>
/// The system Chromium (the Debian packages <c>chromium</c> and <c>chromium-driver</c>, which tests/run.sh installs), driven
/// headless through its own chromedriver: no browser or driver is downloaded, so the versions always match.
/// </summary>
public static class Chromium
{
    public const string BrowserPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    /// <summary>
    /// Why the browser tests cannot run on this machine, or null. Only a machine with neither is skipped: half an
    /// installation fails the tests with a message instead, so a broken CI image cannot pass silently.
    /// </summary>
    public static string? SkipReason => !File.Exists(BrowserPath) && !File.Exists(DriverPath)
        ? $"No Chromium on this machine (neither {BrowserPath} nor {DriverPath}): install the Debian packages chromium and chromium-driver " +
            $"(tests/run.sh does, as root)."
        : null;

    /// <param name="extraArguments">More command-line switches, for the one test that needs them.</param>
    public static ChromeDriver Start(params string[] extraArguments)
    {
        foreach (var path in new[] { BrowserPath, DriverPath })
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{path} is missing: install the Debian packages chromium and chromium-driver.");
            }
        }

        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        // --no-sandbox: CI runs as root, where Chromium refuses its sandbox; /dev/shm is small in containers.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
            "--disable-extensions", "--window-size=1366,900", "--lang=en-US", "--force-device-scale-factor=1");
        options.AddArguments(extraArguments);
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        try
        {
            return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        }
        catch
        {
            service.Dispose();
            throw;
        }
    }
}

/// <summary>A test that needs the browser: skipped, with the reason, on a machine without Chromium.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
