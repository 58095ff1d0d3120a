using IntegrationHub.Functions.Access;
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
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "IntegrationHub",
            "receipt-signing-key.pem");
}

// Settings that must stop the start: a Receipts__KeyId that is not a Key Vault key URL, and none at all in Azure, where
// a local key file would be lost with the instance and every receipt signed with it unverifiable.
internal sealed class ReceiptOptionsValidation(bool inAzure) : Microsoft.Extensions.Options.IValidateOptions<ReceiptOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, ReceiptOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Setting = $"{ReceiptOptions.SectionName}__{nameof(ReceiptOptions.KeyId)}";
        if (string.IsNullOrEmpty(options.KeyId))
        {
            return inAzure
                ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail($"{Setting} is not set: in Azure receipts are signed with a Key Vault key "
                    + $"(infra/ sets it).")
                : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
        }

        return Uri.TryCreate(options.KeyId, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            && uri.Segments is [_, "keys/", { Length: > 0 }] or [_, "keys/", { Length: > 0 }, { Length: > 0 }]
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail($"{Setting} is not a Key Vault key URL such as "
                + $"https://{{vault}}.vault.azure.net/keys/{{name}}.");
    }
}
