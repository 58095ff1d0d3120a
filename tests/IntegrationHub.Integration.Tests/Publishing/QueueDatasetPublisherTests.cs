using Azure.Storage.Queues;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Functions.Publishing;
using Microsoft.Extensions.Logging.Abstractions;
using static IntegrationHub.Integration.Tests.Publishing.PublishingSamples;

namespace IntegrationHub.Integration.Tests.Publishing;

/// <summary>The local publisher on real Storage queues (Azurite): one queue per subscriber, filtered like the Service Bus rules.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class QueueDatasetPublisherTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // Each test's own queue names, so tests never see each other's messages; its queues are deleted afterwards.
    private readonly string prefix = "t" + Guid.NewGuid().ToString("N")[..8] + "-";

    private readonly QueueServiceClient queues = new(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    // Reads the text exactly as stored, to see the encoding on the wire.
    private readonly QueueServiceClient raw = new(azurite.ConnectionString);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await foreach (var queue in raw.GetQueuesAsync(prefix: prefix))
        {
            await raw.DeleteQueueAsync(queue.Name);
        }
    }

    private QueueDatasetPublisher Publisher() =>
        new(queues, Hub.Reference.Subscribers.Subscribers, NullLogger<QueueDatasetPublisher>.Instance, prefix);

    /// <summary>Every message waiting in each subscriber's queue, as stored (Base64 text); none when the queue does not exist.</summary>
    private async Task<Dictionary<string, List<string>>> MessagesBySubscriber()
    {
        var messages = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var subscriber in Hub.Reference.Subscribers.Subscribers)
        {
            var queue = raw.GetQueueClient(QueueDatasetPublisher.QueueName(subscriber.Name, prefix));
            var texts = new List<string>();
            if (await queue.ExistsAsync())
            {
                texts.AddRange((await queue.PeekMessagesAsync(maxMessages: 32)).Value.Select(m => m.MessageText));
            }

            messages[subscriber.Name] = texts;
        }

        return messages;
    }

    private static void AssertDelivered(Dictionary<string, List<string>> messages, string eventId, params string[] subscribers)
    {
        Assert.Equal(subscribers.Order(StringComparer.Ordinal), messages.Where(m => m.Value.Count > 0).Select(m => m.Key).Order(StringComparer.Ordinal));
        foreach (var name in subscribers)
        {
            var text = Assert.Single(messages[name]);
            var decoded = DatasetPublishedEvent.Deserialize(Convert.FromBase64String(text));
            Assert.Equal(eventId, decoded.Id);
            Assert.Equal("cn.xiangjiang.dualcarbon.dataset.published", decoded.Type);
        }
    }

    [Fact]
    public async Task Publish_QuarterlyCarbonChangeIn430104_ReachesTheDashboardAndTheCarbonDeskOnly()
    {
        var document = Dataset("2024-Q4", 2, "complete", ("XJNA", "carbon.totalTco2", 2_400_000), ("430104", "carbon.totalTco2", 1_700_000));
        IndicatorChange[] changes = [new("430104", "carbon.totalTco2", 1_690_000, 1_700_000), new("XJNA", "carbon.totalTco2", 2_390_000, 2_400_000)];

        await Publisher().PublishAsync(DatasetPublishedEvent.Create(document, changes), CancellationToken.None);

        // statistics-bureau-annual takes years only; yuelu-energy-office needs an energy.* change; the other two match.
        AssertDelivered(await MessagesBySubscriber(), "2024-Q4/v2", "dual-carbon-dashboard", "carbon-market-desk");
    }

    [Fact]
    public async Task Publish_QuarterlyEnergyAndCarbonChangeIn430104_AlsoReachesYueluEnergyOffice()
    {
        var document = Dataset("2024-Q4", 3, "complete", ("430104", "carbon.totalTco2", 1_700_000), ("430104", "energy.totalTce", 900_000));
        IndicatorChange[] changes = [new("430104", "carbon.totalTco2", 1_690_000, 1_700_000), new("430104", "energy.totalTce", 890_000, 900_000)];

        await Publisher().PublishAsync(DatasetPublishedEvent.Create(document, changes), CancellationToken.None);

        AssertDelivered(await MessagesBySubscriber(), "2024-Q4/v3", "dual-carbon-dashboard", "yuelu-energy-office", "carbon-market-desk");
    }

    [Fact]
    public async Task Publish_YearlyEnergyChangeIn430104_ReachesDashboardStatisticsBureauAndYueluEnergyOffice()
    {
        var document = Dataset("2024", 2, "complete", ("430104", "energy.totalTce", 3_100_000));
        IndicatorChange[] changes = [new("430104", "energy.totalTce", 3_050_000, 3_100_000)];

        await Publisher().PublishAsync(DatasetPublishedEvent.Create(document, changes), CancellationToken.None);

        // carbon-market-desk takes quarters with carbon.* changes only.
        AssertDelivered(await MessagesBySubscriber(), "2024/v2", "dual-carbon-dashboard", "statistics-bureau-annual", "yuelu-energy-office");
    }

    [Fact]
    public async Task Publish_AnyEvent_StoresTheStructuredJsonBase64Encoded()
    {
        var document = Dataset("2024", 2, "complete", ("430104", "energy.totalTce", 3_100_000));
        var cloudEvent = DatasetPublishedEvent.Create(document, [new("430104", "energy.totalTce", 3_050_000, 3_100_000)]);

        await Publisher().PublishAsync(cloudEvent, CancellationToken.None);

        var stored = Assert.Single((await MessagesBySubscriber())["dual-carbon-dashboard"]);
        Assert.Equal(Convert.ToBase64String(DatasetPublishedEvent.Serialize(cloudEvent)), stored);
    }

    [Fact]
    public async Task Publish_SameEventTwice_DeliversItTwiceWithTheSameId()
    {
        // At-least-once: the publisher does not deduplicate a retried publish; subscribers do, by the CloudEvent id.
        var document = Dataset("2024", 2, "complete", ("430104", "energy.totalTce", 3_100_000));
        var cloudEvent = DatasetPublishedEvent.Create(document, [new("430104", "energy.totalTce", 3_050_000, 3_100_000)]);

        await Publisher().PublishAsync(cloudEvent, CancellationToken.None);
        await Publisher().PublishAsync(cloudEvent, CancellationToken.None);

        var stored = (await MessagesBySubscriber())["dual-carbon-dashboard"];
        Assert.Equal(2, stored.Count);
        Assert.All(stored, text => Assert.Equal("2024/v2", DatasetPublishedEvent.Deserialize(Convert.FromBase64String(text)).Id));
    }

    [Fact]
    public async Task Publish_Version1OfTheFullSampleDataset_IsTooLargeForAQueueMessageAndReachesNobody()
    {
        // Version 1 lists every figure of all 32 areas: far more than the 48 KiB of JSON a 64 KiB Base64 queue message holds.
        var document = FromSampleFeeds("2024-Q4", 1);
        var cloudEvent = DatasetPublishedEvent.Create(document, DatasetDiff.Compare(null, document));

        var error = await Assert.ThrowsAsync<EventTooLargeForQueueException>(() => Publisher().PublishAsync(cloudEvent, CancellationToken.None));

        Assert.Equal("2024-Q4/v1", error.EventId);
        Assert.Equal(64 * 1024, error.MaxBytes);
        Assert.All((await MessagesBySubscriber()).Values, Assert.Empty);
    }

    [Theory]
    [InlineData("dual-carbon-dashboard", "sub-", "sub-dual-carbon-dashboard")]
    [InlineData("Carbon_Market  Desk", "sub-", "sub-carbon-market-desk")]
    [InlineData("--odd--name--", "", "odd-name")]
    public void QueueName_SubscriberName_IsAValidQueueName(string subscriber, string queuePrefix, string expected)
    {
        Assert.Equal(expected, QueueDatasetPublisher.QueueName(subscriber, queuePrefix));
    }

    [Theory]
    [InlineData("a", "")]
    [InlineData("a-subscriber-name-that-is-far-too-long-for-a-storage-queue-name", "sub-")]
    public void QueueName_NoValidNameResults_Throws(string subscriber, string queuePrefix)
    {
        Assert.Throws<ArgumentException>(() => QueueDatasetPublisher.QueueName(subscriber, queuePrefix));
    }
}
