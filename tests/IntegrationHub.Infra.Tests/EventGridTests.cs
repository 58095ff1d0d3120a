using System.Text.Json.Nodes;
using IntegrationHub.Functions.Publishing;
using IntegrationHub.Functions.Storage;
using IntegrationHub.Functions.Supply;

namespace IntegrationHub.Infra.Tests;

/// <summary>The Event Grid topic webhook subscribers are pushed through (infra/modules/event-grid/topic).</summary>
public class EventGridTests
{
    private const string EventGridDataSender = "d5a91429-5739-47e2-a06b-3470a27159e7";
    private const string BlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

    private static readonly CompiledInfrastructure Infra = CompiledInfrastructure.Instance;

    public static TheoryData<string> ParameterFiles => CompiledInfrastructure.ParameterFiles();

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void Topic_AnyParameterFile_TakesCloudEventsWithLocalAuthOffAndAnIdentityForDeadLetters(string parameterFile)
    {
        var topic = Assert.Single(Infra.Snapshots[parameterFile].OfType("Microsoft.EventGrid/topics"));

        Assert.Equal("CloudEventSchemaV1_0", (string?)topic["properties"]?["inputSchema"]);
        Assert.True((bool?)topic["properties"]?["disableLocalAuth"], "The topic should take only Microsoft Entra-authenticated publishers.");
        Assert.Equal("SystemAssigned", (string?)topic["identity"]?["type"]);
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void EventSubscriptions_AnyParameterFile_EqualWhatTheSubscribersFileAsksFor(string parameterFile)
    {
        // The subscribers file declares no webhook today: then no event subscription, and every subscriber keeps its
        // Service Bus subscription (ServiceBusModuleTests). The derivation is held to the module by the fixture test below.
        var expected = Infra.SubscribersFile["subscribers"]!.AsArray()
            .Where(s => s!["webhook"] is not null)
            .SelectMany(s => Expected(
                (string)s!["name"]!, Strings(s["eventTypes"]) is { Count: > 0 } types ? types : ["dataset-published"],
                Strings(s["filter"]?["periodKinds"]), Strings(s["filter"]?["areas"]), Strings(s["filter"]?["indicatorPrefixes"])));

        Assert.Equal(Canonical(expected), Actual(Infra.Snapshots[parameterFile]));
    }

    [Fact]
    public void EventSubscriptions_Fixture_OnePerEventTypeAsked_DataSetsByTypeAndFilter_FeedLateByType()
    {
        // webhooks.test.bicepparam: a quarterly carbon desk (data sets), a supply office (feed-late), both for a third.
        const string DataSet = "cn.xiangjiang.dualcarbon.dataset.published";
        const string Late = "cn.xiangjiang.dualcarbon.feed.late";
        Assert.Equal((DataSet, Late), (DatasetPublishedEvent.EventType, FeedLateEvent.EventType));
        const string NotRedelivery = """{"operatorType":"IsNullOrUndefined","key":"redeliverto"}""";
        var expected = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["quarter-carbon-desk"] = $$"""{"includedEventTypes":["{{DataSet}}"],"advancedFilters":[{{NotRedelivery}},"""
                + """{"operatorType":"StringIn","key":"periodkind","values":["quarter"]},"""
                + """{"operatorType":"StringContains","key":"areas","values":[",430104,"]},"""
                + """{"operatorType":"StringContains","key":"indicators","values":[",carbon."]}]}""",
            ["quarter-carbon-desk-redelivery"] =
                $$"""{"includedEventTypes":["{{DataSet}}"],"advancedFilters":["""
                + """{"operatorType":"StringIn","key":"redeliverto","values":["quarter-carbon-desk"]}]}""",
            // Asks for feed-late only: no data-set subscription, so it gets no data set.
            ["supply-office-feed-late"] = $$"""{"includedEventTypes":["{{Late}}"],"advancedFilters":[{{NotRedelivery}}]}""",
            ["supply-office-redelivery"] =
                $$"""{"includedEventTypes":["{{Late}}"],"advancedFilters":[{"operatorType":"StringIn","key":"redeliverto","values":["supply-office"]}]}""",
            ["annual-and-late"] =
                $$"""{"includedEventTypes":["{{DataSet}}"],"advancedFilters":[{{NotRedelivery}},"""
                + """{"operatorType":"StringIn","key":"periodkind","values":["year"]}]}""",
            ["annual-and-late-feed-late"] = $$"""{"includedEventTypes":["{{Late}}"],"advancedFilters":[{{NotRedelivery}}]}""",
            ["annual-and-late-redelivery"] =
                $$"""{"includedEventTypes":["{{DataSet}}","{{Late}}"],"advancedFilters":["""
                + """{"operatorType":"StringIn","key":"redeliverto","values":["annual-and-late"]}]}""",
        };

        Assert.Equal(expected, Actual(Infra.EventGridFixture));
        // The derivation the subscribers-file test uses gives the same from the fixture's own subscribers.
        var derived = Infra.EventGridFixtureParameters["parameters"]!["webhookSubscribers"]!["value"]!.AsArray().SelectMany(s => Expected(
            (string)s!["name"]!, Strings(s["eventTypes"]), Strings(s["periodKinds"]), Strings(s["areas"]), Strings(s["indicatorPrefixes"])));
        Assert.Equal(expected, Canonical(derived));
    }

