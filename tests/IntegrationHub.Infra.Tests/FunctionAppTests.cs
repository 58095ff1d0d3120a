using IntegrationHub.Functions.Access;
namespace IntegrationHub.Infra.Tests;

public class FunctionAppTests
{
    /// <summary>
    /// Interim copy of the planned app settings (the lead's conventions). Replace it with the names read from the
    /// Functions app's options classes once the app exists, and pass those to
    /// <see cref="InfrastructureChecks.MissingAppSettings"/> (issue 5, point 3).
    /// </summary>
    public static readonly string[] PlannedSettingNames =
    [
        "AzureWebJobsStorage__accountName",
        "DurableTaskHubName",
        "HubStorage__serviceUri",
        "HubStorage__queueServiceUri",
        "Publishing__Mode",
        "Publishing__TopicName",
        "ServiceBus__fullyQualifiedNamespace",
        .. new[] { "Statistics", "PowerGrid", "Transport", "Environment", "Ops" }
            .SelectMany(c => new[] { $"Access__{c}__Primary", $"Access__{c}__Secondary" }),
        "Access__RateLimit__PushPermitsPerMinute",
        "Access__RateLimit__OpsPermitsPerMinute",
        "Intake__MaxFeedBytes",
        "Intake__MaxDepth",
        .. new[] { "Statistics", "PowerGrid", "Transport", "Environment" }
            .SelectMany(d => new[] { "BaseUrl", "PathTemplate", "TimeoutSeconds", "ApiKey" }.Select(s => $"Pull__{d}__{s}")),
        // Timer schedules are flat names: the Functions host does not reliably resolve nested ones in %…% expressions.
        .. new[] { "Statistics", "PowerGrid", "Transport", "Environment" }.Select(d => $"PullCron{d}"),
        "SupplyLateCheckCron",
        "Pull__AllowedHosts",
        "Pull__AllowPrivateNetworks",
        "Pull__RetryMaxAttempts",
        "Pull__RetryFirstIntervalSeconds",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
    ];

    private static readonly CompiledInfrastructure Infra = CompiledInfrastructure.Instance;

