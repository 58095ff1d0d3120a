namespace IntegrationHub.Infra.Tests;

/// <summary>
/// The key receipts are signed with: an EC P-256 key in the hub's vault that can only sign (and verify), and an app
/// identity that may read it and sign with it, on that key alone, and nothing more.
/// </summary>
public class ReceiptSigningKeyTests
{
    private const string KeyVaultCryptoUser = "12338af0-0e69-4776-bea7-57ae8d297424";
    private const string KeyVaultCryptoOfficer = "14b46e9e-c2b7-41b4-b07b-48a6ebf60603";

    private static readonly CompiledInfrastructure Infra = CompiledInfrastructure.Instance;

    public static TheoryData<string> ParameterFiles => CompiledInfrastructure.ParameterFiles();

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void ReceiptKey_AnyParameterFile_IsAnUnexportableP256KeyThatOnlySigns(string parameterFile)
    {
        var key = Assert.Single(Infra.Snapshots[parameterFile].OfType("Microsoft.KeyVault/vaults/keys"));
        var properties = key["properties"]!;

        Assert.EndsWith("/receipt-signing", (string?)key["name"], StringComparison.Ordinal);
        Assert.Equal("EC", (string?)properties["kty"]);
        Assert.Equal("P-256", (string?)properties["curveName"]);
        Assert.Equal(["sign", "verify"], properties["keyOps"]!.AsArray().Select(o => (string?)o));
        Assert.False((bool?)properties["attributes"]?["exportable"]);
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void ReceiptSignerRole_AnyParameterFile_OnlyReadsAndSignsAndIsTheAppsOnlyRoleOnTheKey(string parameterFile)
    {
        var snapshot = Infra.Snapshots[parameterFile];
        var role = snapshot.CustomRole("IntegrationHub receipt signer");
        var permission = Assert.Single(role["properties"]!["permissions"]!.AsArray())!;
        Assert.Empty(permission["actions"]!.AsArray());
        Assert.Equal(
            ["Microsoft.KeyVault/vaults/keys/read", "Microsoft.KeyVault/vaults/keys/sign/action"],
            permission["dataActions"]!.AsArray().Select(a => (string?)a).Order(StringComparer.Ordinal));
        Assert.Equal("CustomRole", (string?)role["properties"]!["type"]);

        // Assigned on the key itself, to the app, with the custom role.
        var onKey = snapshot.OfType("Microsoft.Authorization/roleAssignments")
            .Where(a => ((string?)a["id"] ?? "").Contains("/keys/receipt-signing'", StringComparison.Ordinal))
            .ToList();
        var assignment = Assert.Single(onKey);
        Assert.EndsWith("/roleDefinitions/" + (string?)role["name"], (string?)assignment["properties"]?["roleDefinitionId"], StringComparison.Ordinal);
        Assert.Contains("functionApp", (string?)assignment["properties"]?["principalId"], StringComparison.Ordinal);

        // No broader crypto role anywhere: not Key Vault Crypto User or Officer on the vault.
        var cryptoRoles = snapshot.OfType("Microsoft.Authorization/roleAssignments")
            .Select(a => (string?)a["properties"]?["roleDefinitionId"] ?? "")
            .Where(id => id.Contains(KeyVaultCryptoUser, StringComparison.Ordinal) || id.Contains(KeyVaultCryptoOfficer, StringComparison.Ordinal));
        Assert.Empty(cryptoRoles);
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void ReceiptSettings_AnyParameterFile_PointTheAppAtTheVaultKeyAndNameItByItsUrl(string parameterFile)
    {
        var snapshot = Infra.Snapshots[parameterFile];
        var settings = Assert.Single(snapshot.AppSettingsBySite().Values);
        var vault = (string?)Assert.Single(snapshot.OfType("Microsoft.KeyVault/vaults"))["name"];

        var keyId = settings["Receipts__KeyId"] ?? "";
        Assert.Contains($"'{vault}'", keyId, StringComparison.Ordinal);
        Assert.Contains("keyvaultDns", keyId, StringComparison.Ordinal);
        Assert.EndsWith("'receipt-signing')]", keyId, StringComparison.Ordinal);
        Assert.StartsWith("[format('https://{0}{1}/keys/{2}'", keyId, StringComparison.Ordinal);
        Assert.Contains("defaultHostName", settings["Receipts__Issuer"], StringComparison.Ordinal);
        // Azure signs in the vault: no local key file there.
        Assert.DoesNotContain("Receipts__LocalKeyFile", settings.Keys);
    }
}
