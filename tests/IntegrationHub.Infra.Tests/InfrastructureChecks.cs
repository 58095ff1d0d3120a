using System.Text.Json.Nodes;

namespace IntegrationHub.Infra.Tests;

/// <summary>
/// The rules the compiled infrastructure must keep. Each check returns the violations it found (empty = fine), so
/// the tests can show all of them at once and can prove, on altered snapshots, that a regression is caught.
/// </summary>
public static class InfrastructureChecks
{
    /// <summary>Functions that would pull account keys or connection strings into a deployment.</summary>
    public static readonly string[] KeyListingFunctions =
    [
        "listKeys(", "listKeyValue(", "listConnectionStrings(", "listSecrets(", "listAccountSas(", "listServiceSas(", "listCredentials(",
    ];

    /// <summary>Text that only a credential-bearing connection string or SAS contains.</summary>
    private static readonly string[] SecretMarkers =
    [
        "AccountKey=", "SharedAccessKey=", "SharedAccessKeyName=", "SharedAccessSignature=", "sig=", "Password=", "Pwd=", "DefaultEndpointsProtocol=",
    ];

    /// <summary>Roles too broad for anything this hub does (Owner, Contributor, User Access Administrator, Storage
    /// Account Contributor, Storage Blob Data Owner, Azure Service Bus Data Owner, Key Vault Administrator).</summary>
    public static readonly IReadOnlyDictionary<string, string> BroadRoles = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["8e3af657-a8ff-443c-a75c-2fe8c4bcb635"] = "Owner",
        ["b24988ac-6180-42a0-ab88-20f7382dd24c"] = "Contributor",
        ["18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"] = "User Access Administrator",
        ["17d1049b-9a84-46fb-8f53-869881c3d3ab"] = "Storage Account Contributor",
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
        ["090c5cfd-751d-490a-894a-3ce6f1109419"] = "Azure Service Bus Data Owner",
        ["00482a5a-887f-4fb3-b363-3b7fe8e74483"] = "Key Vault Administrator",
    };

    /// <summary>No storage account may allow shared-key (account key or SAS) access or anonymous blob reads; both
    /// must be off explicitly, since the service's default for each is "allowed". No container may be public.</summary>
    public static IReadOnlyList<string> StorageAccessViolations(DeploymentSnapshot snapshot)
    {
        var violations = new List<string>();
        var accounts = snapshot.OfType("Microsoft.Storage/storageAccounts").ToList();
        if (accounts.Count == 0)
        {
            violations.Add("no storage account in the deployment");
        }

        foreach (var account in accounts)
        {
            var properties = account["properties"];
            if (!IsFalse(properties?["allowSharedKeyAccess"]))
            {
                violations.Add($"{account["name"]}: allowSharedKeyAccess is not false");
            }

            if (!IsFalse(properties?["allowBlobPublicAccess"]))
            {
                violations.Add($"{account["name"]}: allowBlobPublicAccess is not false");
            }
        }

        foreach (var container in snapshot.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"))
        {
            var access = (string?)container["properties"]?["publicAccess"];
            if (access is not null && !string.Equals(access, "None", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add($"{container["name"]}: publicAccess is {access}");
            }
        }

        // Whatever the resource type, a property of these names must not be true.
        foreach (var resource in snapshot.Resources)
        {
            foreach (var (path, value) in Walk(resource))
            {
                var leaf = path[(path.LastIndexOf('.') + 1)..];
                if ((leaf.Equals("allowSharedKeyAccess", StringComparison.OrdinalIgnoreCase)
                     || leaf.Equals("allowBlobPublicAccess", StringComparison.OrdinalIgnoreCase))
                    && !IsFalse(value))
                {
                    violations.Add($"{resource["name"]}: {path} is {value?.ToJsonString()}");
                }
            }
        }

        return violations.Distinct().ToList();
    }

    /// <summary>Every Service Bus namespace has local (SAS key) authentication disabled and no SAS rule.</summary>
    public static IReadOnlyList<string> ServiceBusLocalAuthViolations(DeploymentSnapshot snapshot)
    {
        var violations = new List<string>();
        var namespaces = snapshot.OfType("Microsoft.ServiceBus/namespaces").ToList();
        if (namespaces.Count == 0)
        {
            violations.Add("no Service Bus namespace in the deployment");
        }

        foreach (var ns in namespaces)
        {
            if (!IsTrue(ns["properties"]?["disableLocalAuth"]))
            {
                violations.Add($"{ns["name"]}: disableLocalAuth is not true");
            }
        }

        foreach (var rule in snapshot.Resources.Where(r => ((string?)r["type"] ?? "").StartsWith("Microsoft.ServiceBus/", StringComparison.OrdinalIgnoreCase)
                                                          && ((string?)r["type"] ?? "").EndsWith("/authorizationRules", StringComparison.OrdinalIgnoreCase)))
        {
            violations.Add($"{rule["name"]}: SAS authorization rule");
        }

        return violations;
    }

    /// <summary>Every site has a system-assigned identity, and a Flex Consumption app reads its package with it.</summary>
    public static IReadOnlyList<string> FunctionAppIdentityViolations(DeploymentSnapshot snapshot)
    {
        var violations = new List<string>();
        var sites = snapshot.OfType("Microsoft.Web/sites").ToList();
        if (sites.Count == 0)
        {
            violations.Add("no site in the deployment");
        }

        foreach (var site in sites)
        {
            var identityType = (string?)site["identity"]?["type"] ?? "None";
            if (!identityType.Contains("SystemAssigned", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add($"{site["name"]}: identity type is {identityType}, not SystemAssigned");
            }

            var deploymentAuth = site["properties"]?["functionAppConfig"]?["deployment"]?["storage"]?["authentication"];
            if (deploymentAuth is not null && !string.Equals((string?)deploymentAuth["type"], "SystemAssignedIdentity", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add($"{site["name"]}: deployment storage authentication is {deploymentAuth["type"]}, not SystemAssignedIdentity");
            }
        }

        return violations;
    }

    /// <summary>
    /// No app setting of any site carries a secret: no connection string with a key or SAS in it, no key-listing
    /// function, credentials (…__Primary, …__Secondary, …__ApiKey) only as Key Vault references, and no classic
    /// AzureWebJobsStorage connection string. APPLICATIONINSIGHTS_CONNECTION_STRING is allowed while every
    /// Application Insights component has local authentication off (the string is then an address, not a credential).
    /// </summary>
    public static IReadOnlyList<string> AppSettingSecretViolations(DeploymentSnapshot snapshot)
    {
        var violations = new List<string>();
        var settingsBySite = snapshot.AppSettingsBySite();
        if (settingsBySite.Count == 0)
        {
            violations.Add("no app settings in the deployment");
        }

        var telemetryKeyIsCredential = snapshot.OfType("Microsoft.Insights/components")
            .Any(c => !IsTrue(c["properties"]?["DisableLocalAuth"]));

        foreach (var (site, settings) in settingsBySite)
        {
            foreach (var (name, value) in settings)
            {
                var text = value ?? "";
                foreach (var marker in SecretMarkers.Where(m => text.Contains(m, StringComparison.OrdinalIgnoreCase)))
                {
                    violations.Add($"{site}: {name} contains '{marker}'");
                }

                foreach (var function in KeyListingFunctions.Where(f => text.Contains(f, StringComparison.OrdinalIgnoreCase)))
                {
                    violations.Add($"{site}: {name} is computed with {function}");
                }

                if (name.Equals("AzureWebJobsStorage", StringComparison.OrdinalIgnoreCase))
                {
                    violations.Add($"{site}: {name} is a connection string; use AzureWebJobsStorage__accountName");
                }

                if (name.Equals("APPLICATIONINSIGHTS_CONNECTION_STRING", StringComparison.OrdinalIgnoreCase))
                {
                    if (telemetryKeyIsCredential)
                    {
                        violations.Add($"{site}: {name} is a credential while Application Insights accepts local authentication");
                    }
                }
                else if (name.EndsWith("ConnectionString", StringComparison.OrdinalIgnoreCase)
                         || name.EndsWith("__connectionString", StringComparison.OrdinalIgnoreCase))
                {
                    violations.Add($"{site}: {name} is a connection string setting");
                }

                if ((name.EndsWith("__Primary", StringComparison.OrdinalIgnoreCase)
                     || name.EndsWith("__Secondary", StringComparison.OrdinalIgnoreCase)
                     || name.EndsWith("__ApiKey", StringComparison.OrdinalIgnoreCase))
                    && !IsKeyVaultReference(text))
                {
                    violations.Add($"{site}: {name} is a credential but not a Key Vault reference");
                }
            }
        }

        return violations;
    }

    /// <summary>
    /// The names in <paramref name="settingNames"/> that no site's app settings set. This is the hook for "every
    /// setting the app reads at start-up is set by the template": pass the names derived from the app's options classes.
    /// </summary>
    public static IReadOnlyList<string> MissingAppSettings(DeploymentSnapshot snapshot, IEnumerable<string> settingNames)
    {
        var set = snapshot.AppSettingsBySite().Values.SelectMany(s => s.Keys).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return settingNames.Where(n => !set.Contains(n)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>
    /// Every subscriber of the subscribers file has a subscription on the file's topic whose only rule is the
    /// subscriber's SQL filter ("" in the file = 1=1), written into the $Default rule (so no catch-all remains), and
    /// there is no subscription the file does not declare. The topic has duplicate detection on.
    /// </summary>
    public static IReadOnlyList<string> SubscriberSubscriptionViolations(DeploymentSnapshot snapshot, JsonObject subscribersFile)
    {
        var violations = new List<string>();
        var topicName = (string?)subscribersFile["topic"] ?? "";
        var topics = snapshot.OfType("Microsoft.ServiceBus/namespaces/topics")
            .Where(t => LastSegment(t) == topicName)
            .ToList();
        if (topics.Count != 1)
        {
            violations.Add($"expected one topic named '{topicName}', found {topics.Count}");
            return violations;
        }

        var topic = topics[0];
        if (!IsTrue(topic["properties"]?["requiresDuplicateDetection"]))
        {
            violations.Add($"{topic["name"]}: requiresDuplicateDetection is not true");
        }

        var topicPath = (string)topic["name"]!;
        var subscriptions = snapshot.OfType("Microsoft.ServiceBus/namespaces/topics/subscriptions")
            .Where(s => ((string?)s["name"] ?? "").StartsWith(topicPath + "/", StringComparison.Ordinal))
            .ToDictionary(LastSegment, s => (string)s["name"]!, StringComparer.Ordinal);
        var rules = snapshot.OfType("Microsoft.ServiceBus/namespaces/topics/subscriptions/rules").ToList();

        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var subscriber in subscribersFile["subscribers"]?.AsArray() ?? [])
        {
            var name = (string?)subscriber?["name"] ?? "";
            declared.Add(name);
            var sqlFilter = (string?)subscriber?["sqlFilter"] ?? "";
            var expected = sqlFilter.Length == 0 ? "1=1" : sqlFilter;

            if (!subscriptions.TryGetValue(name, out var subscriptionPath))
            {
                violations.Add($"subscriber '{name}' has no subscription on topic '{topicName}'");
                continue;
            }

            var own = rules.Where(r => ((string?)r["name"] ?? "").StartsWith(subscriptionPath + "/", StringComparison.Ordinal)).ToList();
            if (own.Count != 1 || LastSegment(own[0]) != "$Default")
            {
                violations.Add($"subscription '{name}' must have exactly one rule, $Default (found: {string.Join(", ", own.Select(LastSegment))})");
                continue;
            }

            var properties = own[0]["properties"];
            var filterType = (string?)properties?["filterType"];
            var expression = (string?)properties?["sqlFilter"]?["sqlExpression"];
            if (filterType != "SqlFilter" || expression != expected)
            {
                violations.Add($"subscription '{name}': filter is {filterType} '{expression}', the subscribers file says '{expected}'");
            }
        }

        foreach (var extra in subscriptions.Keys.Where(k => !declared.Contains(k)))
        {
            violations.Add($"subscription '{extra}' is not declared in the subscribers file");
        }

        return violations;
    }

    /// <summary>Every role assignment says why (description) and none grants a broad role.</summary>
    public static IReadOnlyList<string> RoleAssignmentViolations(DeploymentSnapshot snapshot)
    {
        var violations = new List<string>();
        foreach (var assignment in snapshot.OfType("Microsoft.Authorization/roleAssignments"))
        {
            var properties = assignment["properties"];
            var roleId = ((string?)properties?["roleDefinitionId"] ?? "").Split('/')[^1];
            if (BroadRoles.TryGetValue(roleId, out var role))
            {
                violations.Add($"role assignment grants {role} ({properties?["description"]})");
            }

            if (string.IsNullOrWhiteSpace((string?)properties?["description"]))
            {
                violations.Add($"role assignment of role {roleId} has no description saying why");
            }
        }

        return violations;
    }

    private static bool IsKeyVaultReference(string value) =>
        value.StartsWith("@Microsoft.KeyVault(", StringComparison.Ordinal)
        || value.StartsWith("[format('@Microsoft.KeyVault(", StringComparison.Ordinal); // resolved only at deployment

    private static string LastSegment(JsonObject resource)
    {
        var name = (string?)resource["name"] ?? "";
        return name[(name.LastIndexOf('/') + 1)..];
    }

    private static bool IsFalse(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && !b;

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static IEnumerable<(string Path, JsonNode? Value)> Walk(JsonNode? node, string path = "")
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    var childPath = path.Length == 0 ? key : path + "." + key;
                    yield return (childPath, value);
                    foreach (var inner in Walk(value, childPath))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var inner in Walk(array[i], $"{path}[{i}]"))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }
}
