using System.Text.Json;
using IntegrationHub.Functions;
using IntegrationHub.Functions.Publishing;
using IntegrationHub.Functions.Receipts;

namespace IntegrationHub.Integration.Tests;

/// <summary>
/// The sample settings a developer copies to <c>local.settings.json</c> name every setting the app binds to an options
/// class, so a new option shows up there with its local value instead of being found only in the code.
/// </summary>
public sealed class HubSettingsTests
{
    // Bound from configuration outside HubSettings' start-up list: receipts (their Azure names are checked apart) and
    // the local webhook retries (bound in place under Publishing).
    private static readonly (string Section, Type Options)[] AlsoBound =
    [
        (ReceiptOptions.SectionName, typeof(ReceiptOptions)),
        ($"{PublishingOptions.SectionName}__{nameof(PublishingOptions.WebhookRetry)}", typeof(WebhookRetryOptions)),
    ];

    // Bound from configuration but deliberately not in the sample, each for its reason.
    private static readonly Dictionary<string, string> LeftOut = new(StringComparer.Ordinal)
    {
        ["Access__Statistics__Secondary"] = "a rotation's second key; locally one key each",
        ["Access__PowerGrid__Secondary"] = "a rotation's second key; locally one key each",
        ["Access__Transport__Secondary"] = "a rotation's second key; locally one key each",
        ["Access__Environment__Secondary"] = "a rotation's second key; locally one key each",
        ["Access__Ops__Secondary"] = "a rotation's second key; locally one key each",
        ["Access__Entra__TenantId"] = "sign-in needs an Entra ID tenant; locally ops use the key",
        ["Access__Entra__Audience"] = "sign-in needs an Entra ID tenant; locally ops use the key",
        ["Access__Entra__Instance"] = "sign-in needs an Entra ID tenant; locally ops use the key",
        ["Access__Entra__MetadataAddress"] = "sign-in needs an Entra ID tenant; locally ops use the key",
        ["Access__Entra__ConsoleClientId"] = "sign-in needs an Entra ID tenant; locally ops use the key",
        ["Access__Entra__Scope"] = "sign-in needs an Entra ID tenant; locally ops use the key",
        ["Receipts__KeyId"] = "a Key Vault key, Azure only; locally the local key file signs",
        ["Receipts__LocalKeyFile"] = "its default is in the user's own folder, which a shared file cannot name",
    };

    [Fact]
    public void LocalSettingsSample_EveryOptionsSetting_HasAnEntryOrAReasonToBeLeftOut()
    {
        var sample = SampleValues();

        var missing = HubSettings.OptionsClasses.Concat(AlsoBound)
            .SelectMany(o => HubSettings.OptionsSettingNames(o.Section, o.Options))
            .Where(name => !sample.ContainsKey(name) && !LeftOut.ContainsKey(name))
            .ToList();

        Assert.True(missing.Count == 0, "Not in local.settings.sample.json: " + string.Join(", ", missing));
    }

    private static Dictionary<string, string?> SampleValues()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(
            Path.Combine(RepoPaths.Root, "functions", "IntegrationHub.Functions", "local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString(), StringComparer.Ordinal);
    }
}
