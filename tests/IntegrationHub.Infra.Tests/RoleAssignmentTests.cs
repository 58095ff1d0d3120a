namespace IntegrationHub.Infra.Tests;

public class RoleAssignmentTests
{
    private static readonly CompiledInfrastructure Infra = CompiledInfrastructure.Instance;

    public static TheoryData<string> ParameterFiles => CompiledInfrastructure.ParameterFiles();

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void RoleAssignments_AnyParameterFile_AreNarrowAndExplained(string parameterFile)
    {
        Assert.Empty(InfrastructureChecks.RoleAssignmentViolations(Infra.Snapshots[parameterFile]));
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void ServiceBusRole_AnyParameterFile_IsDataSenderOnTheTopicOnly(string parameterFile)
    {
        const string DataSender = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39";
        var serviceBusAssignments = Infra.Snapshots[parameterFile]
            .OfType("Microsoft.Authorization/roleAssignments")
            .Where(a => ((string?)a["id"] ?? "").Contains("Microsoft.ServiceBus", StringComparison.Ordinal))
            .ToList();

        var assignment = Assert.Single(serviceBusAssignments);
        Assert.EndsWith(DataSender, (string?)assignment["properties"]?["roleDefinitionId"], StringComparison.Ordinal);
        Assert.Contains("/topics/", (string?)assignment["id"], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void ApplicationInsights_AnyParameterFile_AcceptsOnlyEntraTelemetryAndTheAppsIdentityMayPublish(string parameterFile)
    {
        // The worker exports its own telemetry with a managed-identity token (AddHubTelemetry): that works only with
        // the Monitoring Metrics Publisher role on the component, and local auth off makes the token the only way in.
        const string MetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
        var snapshot = Infra.Snapshots[parameterFile];
        var component = Assert.Single(snapshot.OfType("Microsoft.Insights/components"));
        Assert.True((bool?)component["properties"]?["DisableLocalAuth"], "Application Insights should accept only Microsoft Entra-authenticated telemetry.");

        var assignment = Assert.Single(snapshot.OfType("Microsoft.Authorization/roleAssignments"),
            a => ((string?)a["id"] ?? "").Contains("/providers/Microsoft.Insights/components/", StringComparison.Ordinal));
        Assert.EndsWith(MetricsPublisher, (string?)assignment["properties"]?["roleDefinitionId"], StringComparison.Ordinal);
        Assert.Equal("ServicePrincipal", (string?)assignment["properties"]?["principalType"]);
        Assert.Contains("functionApp", (string?)assignment["properties"]?["principalId"], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void StorageRoles_AnyParameterFile_AreTheBlobQueueAndTableDataContributorRolesAndTheTagRoleOnly(string parameterFile)
    {
        // What the Functions host, Durable Functions (Azure Storage backend) and the hub use; no Data Owner. Blob index
        // tags (the verdict tag the retention rules select by) come from the hub's own role, which grants nothing else.
        string[] contributors =
        [
            "ba92f5b4-2d11-453d-a403-e96b0029c9fe", // Storage Blob Data Contributor
            "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor
            "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor
            (string)Infra.Snapshots[parameterFile].CustomRole("IntegrationHub blob index tags")["name"]!,
        ];
        // The app's roles; the Event Grid topic's own (dead letters) is held by EventGridTests.
        var roles = Infra.Snapshots[parameterFile]
            .OfType("Microsoft.Authorization/roleAssignments")
            .Where(a => ((string?)a["id"] ?? "").Contains("/providers/Microsoft.Storage/storageAccounts/", StringComparison.Ordinal))
            .Where(a => ((string?)a["properties"]?["principalId"] ?? "").Contains("functionApp", StringComparison.Ordinal))
            .Select(a => ((string?)a["properties"]?["roleDefinitionId"] ?? "").Split('/')[^1].TrimEnd(')', '\'', ']'))
            .Order(StringComparer.Ordinal);

        Assert.Equal(contributors.Order(StringComparer.Ordinal), roles);
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void TagRole_AnyParameterFile_GrantsBlobIndexTagsReadAndWriteOnly_AssignableInTheResourceGroupOnly(string parameterFile)
    {
        var role = Infra.Snapshots[parameterFile].CustomRole("IntegrationHub blob index tags");
        var permission = Assert.Single(role["properties"]!["permissions"]!.AsArray())!;

        Assert.Equal("CustomRole", (string?)role["properties"]!["type"]);
        Assert.Empty(permission["actions"]!.AsArray());
        Assert.Empty(permission["notDataActions"]!.AsArray());
        Assert.Equal(
            ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/read",
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/write"],
            permission["dataActions"]!.AsArray().Select(a => (string)a!).Order(StringComparer.Ordinal));
        var scope = (string)Assert.Single(role["properties"]!["assignableScopes"]!.AsArray())!;
        Assert.Matches("^/subscriptions/[^/]+/resourceGroups/[^/]+$", scope);
    }
}
