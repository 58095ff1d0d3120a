using System.Net.Http.Headers;
using System.Text.Json;
using IntegrationHub.LocalHost.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Xunit.Abstractions;

namespace IntegrationHub.LocalHost.Tests.Browser;

/// <summary>
/// A hub whose ops sign in with Entra ID, pointed at a <see cref="LocalAuthority"/> (Access__Entra__MetadataAddress for
/// the hub's token checks, Access__Entra__Instance for the console's MSAL.js), and a Chromium of its own that accepts the
/// authority's self-signed certificate (only this fixture's browser does).
/// </summary>
public sealed class ConsoleSignInHub : EndToEndHub
{
    public static readonly AuthorityPerson NoRole = new("nobody", "c0ffee00-0000-4000-8000-00000000000a", "Chen Jie (no role)", []);
    public static readonly AuthorityPerson Reader = new("reader", "b7c2d9e4-1f3a-4c6b-9e8d-2a5f7c1b3d0b", "Zhang Min (reader)", ["Ops.Reader"]);
    public static readonly AuthorityPerson Operator = new("operator", "3a1f6f0e-0d7e-4a3b-8c51-6b2b3e0f9a0c", "Li Wei (operator)", ["Ops.Operator"]);

    private ChromeDriver? driver;

    public LocalAuthority Authority { get; private set; } = null!;

    public ChromeDriver Driver => driver ??= Chromium.Start("--ignore-certificate-errors");

    public override async Task InitializeAsync()
    {
        Authority = await LocalAuthority.StartAsync(NoRole, Reader, Operator);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        try
        {
            driver?.Dispose();
            await base.DisposeAsync();
        }
        finally
        {
            await Authority.DisposeAsync();
        }
    }

    protected override void AddSettings(IDictionary<string, string?> values)
    {
        values["Access:Entra:TenantId"] = LocalAuthority.TenantId;
        values["Access:Entra:Audience"] = LocalAuthority.Audience;
        values["Access:Entra:Instance"] = $"https://127.0.0.1:{Authority.HttpsPort}/";
        values["Access:Entra:MetadataAddress"] = Authority.HubMetadataAddress;
        values["Access:Entra:ConsoleClientId"] = LocalAuthority.ConsoleClientId;
    }
}

/// <summary>
/// The ops console in Azure: no ops key, people sign in with Entra ID through the vendored MSAL.js (authorization code
/// flow with PKCE, by redirect) against a real authority on this machine, and the hub checks their tokens. A person
/// without a role is told which role they lack, a reader lists instances but is refused an action naming the operator
/// role, an operator replays and the audit log names them; access tokens are renewed with the refresh token, and once
/// that is refused the person signs in again by redirect and lands on the view they were going to.
/// </summary>
public sealed class OpsConsoleSignInBrowserTests(ConsoleSignInHub hub, ITestOutputHelper output) : IClassFixture<ConsoleSignInHub>
{
    private const string Source = "environment";
    private const string Period = "2025-04";

    [BrowserFact]
    public async Task InAzure_PeopleSignInWithEntraId_RolesDecide_AndTheAuditNamesTheOperator()
    {
        // A failed pull to look at and replay, made while the ops key still works (local development).
        await hub.Simulators.SetModeAsync(Source, "fail", times: null);
        var instanceId = await hub.Api.StartPullAcceptedAsync(Source, Period);
        Assert.Equal("Failed", (await hub.Api.WaitForInstanceAsync(instanceId)).Status);
        await hub.Simulators.ResetAsync();

        // App Service sets this on every instance: from here on the hub runs "in Azure" and refuses the ops key.
        hub.Reconfigure(("WEBSITE_INSTANCE_ID", "7c1e5a9b3d2f4e6a"));
        try
        {
            await SignInSettingsAndCspAsync();
            await ConsoleAsync(instanceId);
        }
        finally
        {
            hub.Reconfigure(("WEBSITE_INSTANCE_ID", null));
        }
    }