    public static TheoryData<string> ParameterFiles => CompiledInfrastructure.ParameterFiles();

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void FunctionApp_AnyParameterFile_HasASystemAssignedIdentity(string parameterFile)
    {
        Assert.Empty(InfrastructureChecks.FunctionAppIdentityViolations(Infra.Snapshots[parameterFile]));
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void AppSettings_AnyParameterFile_HoldNoConnectionStringSecrets(string parameterFile)
    {
        Assert.Empty(InfrastructureChecks.AppSettingSecretViolations(Infra.Snapshots[parameterFile]));
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void AppSettings_AnyParameterFile_SetEveryPlannedSetting(string parameterFile)
    {
        Assert.Empty(InfrastructureChecks.MissingAppSettings(Infra.Snapshots[parameterFile], PlannedSettingNames));
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void AppSettings_AnyParameterFile_SetEverySettingTheAppReadsAtStartUp(string parameterFile)
    {
        // The names come from the app's own options classes (HubSettings), not from a copy kept here.
        var names = IntegrationHub.Functions.HubSettings.AppSettingNames().ToArray();
        Assert.Contains("Intake__MaxFeedBytes", names);
        Assert.Contains("Access__PowerGrid__Secondary", names);
        Assert.Empty(InfrastructureChecks.MissingAppSettings(Infra.Snapshots[parameterFile], names));
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void OpsSignIn_AnyParameterFile_EntraIdOfTheTenantAndTheOpsKeyRefused(string parameterFile)
    {
        // The names the app binds (EntraOptions, AccessOptions), not copies.
        var names = IntegrationHub.Functions.HubSettings.AppSettingNames().ToArray();
        Assert.Contains("Access__Entra__TenantId", names);
        Assert.Contains("Access__Entra__Audience", names);
        Assert.Contains("Access__AllowOpsKeyInAzure", names);

        var settings = Assert.Single(Infra.Snapshots[parameterFile].AppSettingsBySite().Values);
        // The tenant deployed to (resolved at deployment; the snapshot keeps the expression), or a tenant id given.
        var tenant = settings["Access__Entra__TenantId"];
        Assert.True(tenant == "[tenant().tenantId]" || Guid.TryParse(tenant, out _), $"Access__Entra__TenantId: {tenant}");
        Assert.Contains(settings["Access__Entra__Instance"], new[] { "[environment().authentication.loginEndpoint]", "https://login.microsoftonline.com/" });
        Assert.Equal("", settings["Access__Entra__MetadataAddress"]);
        Assert.True(settings.ContainsKey("Access__Entra__Audience"));

        // The console signs in with the hub's own registration (its SPA redirect URI added) unless another is given,
        // asking for the registration's Ops.Use scope, which the app derives from the audience when this is empty.
        Assert.Contains("Access__Entra__ConsoleClientId", names);
        Assert.Contains("Access__Entra__Scope", names);
        Assert.Equal(settings["Access__Entra__Audience"], settings["Access__Entra__ConsoleClientId"]);
        Assert.Equal("", settings["Access__Entra__Scope"]);

        // In Azure ops sign in as themselves; the shared key only when a parameter file says so (none does).
        // ARM writes string(false) as "false", the snapshot's evaluator as "False"; the app's binder reads either.
        Assert.Equal("false", settings["Access__AllowOpsKeyInAzure"], ignoreCase: true);
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void OpsNetworks_AnyParameterFile_SetUnderTheNameTheAppReads_ProdRestrictedDevOpen(string parameterFile)
    {
        // The name the app binds (AccessOptions.Ops.AllowedNetworks, through HubSettings), not a copy.
        Assert.Contains(OpsNetworks.Setting, IntegrationHub.Functions.HubSettings.AppSettingNames());

        var settings = Assert.Single(Infra.Snapshots[parameterFile].AppSettingsBySite().Values);
        Assert.True(settings.TryGetValue(OpsNetworks.Setting, out var value), $"{parameterFile} does not set {OpsNetworks.Setting}");

        // Read as the app reads it at start-up: every entry a network, and none holding loopback (which stops it in Azure).
        var networks = OpsNetworks.Parse(value, out var errors);
        Assert.True(networks is not null, string.Join(" ", errors));
        Assert.Empty(networks.Loopback());

        // Prod: the deployer's office ranges (placeholders until set); dev: every network, as main.bicepparam explains.
        Assert.Equal(parameterFile == "main.prod.bicepparam", networks.IsRestricted);
    }

    [Fact]
    public void OpsAppRoles_TheFileTheRegistrationIsMadeFrom_DeclaresTheRolesTheAppChecks()
    {
        var roles =
            System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Infra.RepositoryRoot, "infra", "entra", "ops-app-roles.json")))!.AsArray();

        Assert.Equal(
            new[] { IntegrationHub.Functions.Access.OpsRoles.Operator, IntegrationHub.Functions.Access.OpsRoles.Reader },
            roles.Select(r => (string)r!["value"]!).Order(StringComparer.Ordinal));
        Assert.All(roles, r =>
        {
            Assert.True((bool)r!["isEnabled"]!);
            Assert.True(Guid.TryParse((string?)r["id"], out _));
            Assert.Contains("User", r["allowedMemberTypes"]!.AsArray().Select(t => (string?)t));
        });
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void FunctionApp_AnyParameterFile_RunsDotnetIsolated10OnFlexConsumption(string parameterFile)
    {
        var snapshot = Infra.Snapshots[parameterFile];
        var plan = Assert.Single(snapshot.OfType("Microsoft.Web/serverfarms"));
        var site = Assert.Single(snapshot.OfType("Microsoft.Web/sites"));
        var runtime = site["properties"]?["functionAppConfig"]?["runtime"];

        Assert.Equal("FlexConsumption", (string?)plan["sku"]?["tier"]);
        Assert.Equal("dotnet-isolated", (string?)runtime?["name"]);
        Assert.Equal("10.0", (string?)runtime?["version"]);
        Assert.True((bool?)site["properties"]?["httpsOnly"]);
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void PullSettings_AnyParameterFile_UseHttpsAndAllowOnlyTheirHosts(string parameterFile)
    {
        var settings = Assert.Single(Infra.Snapshots[parameterFile].AppSettingsBySite().Values);
        var allowed = (settings["Pull__AllowedHosts"] ?? "").Split(',');

        foreach (var (name, value) in settings.Where(s => s.Key.EndsWith("__BaseUrl", StringComparison.Ordinal)))
        {
            var uri = new Uri(value!);
            Assert.True(uri.Scheme == Uri.UriSchemeHttps, $"{name} is not https: {value}");
            Assert.Contains(uri.Host, allowed);
        }
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void Resources_AnyParameterFile_AreAllTagged(string parameterFile)
    {
        var taggable = Infra.Snapshots[parameterFile].Resources.Where(r => r["location"] is not null);

        Assert.All(taggable, r =>
        {
            Assert.Equal("IntegrationHub", (string?)r["tags"]?["application"]);
            Assert.False(string.IsNullOrEmpty((string?)r["tags"]?["environment"]), $"{r["name"]} has no environment tag");
        });
    }
}