    /// <summary>
    /// The event subscriptions a webhook subscriber should have, with the meaning of its Service Bus rule
    /// (SubscriptionFilter.RuleSql): data sets by type and filter, feed-late by type, redeliveries addressed to it.
    /// </summary>
    private static IEnumerable<(string Name, JsonObject Filter)> Expected(
        string name, IReadOnlyList<string> eventTypes, IReadOnlyList<string> periodKinds, IReadOnlyList<string> areas, IReadOnlyList<string> prefixes)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["dataset-published"] = DatasetPublishedEvent.EventType,
            ["feed-late"] = FeedLateEvent.EventType,
        };
        static JsonObject Filter(string operatorType, string key, IEnumerable<string>? values = null)
        {
            var filter = new JsonObject { ["operatorType"] = operatorType, ["key"] = key };
            if (values is not null)
            {
                filter["values"] = new JsonArray([.. values.Select(v => JsonValue.Create(v))]);
            }

            return filter;
        }

        static JsonObject Subscription(IEnumerable<string> included, IEnumerable<JsonObject> advanced) => new()
        {
            ["includedEventTypes"] = new JsonArray([.. included.Select(t => JsonValue.Create(t))]),
            ["advancedFilters"] = new JsonArray([.. advanced]),
        };

        if (eventTypes.Contains("dataset-published"))
        {
            var advanced = new List<JsonObject> { Filter("IsNullOrUndefined", "redeliverto") };
            if (periodKinds.Count > 0)
            {
                advanced.Add(Filter("StringIn", "periodkind", periodKinds));
            }

            if (areas.Count > 0)
            {
                advanced.Add(Filter("StringContains", "areas", areas.Select(a => $",{a},")));
            }

            if (prefixes.Count > 0)
            {
                advanced.Add(Filter("StringContains", "indicators", prefixes.Select(p => "," + p)));
            }

            yield return (name, Subscription([types["dataset-published"]], advanced));
        }

        if (eventTypes.Contains("feed-late"))
        {
            yield return (name + "-feed-late", Subscription([types["feed-late"]], [Filter("IsNullOrUndefined", "redeliverto")]));
        }

        yield return (name + "-redelivery", Subscription(eventTypes.Select(t => types[t]), [Filter("StringIn", "redeliverto", [name])]));
    }

    private static List<string> Strings(JsonNode? array) => array is JsonArray values ? [.. values.Select(v => (string)v!)] : [];

    private static SortedDictionary<string, string> Canonical(IEnumerable<(string Name, JsonObject Filter)> subscriptions) =>
        new(subscriptions.ToDictionary(s => s.Name, s => s.Filter.ToJsonString()), StringComparer.Ordinal);

    /// <summary>Each event subscription's filter, by its name under the topic.</summary>
    private static SortedDictionary<string, string> Actual(DeploymentSnapshot snapshot) => new(
        snapshot.OfType("Microsoft.EventGrid/topics/eventSubscriptions").ToDictionary(
            s => ((string)s["name"]!).Split('/')[^1], s => s["properties"]!["filter"]!.ToJsonString()),
        StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void Roles_AnyParameterFile_AppSendsToTheTopicOnly_TopicWritesDeadLetters(string parameterFile)
    {
        var assignments = Infra.Snapshots[parameterFile].OfType("Microsoft.Authorization/roleAssignments").ToList();

        var sender = Assert.Single(assignments, a => ((string?)a["id"] ?? "").Contains("/providers/Microsoft.EventGrid/topics/", StringComparison.Ordinal));
        Assert.EndsWith(EventGridDataSender, (string?)sender["properties"]?["roleDefinitionId"], StringComparison.Ordinal);
        Assert.Contains("functionApp", (string?)sender["properties"]?["principalId"], StringComparison.Ordinal);
        // The topic's identity holds exactly one role: Blob Data Contributor on the storage account (dead letters).
        var topicRole = Assert.Single(assignments, a => ((string?)a["properties"]?["principalId"] ?? "").Contains("eventGrid", StringComparison.Ordinal));
        Assert.EndsWith(BlobDataContributor, (string?)topicRole["properties"]?["roleDefinitionId"], StringComparison.Ordinal);
        Assert.Contains("/providers/Microsoft.Storage/storageAccounts/", (string?)topicRole["id"], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public void App_AnyParameterFile_KnowsTheTopicEndpointAndTheWebhookTimerSchedule(string parameterFile)
    {
        var names = new[] { $"{PublishingOptions.EventGridSection}__topicEndpoint", WebhookDeliveryFunctions.ScheduleSetting };

        Assert.Empty(InfrastructureChecks.MissingAppSettings(Infra.Snapshots[parameterFile], names));
    }

    [Fact]
    public void DeadLetterContainer_IsTheOneTheLocalDeliveryWritesTo()
    {
        var subscriptionsModule = File.ReadAllText(Path.Combine(Infra.RepositoryRoot, "infra", "main.bicep"));

        Assert.Contains($"deadLetterContainerName: '{HubContainers.WebhookDeadLetters}'", subscriptionsModule, StringComparison.Ordinal);
    }
}
