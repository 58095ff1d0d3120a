using System.Reflection;
using IntegrationHub.Core.Parsing;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Functions.Pull;
using IntegrationHub.Functions.Access;

namespace IntegrationHub.Functions;

/// <summary>
/// The one list of settings the app reads at start-up: options classes with their sections, and the Azure client
/// sections. The composition root binds from it, and the infrastructure tests check that the template sets every
/// name it yields, so the two cannot drift apart.
/// </summary>
public static class HubSettings
{
    /// <summary>Blob service of the hub's own containers: a connection string locally, <c>HubStorage__serviceUri</c> with managed identity in Azure.</summary>
    public const string HubStorageSection = "HubStorage";

    /// <summary>Set by App Service (and so Azure Functions) on every instance it runs.</summary>
    public const string AzureInstanceSetting = "WEBSITE_INSTANCE_ID";

    public static readonly IReadOnlyList<(string Section, Type Options)> OptionsClasses =
    [
        (IntakeLimits.SectionName, typeof(IntakeLimits)),
        (SchemaGateOptions.SectionName, typeof(SchemaGateOptions)),
        (AccessOptions.SectionName, typeof(AccessOptions)),
        (Access.EntraOptions.SectionName.Replace(":", "__", StringComparison.Ordinal), typeof(Access.EntraOptions)),
        (PullOptions.SectionName, typeof(PullOptions)),
        (Publishing.PublishingOptions.SectionName, typeof(Publishing.PublishingOptions)),
    ];

    /// <summary>
    /// True on an App Service or Functions instance in Azure (the setting is there), false on a developer's machine:
    /// the one test of where the app runs, read from its configuration (environment variables included).
    /// </summary>
    public static bool RunsInAzure(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrEmpty(configuration[AzureInstanceSetting]);
    }

    /// <summary>App-setting names (<c>__</c> between sections) of everything above, in the identity-based form used in Azure.</summary>
    public static IEnumerable<string> AppSettingNames()
    {
        yield return $"{HubStorageSection}__serviceUri";
        yield return Telemetry.TelemetryServiceCollectionExtensions.ConnectionStringSetting;
        foreach (var name in Publishing.PublishingOptions.ClientAppSettingNames)
        {
            yield return name;
        }

        foreach (var name in PullSchedules.AppSettingNames)
        {
            yield return name;
        }

        foreach (var name in Receipts.ReceiptOptions.AzureAppSettingNames)
        {
            yield return name;
        }

        foreach (var (section, type) in OptionsClasses)
        {
            foreach (var name in Leaves(section, type))
            {
                yield return name;
            }
        }
    }

    /// <summary>The app-setting names of every settable property of an options class, nested ones included.</summary>
    public static IEnumerable<string> OptionsSettingNames(string section, Type options) => Leaves(section, options);

    private static IEnumerable<string> Leaves(string prefix, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var name = $"{prefix}__{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType.IsPrimitive || propertyType == typeof(string) || propertyType == typeof(decimal)
                || propertyType == typeof(TimeSpan) || propertyType == typeof(Uri) || propertyType.IsEnum)
            {
                yield return name;
            }
            else
            {
                foreach (var leaf in Leaves(name, propertyType))
                {
                    yield return leaf;
                }
            }
        }
    }
}
