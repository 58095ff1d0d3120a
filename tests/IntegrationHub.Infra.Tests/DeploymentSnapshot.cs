using System.Text.Json.Nodes;

namespace IntegrationHub.Infra.Tests;

/// <summary>
/// The resources one parameter file would deploy, as predicted by <c>bicep snapshot</c>. Values known before the
/// deployment are resolved; values known only during it (e.g. a module output) stay ARM expressions: "[...]".
/// </summary>
public sealed class DeploymentSnapshot
{
    /// <summary>Wraps a parsed snapshot document.</summary>
    public DeploymentSnapshot(JsonObject document)
    {
        Document = document;
    }

    /// <summary>The snapshot document (predictedResources, outputs, diagnostics).</summary>
    public JsonObject Document { get; }

    /// <summary>Every predicted resource.</summary>
    public IEnumerable<JsonObject> Resources =>
        (Document["predictedResources"]?.AsArray() ?? []).Select(r => r!.AsObject());

    /// <summary>The one custom role definition whose name starts with <paramref name="roleNamePrefix"/> (the hub defines several).</summary>
    public JsonObject CustomRole(string roleNamePrefix) =>
        Xunit.Assert.Single(OfType("Microsoft.Authorization/roleDefinitions"),
            r => ((string?)r["properties"]?["roleName"] ?? "").StartsWith(roleNamePrefix, StringComparison.Ordinal));

    /// <summary>Predicted resources of one type (case-insensitive, as ARM compares types).</summary>
    public IEnumerable<JsonObject> OfType(string type) =>
        Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    /// <summary>A deep copy, for tests that change it.</summary>
    public DeploymentSnapshot Clone() => new(Document.DeepClone().AsObject());

    /// <summary>App settings written to a site (Microsoft.Web/sites/config named appsettings), by site name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> AppSettingsBySite()
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.OrdinalIgnoreCase);
        foreach (var config in OfType("Microsoft.Web/sites/config"))
        {
            var name = (string?)config["name"] ?? "";
            var slash = name.LastIndexOf('/');
            if (slash < 0 || !string.Equals(name[(slash + 1)..], "appsettings", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in config["properties"]?.AsObject() ?? [])
            {
                settings[key] = value is JsonValue v && v.TryGetValue<string>(out var text) ? text : value?.ToJsonString();
            }

            result[name[..slash]] = settings;
        }

        return result;
    }
}
