using System.Text.Json.Nodes;

namespace IntegrationHub.Infra.Tests;

/// <summary>
/// Each check, run on a copy of the real dev snapshot with one regression put in, must report it: the tests on the
/// compiled infrastructure would then fail if the Bicep regressed the same way.
/// </summary>
public class InfrastructureChecksTests
{
    private static DeploymentSnapshot DevSnapshot() => CompiledInfrastructure.Instance.Snapshots["main.bicepparam"].Clone();

    private static JsonObject Single(DeploymentSnapshot snapshot, string type) => Assert.Single(snapshot.OfType(type));

    private static JsonObject AppSettings(DeploymentSnapshot snapshot) =>
        snapshot.OfType("Microsoft.Web/sites/config")
            .Single(c => ((string)c["name"]!).EndsWith("/appsettings", StringComparison.Ordinal))["properties"]!.AsObject();

    [Fact]
    public void StorageAccessViolations_SharedKeyAccessTurnedOn_IsReported()
    {
        var snapshot = DevSnapshot();
        Single(snapshot, "Microsoft.Storage/storageAccounts")["properties"]!["allowSharedKeyAccess"] = true;

        Assert.Contains(InfrastructureChecks.StorageAccessViolations(snapshot), v => v.Contains("allowSharedKeyAccess", StringComparison.Ordinal));
    }

    [Fact]
    public void StorageAccessViolations_SharedKeyAccessLeftToTheDefault_IsReported()
    {
        var snapshot = DevSnapshot();
        Single(snapshot, "Microsoft.Storage/storageAccounts")["properties"]!.AsObject().Remove("allowSharedKeyAccess");

        Assert.Contains(InfrastructureChecks.StorageAccessViolations(snapshot), v => v.Contains("allowSharedKeyAccess", StringComparison.Ordinal));
    }

    [Fact]
    public void StorageAccessViolations_PublicBlobAccessTurnedOn_IsReported()
    {
        var snapshot = DevSnapshot();
        Single(snapshot, "Microsoft.Storage/storageAccounts")["properties"]!["allowBlobPublicAccess"] = true;

        Assert.Contains(InfrastructureChecks.StorageAccessViolations(snapshot), v => v.Contains("allowBlobPublicAccess", StringComparison.Ordinal));
    }

    [Fact]
    public void StorageAccessViolations_PublicContainer_IsReported()
    {
        var snapshot = DevSnapshot();
        var landing = snapshot.OfType("Microsoft.Storage/storageAccounts/blobServices/containers")
            .First(c => ((string)c["name"]!).EndsWith("/landing", StringComparison.Ordinal));
        landing["properties"]!["publicAccess"] = "Blob";

        Assert.Contains(InfrastructureChecks.StorageAccessViolations(snapshot), v => v.Contains("publicAccess", StringComparison.Ordinal));
    }

    [Fact]
    public void ServiceBusLocalAuthViolations_LocalAuthTurnedOn_IsReported()
    {
        var snapshot = DevSnapshot();
        Single(snapshot, "Microsoft.ServiceBus/namespaces")["properties"]!["disableLocalAuth"] = false;

        Assert.NotEmpty(InfrastructureChecks.ServiceBusLocalAuthViolations(snapshot));
    }

    [Fact]
    public void FunctionAppIdentityViolations_IdentityRemoved_IsReported()
    {
        var snapshot = DevSnapshot();
        Single(snapshot, "Microsoft.Web/sites").Remove("identity");

        Assert.NotEmpty(InfrastructureChecks.FunctionAppIdentityViolations(snapshot));
    }

    [Fact]
    public void AppSettingSecretViolations_StorageConnectionStringWithKey_IsReported()
    {
        var snapshot = DevSnapshot();
        AppSettings(snapshot)["HubStorage"] = "DefaultEndpointsProtocol=https;AccountName=st;AccountKey=bm90LWEta2V5;EndpointSuffix=core.windows.net";

        Assert.NotEmpty(InfrastructureChecks.AppSettingSecretViolations(snapshot));
    }

    [Fact]
    public void AppSettingSecretViolations_ServiceBusConnectionString_IsReported()
    {
        var snapshot = DevSnapshot();
        AppSettings(snapshot)["ServiceBus__connectionString"] = "Endpoint=sb://ns/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=eA==";

        Assert.NotEmpty(InfrastructureChecks.AppSettingSecretViolations(snapshot));
    }

