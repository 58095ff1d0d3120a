using IntegrationHub.LocalHost.Tests.Support;
using OpenQA.Selenium.Chrome;

namespace IntegrationHub.LocalHost.Tests.Browser;

/// <summary>
/// One hub (Azurite, the department simulators and the local host, as <see cref="EndToEndHub"/> starts them) and one
/// headless Chromium, shared by the browser test classes. The browser starts on first use, so the tests that only
/// speak HTTP run on a machine without it.
/// </summary>
public sealed class BrowserHub : IAsyncLifetime
{
    private ChromeDriver? driver;

    public EndToEndHub Hub { get; } = new();

    public HubApi Api => Hub.Api;

    public ChromeDriver Driver => driver ??= Chromium.Start();

    public Task InitializeAsync() => Hub.InitializeAsync();

    public async Task DisposeAsync()
    {
        try
        {
            driver?.Dispose();
        }
        finally
        {
            await Hub.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserHub>
{
    public const string Name = "browser";
}
