namespace IntegrationHub.Infra.Tests;

public class StorageAccountTests
{
    private static readonly CompiledInfrastructure Infra = CompiledInfrastructure.Instance;

    public static TheoryData<string> ParameterFiles => CompiledInfrastructure.ParameterFiles();

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void StorageAccounts_AnyParameterFile_AllowNoSharedKeyOrPublicBlobAccess(string parameterFile)
    {
        Assert.Empty(InfrastructureChecks.StorageAccessViolations(Infra.Snapshots[parameterFile]));
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void BlobService_AnyParameterFile_HasVersioningAndSoftDeleteOn(string parameterFile)
    {
        var blobService = Assert.Single(Infra.Snapshots[parameterFile].OfType("Microsoft.Storage/storageAccounts/blobServices"));
        var properties = blobService["properties"]!;

        Assert.True((bool?)properties["isVersioningEnabled"]);
        Assert.True((bool?)properties["deleteRetentionPolicy"]?["enabled"]);
        Assert.True((int?)properties["deleteRetentionPolicy"]?["days"] >= 1);
        Assert.True((bool?)properties["containerDeleteRetentionPolicy"]?["enabled"]);
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void Containers_AnyParameterFile_AreTheHubContainersAndTheDeploymentContainer(string parameterFile)
    {
        var names = Infra.Snapshots[parameterFile]
            .OfType("Microsoft.Storage/storageAccounts/blobServices/containers")
            .Select(c => ((string)c["name"]!).Split('/')[^1])
            .Order(StringComparer.Ordinal);

        // The hub's containers as the app names them (HubContainers), plus the Flex Consumption deployment container.
        Assert.Equal(IntegrationHub.Functions.Storage.HubContainers.All.Append("app-package").Order(StringComparer.Ordinal), names);
    }

    [Theory]
    [InlineData("main.bicepparam", 7)]
    [InlineData("main.prod.bicepparam", 2557)]
    public void AuditContainer_TimeBasedRetentionWithProtectedAppendWrites_OnTheAuditContainerOnly(string parameterFile, int days)
    {
        var policy = Assert.Single(Infra.Snapshots[parameterFile].OfType("Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies"));

        Assert.EndsWith("/containers/audit/immutabilityPolicies/default", (string?)policy["id"], StringComparison.Ordinal);
        Assert.Equal(days, (int?)policy["properties"]?["immutabilityPeriodSinceCreationInDays"]);

        // The app appends a block per line: without protected append writes the policy would refuse every audit write.
        Assert.True((bool?)policy["properties"]?["allowProtectedAppendWrites"]);
        Assert.Null(policy["properties"]?["allowProtectedAppendWritesAll"]);
    }
}
