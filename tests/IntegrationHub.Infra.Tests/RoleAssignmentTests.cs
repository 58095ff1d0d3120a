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
}
