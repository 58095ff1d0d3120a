using IntegrationHub.Functions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using IntegrationHub.Functions.Access;

namespace IntegrationHub.Integration.Tests;

/// <summary>
/// The intake limits and the pull settings as the hub registers them (AddHubServices): a value that could not work
/// stops the start with the setting's name, instead of surfacing later as refused feeds or pulls that never finish.
/// </summary>
public sealed class HubServiceCollectionExtensionsTests
{
    /// <summary>The hub's services over these settings (names as the configuration sees <c>Section__Key</c> app settings).</summary>
    private static ServiceProvider Hub(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(
                [new("HubStorage", "UseDevelopmentStorage=true"), .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))])
            .Build();
        return new ServiceCollection().AddLogging().AddHubServices(configuration, requireRegexTimeout: false).BuildServiceProvider();
    }

    /// <summary>What the host does at start-up with options registered ValidateOnStart.</summary>
    private static void Start(ServiceProvider provider) => provider.GetRequiredService<IStartupValidator>().Validate();

    [Fact]
    public void Start_NoIntakeOrPullSettings_StartsWithTheDocumentedDefaults()
    {
        using var provider = Hub();

        Start(provider);
    }

    [Theory]
    [InlineData("Intake:MaxFeedBytes", "0", "MaxFeedBytes")]
    [InlineData("Intake:MaxFeedBytes", "-1", "MaxFeedBytes")]
    [InlineData("Intake:MaxFeedBytes", "1023", "MaxFeedBytes")]
    [InlineData("Intake:MaxFeedBytes", "268435457", "MaxFeedBytes")]
    [InlineData("Intake:MaxDepth", "0", "MaxDepth")]
    [InlineData("Intake:MaxDepth", "7", "MaxDepth")]
    [InlineData("Intake:MaxDepth", "257", "MaxDepth")]
    [InlineData("Pull:RetryMaxAttempts", "0", "RetryMaxAttempts")]
    [InlineData("Pull:RetryMaxAttempts", "-3", "RetryMaxAttempts")]
    [InlineData("Pull:RetryMaxAttempts", "21", "RetryMaxAttempts")]
    [InlineData("Pull:RetryFirstIntervalSeconds", "0", "RetryFirstIntervalSeconds")]
    [InlineData("Pull:RetryFirstIntervalSeconds", "3601", "RetryFirstIntervalSeconds")]
    public void Start_IntakeLimitOrPullRetryOutOfRange_FailsNamingTheSetting(string key, string value, string named)
    {
        using var provider = Hub((key, value));

        var refused = Assert.Throws<OptionsValidationException>(() => Start(provider));
        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://kv-hub.vault.azure.net/keys/receipt-signing")]
    [InlineData("https://kv-hub.vault.azure.net/secrets/receipt-signing")]
    [InlineData("receipt-signing")]
    public void Start_ReceiptKeyIdNotAKeyVaultKeyUrl_FailsNamingTheSetting(string keyId)
    {
        using var provider = Hub(("Receipts:KeyId", keyId));

        var refused = Assert.Throws<OptionsValidationException>(() => Start(provider));
        Assert.Contains("Receipts__KeyId", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReceiptSettings_InAzureWithoutAVaultKey_AreRefused_ElsewhereTheLocalKeyFileSigns()
    {
        var none = new IntegrationHub.Functions.Receipts.ReceiptOptions();
        var vaultKey = new IntegrationHub.Functions.Receipts.ReceiptOptions { KeyId = "https://kv-hub.vault.azure.net/keys/receipt-signing" };
        var vaultKeyVersion = new IntegrationHub.Functions.Receipts.ReceiptOptions { KeyId = "https://kv-hub.vault.azure.net/keys/receipt-signing/0123abcd" };

        var inAzure = new IntegrationHub.Functions.Receipts.ReceiptOptionsValidation(inAzure: true);
        var locally = new IntegrationHub.Functions.Receipts.ReceiptOptionsValidation(inAzure: false);

        Assert.Contains("Receipts__KeyId is not set", inAzure.Validate(null, none).FailureMessage, StringComparison.Ordinal);
        Assert.True(inAzure.Validate(null, vaultKey).Succeeded);
        Assert.True(inAzure.Validate(null, vaultKeyVersion).Succeeded);
        Assert.True(locally.Validate(null, none).Succeeded);
    }

    [Fact]
    public void Start_WebsiteInstanceIdInTheConfiguration_RunsAsInAzure_ShortKeyAndNoVaultKeyRefused()
    {
        // The setting as App Service gives it, read from the configuration like every other (not the process only).
        using var inAzure = Hub(("WEBSITE_INSTANCE_ID", "5f2a9c0d1e3b4a6f"), ("Access:Transport:Primary", "short-key"));
        using var local = Hub(("Access:Transport:Primary", "short-key"));

        var refused = Assert.ThrowsAny<Exception>(() => Start(inAzure));
        Assert.Contains("shorter than 32 bytes", refused.ToString(), StringComparison.Ordinal);
        Assert.Contains("Receipts__KeyId is not set", refused.ToString(), StringComparison.Ordinal);
        Start(local);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1023")]
    [InlineData("1099511627777")]
    [InlineData("a lot")]
    public void Start_DailyPushQuotaOutOfRange_FailsNamingTheSetting(string value)
    {
        using var provider = Hub(("Access:Quota:DailyPushBytes", value));

        var refused = Assert.ThrowsAny<Exception>(() => Start(provider));
        Assert.Contains("DailyPushBytes", refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Start_NoQuotaSetting_EachDepartmentMayStore256MiBADay()
    {
        using var provider = Hub(("Access:Quota:DailyPushBytes", "1024"));
        Start(provider);
        Assert.Equal(1024, provider.GetRequiredService<IOptions<IntegrationHub.Functions.Access.AccessOptions>>().Value.Quota.DailyPushBytes);

        using var defaults = Hub();
        Assert.Equal(256L * 1024 * 1024, defaults.GetRequiredService<IOptions<IntegrationHub.Functions.Access.AccessOptions>>().Value.Quota.DailyPushBytes);
    }

    [Theory]
    [InlineData("Statistics", "0")]
    [InlineData("PowerGrid", "-1")]
    [InlineData("Transport", "601")]
    [InlineData("Environment", "0")]
    public void Start_DepartmentPullTimeoutOutOfRange_FailsNamingTheDepartmentsSetting(string department, string value)
    {
        using var provider = Hub(($"Pull:{department}:TimeoutSeconds", value));

        var refused = Assert.Throws<OptionsValidationException>(() => Start(provider));
        // Four departments share the setting's last name: the message must say whose it is.
        Assert.Contains(department, refused.Message, StringComparison.Ordinal);
        Assert.Contains("TimeoutSeconds", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_OneDepartmentsTimeoutOutOfRange_NamesOnlyThatDepartment()
    {
        using var provider = Hub(("Pull:Transport:TimeoutSeconds", "0"), ("Pull:Statistics:TimeoutSeconds", "45"));

        var refused = Assert.Throws<OptionsValidationException>(() => Start(provider));
        Assert.Contains("Transport", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Statistics", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PowerGrid", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Environment", refused.Message, StringComparison.Ordinal);
    }
    private const string Tenant = "8f0e2c1a-5b7d-4e3f-9a61-0c2d4b6e8f10";
    private const string HubClientId = "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    [Theory]
    [InlineData("Instance", "http://login.microsoftonline.com/", "Access__Entra__Instance")]
    [InlineData("Instance", "login.microsoftonline.com", "Access__Entra__Instance")]
    [InlineData("TenantId", "8f0e2c1a/../common", "Access__Entra__TenantId")]
    [InlineData("ConsoleClientId", "hub-console", "Access__Entra__ConsoleClientId")]
    [InlineData("Scope", "api://x/Ops.Use openid", "Access__Entra__Scope")]
    public void Start_EntraSettingTheConsoleCannotSignInWith_FailsNamingTheSetting(string setting, string value, string named)
    {
        var settings = new Dictionary<string, string>
        {
            ["Access:Entra:TenantId"] = Tenant,
            ["Access:Entra:Audience"] = HubClientId,
            ["Access:Entra:ConsoleClientId"] = HubClientId,
            [$"Access:Entra:{setting}"] = value,
        };
        using var provider = Hub([.. settings.Select(s => (s.Key, s.Value))]);

        var refused = Assert.Throws<OptionsValidationException>(() => Start(provider));
        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_ConsoleClientIdWithoutATenantToCheckItsTokens_FailsNamingTheMissingSettings()
    {
        using var provider = Hub(("Access:Entra:ConsoleClientId", HubClientId));

        var refused = Assert.Throws<OptionsValidationException>(() => Start(provider));
        Assert.Contains("Access__Entra__TenantId", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Access__Entra__Audience", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConsoleSignIn_FromTheSettings_TenantAuthorityAndTheRegistrationsOpsUseScope()
    {
        using var provider = Hub(("Access:Entra:TenantId", Tenant), ("Access:Entra:Audience", HubClientId), ("Access:Entra:ConsoleClientId", HubClientId));
        Start(provider);

        var console = provider.GetRequiredService<OpsSignIn>().Console;

        // The registration steps of infra/README.md: identifier URI api://{client id}, delegated scope Ops.Use.
        Assert.Equal(new ConsoleSignIn(HubClientId, $"https://login.microsoftonline.com/{Tenant}", $"api://{HubClientId}/Ops.Use"), console);
        Assert.Equal("https://login.microsoftonline.com", console!.AuthorityOrigin);
    }

    [Fact]
    public void ConsoleSignIn_WithoutAConsoleClientId_IsOff_AndTheConsolesCspConnectsToItsOwnOriginOnly()
    {
        using var provider = Hub(("Access:Entra:TenantId", Tenant), ("Access:Entra:Audience", HubClientId));
        Start(provider);

        Assert.Null(provider.GetRequiredService<OpsSignIn>().Console);
        Assert.Contains("connect-src 'self';", SecurityHeaders.ConsolePolicy(null), StringComparison.Ordinal);
        Assert.Contains(
            "connect-src 'self' https://login.microsoftonline.com;", SecurityHeaders.ConsolePolicy("https://login.microsoftonline.com"),
            StringComparison.Ordinal);
    }
}
