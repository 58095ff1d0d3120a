using System.Text.Json.Nodes;

namespace IntegrationHub.Infra.Tests;

/// <summary>
/// The Service Bus emulator's configuration is written by hand, while the app and infra/ read the subscribers file: a
/// subscriber added to one and not the other would be published to in Azure and missing under the emulator, or the
/// reverse, without anything else noticing.
/// </summary>
public class ServiceBusEmulatorConfigTests
{
    private static readonly JsonObject SubscribersFile = Read("functions", "IntegrationHub.Core", "ReferenceData", "subscribers.json");
    private static readonly JsonObject EmulatorConfig = Read("local-dev", "servicebus-emulator", "config.json");

    [Fact]
    public void EmulatorConfig_Topics_AreOnlyTheSubscribersFileTopic()
    {
        Assert.Equal([(string?)SubscribersFile["topic"]], Topics().Select(t => (string?)t["Name"]));
    }

    [Fact]
    public void EmulatorConfig_Subscriptions_AreExactlyTheSubscribersWithTheirSqlFilters()
    {
        // As infra/ writes them: an empty sqlFilter is the catch-all.
        var declared = SubscribersFile["subscribers"]!.AsArray()
            .Select(s => (Name: (string?)s!["name"], Filter: (string?)s["sqlFilter"] is { Length: > 0 } sql ? sql : "1=1"))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var configured = Topics().SelectMany(t => t["Subscriptions"]?.AsArray() ?? [])
            .Select(s => (Name: (string?)s!["Name"], Filter: SqlFilterOf(s)))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(declared, configured);
    }

    [Fact]
    public void EmulatorConfig_Namespace_IsTheOneTheEmulatorAccepts()
    {
        var namespaces = EmulatorConfig["UserConfig"]!["Namespaces"]!.AsArray();

        Assert.Equal(["sbemulatorns"], namespaces.Select(n => (string?)n!["Name"]));
    }

    [Fact]
    public void ComposeFile_EveryImage_IsPinnedByVersion()
    {
        // A floating tag ("latest", or none) gives each machine whatever the registry holds that day.
        var compose = File.ReadAllLines(Path.Combine(RepoPaths.Root, "local-dev", "servicebus-emulator", "docker-compose.yml"));
        var images = compose.Select(l => l.Trim()).Where(l => l.StartsWith("image:", StringComparison.Ordinal))
            .Select(l => l["image:".Length..].Trim()).ToList();

        Assert.Equal(2, images.Count);
        Assert.All(images, image =>
        {
            var colon = image.LastIndexOf(':');
            var tag = colon > image.LastIndexOf('/') ? image[(colon + 1)..] : "";
            Assert.True(
                tag.Length > 0 && char.IsAsciiDigit(tag[0]) && !tag.Contains("latest", StringComparison.OrdinalIgnoreCase),
                $"{image} is not pinned by version.");
        });
    }

    /// <summary>
    /// The expression of the subscription's single SQL rule. Anything else is described instead, so that it cannot equal
    /// a filter: a second rule would widen the subscription, and the emulator drops a rule whose FilterType it does not
    /// know (such as "SqlFilter") without an error, leaving the subscription to take every message.
    /// </summary>
    private static string SqlFilterOf(JsonNode subscription)
    {
        var rules = subscription["Rules"]?.AsArray() ?? [];
        if (rules.Count != 1)
        {
            return $"{rules.Count} rules";
        }

        var properties = rules[0]!["Properties"];
        return (string?)properties?["FilterType"] == "Sql" && (string?)properties["SqlFilter"]?["SqlExpression"] is { } expression
            ? expression
            : $"not a SQL rule: {rules[0]!.ToJsonString()}";
    }

    private static List<JsonNode> Topics() =>
        [.. EmulatorConfig["UserConfig"]!["Namespaces"]!.AsArray().SelectMany(n => n!["Topics"]?.AsArray() ?? []).Select(t => t!)];

    private static JsonObject Read(params string[] path) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine([RepoPaths.Root, .. path])))!.AsObject();
}
