using Azure.Messaging.ServiceBus;
using IntegrationHub.Core.Datasets;
using IntegrationHub.Functions.Publishing;
using Microsoft.Extensions.Logging.Abstractions;
using static IntegrationHub.Integration.Tests.Publishing.PublishingSamples;

namespace IntegrationHub.Integration.Tests.Publishing;

/// <summary>Runs only against a real Service Bus namespace named by environment variables; skipped otherwise.</summary>
public sealed class ServiceBusFactAttribute : FactAttribute
{
    public const string ConnectionVariable = "HUB_TEST_SERVICEBUS_CONNECTION";
    public const string TopicVariable = "HUB_TEST_SERVICEBUS_TOPIC";
    public const string SubscriptionVariable = "HUB_TEST_SERVICEBUS_SUBSCRIPTION";

    public ServiceBusFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ConnectionVariable))
            || string.IsNullOrEmpty(Environment.GetEnvironmentVariable(TopicVariable)))
        {
            Skip = $"Needs a Service Bus namespace: set {ConnectionVariable} (a connection string) and {TopicVariable} "
                + $"(optionally {SubscriptionVariable}, a subscription of that topic whose filter accepts a quarterly carbon change, "
                + "to receive the event back).";
        }
    }
}

public sealed class ServiceBusLiveTests
{
    [ServiceBusFact]
    public async Task Publish_RealTopic_DeliversTheEventWithItsIdAsMessageId()
    {
        var topic = Environment.GetEnvironmentVariable(ServiceBusFactAttribute.TopicVariable)!;
        var subscription = Environment.GetEnvironmentVariable(ServiceBusFactAttribute.SubscriptionVariable);
        await using var client = new ServiceBusClient(Environment.GetEnvironmentVariable(ServiceBusFactAttribute.ConnectionVariable));
        await using var sender = client.CreateSender(topic);
        // A version number of its own for each run: the topic's duplicate detection would drop a second "2024-Q4/v2" within its window.
        var version = (int)(DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 1_000_000_000);
        var document = Dataset("2024-Q4", version, "complete", ("430104", "carbon.totalTco2", 1_700_000));
        var cloudEvent = DatasetPublishedEvent.Create(document, [new IndicatorChange("430104", "carbon.totalTco2", 1_690_000, 1_700_000)]);

        await new ServiceBusDatasetPublisher(sender, NullLogger<ServiceBusDatasetPublisher>.Instance).PublishAsync(cloudEvent, CancellationToken.None);

        if (string.IsNullOrEmpty(subscription))
        {
            return;
        }

        await using var receiver = client.CreateReceiver(topic, subscription);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (DateTimeOffset.UtcNow < deadline)
        {
            foreach (var message in await receiver.ReceiveMessagesAsync(maxMessages: 20, maxWaitTime: TimeSpan.FromSeconds(5)))
            {
                if (message.MessageId != cloudEvent.Id)
                {
                    // Someone else's message (or an earlier run's): leave it.
                    await receiver.AbandonMessageAsync(message);
                    continue;
                }

                await receiver.CompleteMessageAsync(message);
                Assert.Equal(DatasetPublishedEvent.StructuredContentType, message.ContentType);
                Assert.Equal(cloudEvent.Id, DatasetPublishedEvent.Deserialize(message.Body.ToMemory()).Id);
                return;
            }
        }

        Assert.Fail($"{cloudEvent.Id} did not arrive on {topic}/{subscription} within 60 s.");
    }
}
