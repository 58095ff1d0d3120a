using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
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

    private readonly BlobServiceClient blobs = azurite.Blobs;

    private QueueDatasetPublisher Publisher() =>
        new(queues, blobs, Hub.Reference.Subscribers.Subscribers, NullLogger<QueueDatasetPublisher>.Instance, prefix);

    // Every message waiting in each subscriber's queue, as stored (Base64 text); none when the queue does not exist.
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
    public async Task PublishFeedLate_ReachesOnlyTheQueuesOfSubscribersAskingForFeedLate()
    {
        var cell = new IntegrationHub.Core.Supply.SupplyCell(
            "transport", "2025-03", "month", "2025-04-15", new DateTimeOffset(2025, 4, 15, 16, 0, 0, TimeSpan.Zero),
            IntegrationHub.Core.Supply.SupplyState.Missing, null, []);
        var lateEvent = IntegrationHub.Functions.Supply.FeedLateEvent.Create(cell, new DateTimeOffset(2025, 4, 16, 0, 0, 0, TimeSpan.Zero));

        await Publisher().PublishFeedLateAsync(lateEvent, CancellationToken.None);

        var messages = await MessagesBySubscriber();
        Assert.Equal(["carbon-office-supply"], messages.Where(m => m.Value.Count > 0).Select(m => m.Key));
        var decoded = DatasetPublishedEvent.Deserialize(Convert.FromBase64String(Assert.Single(messages["carbon-office-supply"])));
        Assert.Equal(lateEvent.Id, decoded.Id);
        Assert.Equal("cn.xiangjiang.dualcarbon.feed.late", decoded.Type);
        Assert.Equal("transport/2025-03", decoded.Subject);
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

    // A Storage queue message holds at most 64 KiB of (here Base64) text.
    private const int QueueMessageMaxBytes = 64 * 1024;

    // A hand-made yearly version 1 of 400 street codes of district 430181 with three figures each: about 90 KB of JSON.
    private static DatasetDocument LargeYearlyVersion1(string period = "2023") => Dataset(
        period, 1, "complete",
        [.. Enumerable.Range(1, 400).SelectMany(i => new (string, string, double?)[]
        {
            ($"430181{i:000}", "energy.totalTce", 10_000 + i + 0.25),
            ($"430181{i:000}", "carbon.totalTco2", 20_000 + i + 0.5),
            ($"430181{i:000}", "power.consumptionMwh", 30_000 + i + 0.75),
        })]);

    // The blob a dataref names: a path within the storage account, container first.
    private BlobClient BlobAt(string dataRef)
    {
        var slash = dataRef.IndexOf('/', StringComparison.Ordinal);
        return blobs.GetBlobContainerClient(dataRef[..slash]).GetBlobClient(dataRef[(slash + 1)..]);
    }

    // What each named subscriber received for a claim-checked event: one message that fits a queue message, the event's
    // envelope with dataref and without data. Returns the dataref.
    private static string AssertClaimChecked(Dictionary<string, List<string>> messages,
        CloudNative.CloudEvents.CloudEvent original, params string[] subscribers)
    {
        Assert.Equal(subscribers.Order(StringComparer.Ordinal), messages.Where(m => m.Value.Count > 0).Select(m => m.Key).Order(StringComparer.Ordinal));
        var dataRefs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in subscribers)
        {
            var text = Assert.Single(messages[name]);
            Assert.True(text.Length <= QueueMessageMaxBytes, $"{name}'s message is {text.Length} characters");
            using var json = JsonDocument.Parse(Convert.FromBase64String(text));
            var root = json.RootElement;
            Assert.Equal(
                ["datacontenttype", "dataref", "id", "source", "specversion", "subject", "time", "type"],
                root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal("1.0", root.GetProperty("specversion").GetString());
            Assert.Equal(original.Id, root.GetProperty("id").GetString());
            Assert.Equal("cn.xiangjiang.dualcarbon.dataset.published", root.GetProperty("type").GetString());
            Assert.Equal("/integration-hub", root.GetProperty("source").GetString());
            Assert.Equal(original.Subject, root.GetProperty("subject").GetString());
            Assert.Equal(original.Time, root.GetProperty("time").GetDateTimeOffset());
            Assert.Equal("application/json", root.GetProperty("datacontenttype").GetString());
            dataRefs.Add(root.GetProperty("dataref").GetString()!);

            var decoded = DatasetPublishedEvent.Deserialize(Convert.FromBase64String(text));
            Assert.Null(decoded.Data);
            Assert.Equal(new Uri(root.GetProperty("dataref").GetString()!, UriKind.Relative), decoded[DatasetPublishedEvent.DataRefAttribute]);
        }

        return Assert.Single(dataRefs);
    }

    private static void AssertConformsToEventSchema(JsonElement structured)
    {
        var issues = Hub.Schemas.Evaluate(Hub.Schemas.DatasetPublishedEvent(), structured);
        Assert.True(issues.Count == 0,
            "event does not match its schema: "
            + string.Join("; ", issues.Select(i => $"{i.InstanceLocation} {i.Keyword}: {i.Message}")));
    }

    [Fact]
    public async Task Publish_Version1OfTheSampleQuarter_SendsTheEnvelopeWithDatarefAndStoresTheWholeEventAtIt()
    {
        // Version 1 lists every figure of every area: far more than the 48 KiB of JSON a 64 KiB Base64 queue message holds.
        var document = FromSampleFeeds("2024-Q1", 1);
        var changes = DatasetDiff.Compare(null, document);
        var cloudEvent = DatasetPublishedEvent.Create(document, changes);
        Assert.True(Convert.ToBase64String(DatasetPublishedEvent.Serialize(cloudEvent)).Length > QueueMessageMaxBytes,
            "the test needs an event too large for a queue message");
        // A quarter with energy.* figures of 430104 and carbon.* figures: every subscriber but the annual-only one.
        Assert.Contains(document.Areas, a => a.AreaCode == "430104" && a.Indicators.Keys.Any(k => k.StartsWith("energy.", StringComparison.Ordinal)));
        Assert.Contains(document.Areas, a => a.Indicators.Keys.Any(k => k.StartsWith("carbon.", StringComparison.Ordinal)));

        await Publisher().PublishAsync(cloudEvent, CancellationToken.None);

        var dataRef = AssertClaimChecked(await MessagesBySubscriber(), cloudEvent, "dual-carbon-dashboard", "yuelu-energy-office", "carbon-market-desk");
        Assert.Equal("datasets/2024-Q1/events/v1.json", dataRef);

        var blob = await BlobAt(dataRef).DownloadContentAsync();
        Assert.Equal("application/cloudevents+json", blob.Value.Details.ContentType);
        using var stored = JsonDocument.Parse(blob.Value.Content.ToMemory());
        AssertConformsToEventSchema(stored.RootElement);
        Assert.Equal("2024-Q1/v1", stored.RootElement.GetProperty("id").GetString());
        var data = DatasetPublishedEvent.DataOf(DatasetPublishedEvent.Deserialize(blob.Value.Content.ToMemory()));
        Assert.Equal(("2024-Q1", 1), (data.Period, data.Version));
        Assert.Equal(document.Areas.Sum(a => a.Indicators.Count), data.ChangedIndicators.Count);
        Assert.Equal(
            document.Areas.SelectMany(a =>
                a.Indicators.Select(i => new IndicatorChange(a.AreaCode, i.Key, null, i.Value.Value))).OrderBy(c =>
                (c.AreaCode, c.Id)),
            data.ChangedIndicators.OrderBy(c => (c.AreaCode, c.Id)));
        Assert.Equal(document.Areas.Select(a => a.AreaCode), data.Areas);
        // Exactly the structured event that would have gone inline, had it fitted.
        Assert.Equal(DatasetPublishedEvent.Serialize(cloudEvent), blob.Value.Content.ToArray());
    }

    [Fact]
    public async Task Publish_LargeYearlyVersion1OutsideYuelu_IsRoutedOnTheFullEventAndClaimChecked()
    {
        // Yearly, no figure of 430104: the dashboard and the statistics bureau only, though the message itself names no area.
        var document = LargeYearlyVersion1();
        var cloudEvent = DatasetPublishedEvent.Create(document, DatasetDiff.Compare(null, document));
        Assert.True(Convert.ToBase64String(DatasetPublishedEvent.Serialize(cloudEvent)).Length > QueueMessageMaxBytes,
            "the test needs an event too large for a queue message");

        await Publisher().PublishAsync(cloudEvent, CancellationToken.None);

        var dataRef = AssertClaimChecked(await MessagesBySubscriber(), cloudEvent, "dual-carbon-dashboard", "statistics-bureau-annual");
        Assert.Equal("datasets/2023/events/v1.json", dataRef);
        var blob = await BlobAt(dataRef).DownloadContentAsync();
        using var stored = JsonDocument.Parse(blob.Value.Content.ToMemory());
        AssertConformsToEventSchema(stored.RootElement);
        Assert.Equal(1200, stored.RootElement.GetProperty("data").GetProperty("changedIndicators").GetArrayLength());
        Assert.Equal(400, stored.RootElement.GetProperty("data").GetProperty("areas").GetArrayLength());
    }

    [Fact]
    public async Task Publish_LargeEventTwice_DeliversItTwiceAndKeepsTheSameStoredEvent()
    {
        // A retried publish: at least once, the claim-checked event written again with the same bytes.
        var document = LargeYearlyVersion1();
        var cloudEvent = DatasetPublishedEvent.Create(document, DatasetDiff.Compare(null, document));

        await Publisher().PublishAsync(cloudEvent, CancellationToken.None);
        await Publisher().PublishAsync(cloudEvent, CancellationToken.None);

        var stored = (await MessagesBySubscriber())["dual-carbon-dashboard"];
        Assert.Equal(2, stored.Count);
        Assert.All(stored, text => Assert.Equal("2023/v1", DatasetPublishedEvent.Deserialize(Convert.FromBase64String(text)).Id));
        var blob = await BlobAt("datasets/2023/events/v1.json").DownloadContentAsync();
        Assert.Equal(DatasetPublishedEvent.Serialize(cloudEvent), blob.Value.Content.ToArray());
    }

    [Fact]
    public async Task Publish_EnvelopeAloneTooLargeForAQueueMessage_ThrowsAndNeitherStoresNorSendsAnything()
    {
        // Not an event the hub makes: an extension attribute of 70,000 characters keeps even the data-less envelope over 64 KiB.
        var document = LargeYearlyVersion1("2021");
        var cloudEvent = DatasetPublishedEvent.Create(document, DatasetDiff.Compare(null, document));
        cloudEvent[CloudNative.CloudEvents.CloudEventAttribute.CreateExtension("padding",
            CloudNative.CloudEvents.CloudEventAttributeType.String)] = new string('x', 70_000);

        var error = await Assert.ThrowsAsync<EventTooLargeForQueueException>(() => Publisher().PublishAsync(cloudEvent, CancellationToken.None));

        Assert.Equal("2021/v1", error.EventId);
        Assert.Equal(QueueMessageMaxBytes, error.MaxBytes);
        Assert.True(error.EncodedBytes > QueueMessageMaxBytes);
        Assert.All((await MessagesBySubscriber()).Values, Assert.Empty);
        Assert.False(await BlobAt("datasets/2021/events/v1.json").ExistsAsync());
    }

    [Fact]
    public async Task Publish_SmallEvent_GoesInlineWithoutDatarefAndStoresNoEvent()
    {
        var document = Dataset("2022-Q3", 4, "complete", ("430104", "energy.totalTce", 900_000));
        var cloudEvent = DatasetPublishedEvent.Create(document, [new("430104", "energy.totalTce", 890_000, 900_000)]);

        await Publisher().PublishAsync(cloudEvent, CancellationToken.None);

        var text = Assert.Single((await MessagesBySubscriber())["dual-carbon-dashboard"]);
        using var json = JsonDocument.Parse(Convert.FromBase64String(text));
        Assert.False(json.RootElement.TryGetProperty("dataref", out _));
        Assert.Equal("2022-Q3", json.RootElement.GetProperty("data").GetProperty("period").GetString());
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => BlobAt("datasets/2022-Q3/events/v4.json").DownloadContentAsync());
        Assert.Equal(404, error.Status);
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
