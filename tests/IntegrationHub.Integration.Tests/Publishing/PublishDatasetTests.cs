using Azure.Storage.Queues;
using IntegrationHub.Functions.Consolidation;
using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Publishing;
using IntegrationHub.Functions.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static IntegrationHub.Integration.Tests.Publishing.PublishingSamples;

namespace IntegrationHub.Integration.Tests.Publishing;

/// <summary>
/// The PublishDataset activity on real storage and queues (Azurite): a version's event goes out once, however often the
/// step runs (a retry after the send, a replay by ops), because the announcement is recorded and looked at first.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PublishDatasetTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // A period no other test writes.
    private const string Period = "2041-Q2";

    private readonly string prefix = "t" + Guid.NewGuid().ToString("N")[..8] + "-";
    private readonly QueueServiceClient raw = new(azurite.ConnectionString);

    public async Task InitializeAsync()
    {
        var container = azurite.Blobs.GetBlobContainerClient(HubContainers.Datasets);
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient($"{Period}/announced/v1.json").DeleteIfExistsAsync();
    }

    public async Task DisposeAsync()
    {
        await foreach (var queue in raw.GetQueuesAsync(prefix: prefix))
        {
            await raw.DeleteQueueAsync(queue.Name);
        }
    }

    [Fact]
    public async Task PublishDataset_RunAgainForAnAnnouncedVersion_SendsTheEventOnceAndRecordsItsId()
    {
        var datasets = new DatasetStore(azurite.Blobs);
        await datasets.WriteVersionAsync(Dataset(Period, 1, "complete", ("430104", "energy.totalTce", 3_100_000)), CancellationToken.None);
        var activities = Activities(datasets);

        await activities.PublishDataset(new PublishRequest(Period, 1), CancellationToken.None);
        await activities.PublishDataset(new PublishRequest(Period, 1), CancellationToken.None);

        var dashboard = raw.GetQueueClient(QueueDatasetPublisher.QueueName("dual-carbon-dashboard", prefix));
        var message = Assert.Single((await dashboard.PeekMessagesAsync(maxMessages: 32)).Value);
        Assert.Equal($"{Period}/v1", DatasetPublishedEvent.Deserialize(Convert.FromBase64String(message.MessageText)).Id);
        Assert.True(await datasets.IsAnnouncedAsync(Period, 1, CancellationToken.None));
        Assert.Equal([1], await datasets.ListAnnouncedAsync(Period, CancellationToken.None));
    }

    private ConsolidationActivities Activities(DatasetStore datasets)
    {
        var blobs = azurite.Blobs;
        var queues = new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var publisher = new QueueDatasetPublisher(queues, blobs, Hub.Reference.Subscribers.Subscribers, NullLogger<QueueDatasetPublisher>.Instance, prefix);
        return new ConsolidationActivities(
            Hub, new PeriodLedger(blobs), new FeedStore(blobs), datasets, new ConsolidationRecords(blobs),
            new ConsolidationDemands(
                new ConsolidationRecords(blobs), new OrchestrationStarter(blobs, TimeProvider.System, NullLogger<OrchestrationStarter>.Instance),
                Options.Create(new PublishingOptions()), NullLogger<ConsolidationDemands>.Instance),
            publisher, TimeProvider.System, NullLogger<ConsolidationActivities>.Instance);
    }
}