    [Fact]
    public void AppSettingSecretViolations_DepartmentKeyInPlainText_IsReported()
    {
        var snapshot = DevSnapshot();
        AppSettings(snapshot)["Access__Ops__Primary"] = "plain-text-key";

        Assert.Contains(InfrastructureChecks.AppSettingSecretViolations(snapshot), v => v.Contains("Access__Ops__Primary", StringComparison.Ordinal));
    }

    [Fact]
    public void AppSettingSecretViolations_TelemetryLocalAuthTurnedOn_IsReported()
    {
        var snapshot = DevSnapshot();
        Single(snapshot, "Microsoft.Insights/components")["properties"]!["DisableLocalAuth"] = false;

        Assert.Contains(
            InfrastructureChecks.AppSettingSecretViolations(snapshot), v => v.Contains("APPLICATIONINSIGHTS_CONNECTION_STRING", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingAppSettings_NameTheTemplateDoesNotSet_IsReturned()
    {
        var missing = InfrastructureChecks.MissingAppSettings(DevSnapshot(), ["DurableTaskHubName", "Datasets__CacheSeconds"]);

        Assert.Equal(["Datasets__CacheSeconds"], missing);
    }

    [Fact]
    public void SubscriberSubscriptionViolations_FilterDiffersFromTheFile_IsReported()
    {
        var snapshot = DevSnapshot();
        snapshot.OfType("Microsoft.ServiceBus/namespaces/topics/subscriptions/rules").First()["properties"]!["sqlFilter"]!["sqlExpression"] =
            "periodKind = 'month'";

        Assert.NotEmpty(InfrastructureChecks.SubscriberSubscriptionViolations(snapshot, CompiledInfrastructure.Instance.SubscribersFile));
    }

    [Fact]
    public void SubscriberSubscriptionViolations_SubscriberWithoutSubscription_IsReported()
    {
        var snapshot = DevSnapshot();
        var file = CompiledInfrastructure.Instance.SubscribersFile.DeepClone().AsObject();
        file["subscribers"]!.AsArray().Add(new JsonObject { ["name"] = "new-subscriber", ["sqlFilter"] = "" });

        Assert.Contains(InfrastructureChecks.SubscriberSubscriptionViolations(snapshot, file), v => v.Contains("new-subscriber", StringComparison.Ordinal));
    }

    [Fact]
    public void SubscriberSubscriptionViolations_SubscriptionNotInTheFile_IsReported()
    {
        var snapshot = DevSnapshot();
        var file = CompiledInfrastructure.Instance.SubscribersFile.DeepClone().AsObject();
        var subscribers = file["subscribers"]!.AsArray();
        var removed = (string)subscribers[0]!["name"]!;
        subscribers.RemoveAt(0);

        Assert.Contains(InfrastructureChecks.SubscriberSubscriptionViolations(snapshot, file), v => v.Contains(removed, StringComparison.Ordinal));
    }

    [Fact]
    public void SubscriberSubscriptionViolations_CatchAllRuleBesideTheFilter_IsReported()
    {
        var snapshot = DevSnapshot();
        var rule = snapshot.OfType("Microsoft.ServiceBus/namespaces/topics/subscriptions/rules").First();
        var extra = rule.DeepClone().AsObject();
        var name = (string)rule["name"]!;
        extra["name"] = name[..(name.LastIndexOf('/') + 1)] + "filter";
        snapshot.Document["predictedResources"]!.AsArray().Add(extra);

        Assert.NotEmpty(InfrastructureChecks.SubscriberSubscriptionViolations(snapshot, CompiledInfrastructure.Instance.SubscribersFile));
    }

    [Fact]
    public void SubscriberSubscriptionViolations_DuplicateDetectionTurnedOff_IsReported()
    {
        var snapshot = DevSnapshot();
        Single(snapshot, "Microsoft.ServiceBus/namespaces/topics")["properties"]!["requiresDuplicateDetection"] = false;

        Assert.NotEmpty(InfrastructureChecks.SubscriberSubscriptionViolations(snapshot, CompiledInfrastructure.Instance.SubscribersFile));
    }

    [Fact]
    public void RoleAssignmentViolations_OwnerRole_IsReported()
    {
        var snapshot = DevSnapshot();
        var assignment = snapshot.OfType("Microsoft.Authorization/roleAssignments").First();
        assignment["properties"]!["roleDefinitionId"] =
            "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

        Assert.Contains(InfrastructureChecks.RoleAssignmentViolations(snapshot), v => v.Contains("Owner", StringComparison.Ordinal));
    }
}
