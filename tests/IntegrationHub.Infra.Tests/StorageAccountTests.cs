using System.Text.Json.Nodes;
using IntegrationHub.Functions.Storage;

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
        Assert.Equal(HubContainers.All.Append("app-package").Order(StringComparer.Ordinal), names);
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

    [Theory]
    [InlineData("main.bicepparam", 30, 90)]
    [InlineData("main.prod.bicepparam", 90, 730)]
    public void Retention_QuarantinedBodiesByTheTagTheHubWrites_ReportsLonger_ValidBodiesNever(string parameterFile, int bodyDays, int reportDays)
    {
        var rules =
            Assert.Single(Infra.Snapshots[parameterFile].OfType("Microsoft.Storage/storageAccounts/managementPolicies"))["properties"]!["policy"]!["rules"]!
            .AsArray().Select(r => r!).ToList();
        string[] Prefixes(JsonNode rule) => [.. (rule["definition"]!["filters"]!["prefixMatch"]?.AsArray() ?? []).Select(p => (string)p!)];
        var landing = HubContainers.Landing + "/";

        // The tag and value FeedStore writes on a quarantined body, under the container it lands in.
        var bodies = Assert.Single(rules, r => Prefixes(r).Contains(landing));
        var match = Assert.Single(bodies["definition"]!["filters"]!["blobIndexMatch"]!.AsArray())!;
        Assert.Equal((FeedStore.StateTag, "==", nameof(FeedState.Quarantined)), ((string?)match["name"], (string?)match["op"], (string?)match["value"]));
        Assert.Equal(bodyDays, (int?)bodies["definition"]!["actions"]!["baseBlob"]!["delete"]!["daysAfterCreationGreaterThan"]);

        // No other rule reaches landing: a valid body is the provenance of published data sets and is never deleted.
        Assert.DoesNotContain(
            rules, r => r != bodies
            && (Prefixes(r).Length == 0 ? r["definition"]!["actions"]!["baseBlob"] is not null
            : Prefixes(r).Any(p => landing.StartsWith(p, StringComparison.Ordinal) || p.StartsWith(landing, StringComparison.Ordinal))));

        // Reports stay longer than their bodies: after the body is gone ops still see why the feed was refused.
        var reports = Assert.Single(rules, r => Prefixes(r).SequenceEqual([HubContainers.Quarantine + "/"]));
        Assert.Null(reports["definition"]!["filters"]!["blobIndexMatch"]);
        Assert.Equal(reportDays, (int?)reports["definition"]!["actions"]!["baseBlob"]!["delete"]!["daysAfterCreationGreaterThan"]);

        // The daily counts are rewritten by each push of their day: deleted a week after their last write.
        var usage = Assert.Single(rules, r => Prefixes(r).SequenceEqual([HubContainers.Usage + "/"]));
        Assert.Equal(7, (int?)usage["definition"]!["actions"]!["baseBlob"]!["delete"]!["daysAfterModificationGreaterThan"]);
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void Retention_DeliveryLog_DeletedAfter400Days_WebhookDeadLettersKept(string parameterFile)
    {
        var rules =
            Assert.Single(Infra.Snapshots[parameterFile].OfType("Microsoft.Storage/storageAccounts/managementPolicies"))["properties"]!["policy"]!["rules"]!
            .AsArray().Select(r => r!).ToList();
        string[] Prefixes(JsonNode rule) => [.. (rule["definition"]!["filters"]!["prefixMatch"]?.AsArray() ?? []).Select(p => (string)p!)];

        var deliveries = Assert.Single(rules, r => Prefixes(r).SequenceEqual([HubContainers.Deliveries + "/"]));
        Assert.Equal(400, (int?)deliveries["definition"]!["actions"]!["baseBlob"]!["delete"]!["daysAfterCreationGreaterThan"]);
        // A dead letter is an event nobody received: ops decide what to do with it, no rule deletes it.
        Assert.DoesNotContain(rules, r => Prefixes(r).Any(p => p.StartsWith(HubContainers.WebhookDeadLetters, StringComparison.Ordinal)));
    }
}
