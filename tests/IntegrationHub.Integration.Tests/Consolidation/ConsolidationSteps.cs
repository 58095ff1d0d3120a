using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using IntegrationHub.Functions.Consolidation;
using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Publishing;
using IntegrationHub.Functions.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static IntegrationHub.Integration.Tests.Publishing.PublishingSamples;

namespace IntegrationHub.Integration.Tests.Consolidation;

/// <summary>The consolidation activities wired to real storage, as the host wires them.</summary>
internal static class ConsolidationSteps
{
    /// <param name="blobs">The blob service the steps use; a test may hand one whose pipeline lets another writer in at a chosen moment.</param>
    public static ConsolidationActivities On(BlobServiceClient blobs, string connectionString)
    {
        var queues = new QueueServiceClient(connectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        // Queues of their own, so that nothing these steps might announce lands in another test's subscriber queues.
        var prefix = "t" + Guid.NewGuid().ToString("N")[..8] + "-";
        var publisher = new QueueDatasetPublisher(queues, blobs, Hub.Reference.Subscribers.Subscribers, NullLogger<QueueDatasetPublisher>.Instance, prefix);
        return new ConsolidationActivities(
            Hub, new PeriodLedger(blobs), new FeedStore(blobs), new DatasetStore(blobs), new ConsolidationRecords(blobs),
            new ConsolidationDemands(
                new ConsolidationRecords(blobs), new OrchestrationStarter(blobs, TimeProvider.System, NullLogger<OrchestrationStarter>.Instance),
                Options.Create(new PublishingOptions()), NullLogger<ConsolidationDemands>.Instance),
            publisher, TimeProvider.System, NullLogger<ConsolidationActivities>.Instance);
    }

    /// <summary>Removes whatever an earlier run left of a period's data sets, so a test starts from none.</summary>
    public static async Task ForgetDatasetsAsync(BlobServiceClient blobs, string period)
    {
        var container = blobs.GetBlobContainerClient(HubContainers.Datasets);
        await container.CreateIfNotExistsAsync();
        await foreach (var item in container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = period + "/" }))
        {
            await container.DeleteBlobIfExistsAsync(item.Name);
        }
    }
}