    /// <summary>What the console reads first, and the console page's CSP: the authority's origin, nothing wider.</summary>
    private async Task SignInSettingsAndCspAsync()
    {
        using var http = new HttpClient { BaseAddress = hub.Api.Address };
        using var settings = await http.GetAsync("/api/console/sign-in");
        Assert.Equal(200, (int)settings.StatusCode);
        Assert.True(settings.Headers.CacheControl?.NoStore, "The sign-in settings must not be cached.");
        var body = JsonDocument.Parse(await settings.Content.ReadAsStringAsync()).RootElement;
        Assert.False(body.GetProperty("opsKey").GetBoolean());
        var entra = body.GetProperty("entra");
        Assert.Equal(LocalAuthority.ConsoleClientId, entra.GetProperty("clientId").GetString());
        Assert.Equal($"https://127.0.0.1:{hub.Authority.HttpsPort}/{LocalAuthority.TenantId}", entra.GetProperty("authority").GetString());
        Assert.Equal($"api://{LocalAuthority.Audience}/Ops.Use", entra.GetProperty("scope").GetString());

        using var page = await http.GetAsync("/api/console");
        var csp = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains($"connect-src 'self' https://127.0.0.1:{hub.Authority.HttpsPort};", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("*", csp, StringComparison.Ordinal);

        // The dashboard signs nobody in: its policy connects to the hub alone.
        using var dashboard = await http.GetAsync("/api/dashboard");
        Assert.Contains("connect-src 'self';", Assert.Single(dashboard.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    private async Task ConsoleAsync(string instanceId)
    {
        var page = new BrowserPage(hub.Driver, hub.Logs, output);

        // In Azure without a console registration there is no way in, and the console says so instead of a key form.
        hub.Reconfigure(("Access:Entra:ConsoleClientId", null));
        try
        {
            page.Open(new Uri(hub.Api.Address, "/api/console"));
            page.Until("the note that sign-in is not set up", () => page.Id("no-sign-in").Displayed);
            Assert.False(page.Id("key-panel").Displayed || page.Id("sign-in-panel").Displayed);
        }
        finally
        {
            hub.Reconfigure(("Access:Entra:ConsoleClientId", LocalAuthority.ConsoleClientId));
        }

        page.Open(new Uri(hub.Api.Address, "/api/console"));

        // In Azure the key form is not offered: only the sign-in.
        page.Until("the sign-in button", () => page.Id("sign-in").Displayed);
        Assert.False(page.Id("key-panel").Displayed, "The ops key form must be hidden where the hub refuses the key.");
        Assert.False(page.Id("instances-view").Displayed);
        page.Screenshot("console-sign-in-1-signed-out");

        // Signed in without a role of the hub: told which role the account lacks.
        SignIn(page, ConsoleSignInHub.NoRole);
        page.Until("the missing reader role", () => page.Text("message").Contains("lacks the Ops.Reader role", StringComparison.Ordinal));
        Assert.Contains("(403)", page.Text("message"), StringComparison.Ordinal);
        page.Screenshot("console-sign-in-2-no-role");
        SignOut(page);

        // A reader lists the instances (the failed pull among them) but may not replay it.
        SignIn(page, ConsoleSignInHub.Reader);
        page.Until("the instance list", () => page.Id("instances-view").Displayed);
        var row = page.Until($"{instanceId} in the list", () => page.All($"#instances tbody tr[data-instance-id='{instanceId}']").FirstOrDefault());
        Assert.Equal("Failed", row.FindElement(By.CssSelector(".badge")).Text);
        row.Click();
        page.Until("the instance detail", () => page.Text("detail-status") == "Failed");
        Confirm(page, "action-replay");
        page.Until("the missing operator role", () => page.Text("message").Contains("lacks the Ops.Operator role", StringComparison.Ordinal));
        Assert.Contains("(403)", page.Text("message"), StringComparison.Ordinal);
        Assert.Equal("Failed", page.Text("detail-status"));
        page.Screenshot("console-sign-in-3-reader-refused");
        SignOut(page);

        // An operator replays it, and the audit log names the person: object id and name.
        SignIn(page, ConsoleSignInHub.Operator);
        page.Open(new Uri(hub.Api.Address, $"/api/console#/instances/{Uri.EscapeDataString(instanceId)}"));
        page.Until("the instance detail", () => page.Text("detail-status") == "Failed");
        Confirm(page, "action-replay");
        page.Until("the replayed instance to complete", () => page.Text("detail-status") == "Completed", TimeSpan.FromSeconds(120));

        // The session runs out (its refresh token refused): the next call signs the person in again by redirect, and the
        // console comes back to the view they were going to.
        hub.Authority.RevokeRefreshTokens();
        page.Id("nav-quarantine").Click();
        page.Until("the authority's page", () => page.Driver.FindElements(By.Id($"person-{ConsoleSignInHub.Operator.Key}")).FirstOrDefault()).Click();
        page.Until("the quarantine view after signing in again", () => page.Driver.Url.EndsWith("#/quarantine", StringComparison.Ordinal)
            && page.Id("quarantine-view").Displayed && page.Text("key-state") == $"Signed in as {ConsoleSignInHub.Operator.Name}");

        page.Id("nav-audit").Click();
        page.Until("the audit log", () => page.Id("audit-view").Displayed);
        page.Id("audit-actor").SendKeys(ConsoleSignInHub.Operator.ObjectId);
        page.Choose("audit-action", "replay");
        page.Id("audit-apply").Click();
        var line = page.Until("the operator's replay in the audit log", () => page.All("#audit tbody tr").FirstOrDefault(r =>
            r.Text.Contains(ConsoleSignInHub.Operator.ObjectId, StringComparison.Ordinal) && r.Text.Contains("Li Wei (operator)", StringComparison.Ordinal)));
        Assert.Contains("entra-id", line.Text, StringComparison.Ordinal);
        Assert.Contains(instanceId, line.Text, StringComparison.Ordinal);
        page.Screenshot("console-sign-in-4-operator-audited");

        // Access tokens last 4 minutes, inside MSAL's renewal margin: the console renewed them with the refresh token
        // instead of sending the person through the sign-in again.
        Assert.True(hub.Authority.Refreshes > 0, "acquireTokenSilent should have renewed the access token with the refresh token.");
        Assert.Equal(4, hub.Authority.CodeExchanges);
        Assert.Equal(["token: unknown refresh token"], hub.Authority.Refused);
        Assert.DoesNotContain(page.BrowserErrors(), e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));

        // The hub took the same token from no one but the person: the audit of the operator's reads is theirs too.
        using var http = new HttpClient { BaseAddress = hub.Api.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/ops/audit?actor={ConsoleSignInHub.Operator.ObjectId}&action=replay");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", hub.Authority.AccessToken(ConsoleSignInHub.Reader));
        using var audit = await http.SendAsync(request);
        var entries = JsonDocument.Parse(await audit.Content.ReadAsStringAsync()).RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Contains(entries, e => e.GetProperty("name").GetString() == "Li Wei (operator)" && e.GetProperty("keySlot").GetString() == "entra-id"
            && e.GetProperty("outcome").GetString() != "requested");
    }

    private static void SignIn(BrowserPage page, AuthorityPerson person)
    {
        page.Until("the sign-in button", () => page.Id("sign-in").Displayed);
        page.Id("sign-in").Click();
        var pick = page.Until($"the authority's page to offer {person.Name}", () => page.Driver.FindElements(By.Id($"person-{person.Key}")).FirstOrDefault());
        pick.Click();
        page.Until($"the console to say {person.Name} is signed in", () => page.Text("key-state") == $"Signed in as {person.Name}");
    }

    private static void SignOut(BrowserPage page)
    {
        page.Id("sign-out").Click();
        page.Until("the console to be signed out", () => page.Driver.Url.Contains("/api/console", StringComparison.Ordinal)
            && page.Id("sign-in").Displayed && page.Text("key-state") == "Not signed in");
    }

    private static void Confirm(BrowserPage page, string action)
    {
        page.Id(action).Click();
        page.Until("the confirmation dialog", () => page.Id("confirm").Displayed);
        page.Id("confirm-ok").Click();
    }
}
