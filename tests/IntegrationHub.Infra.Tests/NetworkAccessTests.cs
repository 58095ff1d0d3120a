using System.Text.Json.Nodes;

namespace IntegrationHub.Infra.Tests;

/// <summary>
/// Who can reach the data services: in prod only the app's subnet (storage, Key Vault, Service Bus deny every other
/// network), in dev every network with identity and RBAC deciding (infra/README.md says why).
/// </summary>
public class NetworkAccessTests
{
    private static readonly CompiledInfrastructure Infra = CompiledInfrastructure.Instance;

    [Fact]
    public void Prod_StorageKeyVaultAndServiceBus_AdmitOnlyTheSubnetTheAppSendsThrough()
    {
        var snapshot = Infra.Snapshots["main.prod.bicepparam"];
        var site = Assert.Single(snapshot.OfType("Microsoft.Web/sites"));
        var subnet = (string?)site["properties"]?["virtualNetworkSubnetId"];
        Assert.False(string.IsNullOrEmpty(subnet), "The prod app should be integrated with a subnet.");
        Assert.True(
            (bool?)site["properties"]?["outboundVnetRouting"]?["allTraffic"],
            "All the app's outbound traffic, Key Vault references included, should go through the subnet.");

        var network = Assert.Single(snapshot.OfType("Microsoft.Network/virtualNetworks"));
        var appSubnet = Assert.Single(network["properties"]!["subnets"]!.AsArray(), s => (string?)s!["name"] == subnet!.Split('/')[^1])!;
        Assert.Equal("Microsoft.App/environments", (string?)appSubnet["properties"]!["delegations"]![0]!["properties"]!["serviceName"]);
        Assert.Equal(
            ["Microsoft.KeyVault", "Microsoft.ServiceBus", "Microsoft.Storage"],
            appSubnet["properties"]!["serviceEndpoints"]!.AsArray().Select(e => (string)e!["service"]!).Order(StringComparer.Ordinal));

        var storage = Acls(Assert.Single(snapshot.OfType("Microsoft.Storage/storageAccounts")));
        Assert.Equal("Deny", (string?)storage["defaultAction"]);
        Assert.Equal([subnet], storage["virtualNetworkRules"]!.AsArray().Select(r => (string?)r!["id"]));

        var vault = Acls(Assert.Single(snapshot.OfType("Microsoft.KeyVault/vaults")));
        Assert.Equal("Deny", (string?)vault["defaultAction"]);
        Assert.Equal([subnet], vault["virtualNetworkRules"]!.AsArray().Select(r => (string?)r!["id"]));

        // Virtual network rules are a Premium feature of Service Bus.
        Assert.Equal("Premium", (string?)Assert.Single(snapshot.OfType("Microsoft.ServiceBus/namespaces"))["sku"]?["tier"]);
        var bus = Assert.Single(snapshot.OfType("Microsoft.ServiceBus/namespaces/networkRuleSets"))["properties"]!;
        Assert.Equal("Deny", (string?)bus["defaultAction"]);
        Assert.Equal([subnet], bus["virtualNetworkRules"]!.AsArray().Select(r => (string?)r!["subnet"]!["id"]));
    }

    [Fact]
    public void Dev_NoVirtualNetwork_EveryNetworkMayTry_IdentityDecides()
    {
        var snapshot = Infra.Snapshots["main.bicepparam"];

        Assert.Empty(snapshot.OfType("Microsoft.Network/virtualNetworks"));
        Assert.Empty(snapshot.OfType("Microsoft.ServiceBus/namespaces/networkRuleSets"));
        Assert.Equal("Allow", (string?)Acls(Assert.Single(snapshot.OfType("Microsoft.Storage/storageAccounts")))["defaultAction"]);
        Assert.Equal("Allow", (string?)Acls(Assert.Single(snapshot.OfType("Microsoft.KeyVault/vaults")))["defaultAction"]);

        // What keeps dev safe without network rules: no shared keys or SAS on storage, no SAS on Service Bus.
        Assert.False((bool?)Assert.Single(snapshot.OfType("Microsoft.Storage/storageAccounts"))["properties"]?["allowSharedKeyAccess"]);
        Assert.True((bool?)Assert.Single(snapshot.OfType("Microsoft.ServiceBus/namespaces"))["properties"]?["disableLocalAuth"]);
    }

    private static JsonNode Acls(JsonObject resource) => resource["properties"]!["networkAcls"]!;
}
