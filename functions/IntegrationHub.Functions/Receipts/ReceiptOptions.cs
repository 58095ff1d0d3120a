namespace IntegrationHub.Functions.Receipts;

/// <summary>Where the hub's receipt-signing key is and what the hub calls itself in a receipt (<c>Receipts__*</c>).</summary>
public sealed class ReceiptOptions
{
    public const string SectionName = "Receipts";

    /// <summary>The identity a receipt names when none is set: a local hub, not claiming an address.</summary>
    public const string LocalIssuer = "urn:integrationhub:local";

    /// <summary>
    /// A Key Vault key, <c>https://{vault}.vault.azure.net/keys/{name}</c> (without a version: its current version signs,
    /// every enabled version is published). Set in Azure; when empty, <see cref="LocalKeyFile"/> signs.
    /// </summary>
    public string? KeyId { get; set; }

    /// <summary>The hub's identity in a receipt (<c>iss</c>): its base URL in Azure; <see cref="LocalIssuer"/> when empty.</summary>
    public string? Issuer { get; set; }

    /// <summary>
    /// Locally: a PEM file with the P-256 signing key, generated on first start when missing (<c>local-dev/run.sh</c>
    /// puts it in its data folder). Empty: a file in the user's local application data folder.
    /// </summary>
    public string? LocalKeyFile { get; set; }

    /// <summary>The settings <c>infra/</c> must set (the local key file is not one of them: Azure signs in Key Vault).</summary>
    public static IReadOnlyList<string> AzureAppSettingNames { get; } = [$"{SectionName}__{nameof(KeyId)}", $"{SectionName}__{nameof(Issuer)}"];

    /// <summary>Where the local key is kept when <see cref="LocalKeyFile"/> is not set.</summary>
    public static string DefaultLocalKeyFile =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "IntegrationHub", "receipt-signing-key.pem");
}
