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
}
