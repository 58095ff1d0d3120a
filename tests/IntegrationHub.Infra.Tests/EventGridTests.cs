using IntegrationHub.Functions.Publishing;
using IntegrationHub.Functions.Storage;

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
    public void EventSubscriptions_AnyParameterFile_TwoPerWebhookSubscriberAndNoneForTheOthers(string parameterFile)
    {
        // The subscribers file declares no webhook today: then no event subscription, and every subscriber keeps its
        // Service Bus subscription (ServiceBusTests).
        var webhooks = Infra.SubscribersFile["subscribers"]!.AsArray().Count(s => s!["webhook"] is not null);
        var subscriptions = Infra.Snapshots[parameterFile].OfType("Microsoft.EventGrid/topics/eventSubscriptions").ToList();

        Assert.Equal(2 * webhooks, subscriptions.Count);
    }

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
