using Azure.Messaging.ServiceBus;
using Azure.Storage.Queues;
using IntegrationHub.Core;
using IntegrationHub.Functions.Publishing;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static IntegrationHub.Integration.Tests.Publishing.PublishingSamples;

namespace IntegrationHub.Integration.Tests.Publishing;

/// <summary>AddPublishing: the publisher each mode gets, and start-up refusing settings that cannot work.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PublishingRegistrationTests(AzuriteFixture azurite)
{
    // A syntactically valid connection string; creating clients from it opens no connection.
    private const string ServiceBusConnectionString = "Endpoint=sb://hub-test.servicebus.windows.net/;SharedAccessKeyName=test;SharedAccessKey=dGVzdA==";

    private static ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<HubCore>(Hub);
        // The hub's blob service, which AddHubServices registers (the queue publisher's claim checks go there).
        services.AddAzureClients(clients => clients.AddBlobServiceClient(configuration.GetSection("HubStorage")));
        services.AddPublishing(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    // What the host does at start-up with options registered ValidateOnStart.
    private static void ValidateOnStart(ServiceProvider provider) => provider.GetRequiredService<IStartupValidator>().Validate();

    [Fact]
    public void AddPublishing_NoPublishingSettings_DefaultsToQueuesAndTheSubscribersFileTopic()
    {
        using var provider = Services(("HubStorage", "UseDevelopmentStorage=true"));

        ValidateOnStart(provider);
        var options = provider.GetRequiredService<IOptions<PublishingOptions>>().Value;
        Assert.Equal(PublishingMode.Queues, options.Mode);
        Assert.Equal(Hub.Reference.Subscribers.Topic, options.TopicName);
        Assert.IsType<QueueDatasetPublisher>(provider.GetRequiredService<IDatasetPublisher>());
    }

    [Fact]
    public async Task AddPublishing_QueuesWithAzuriteConnectionString_PublishesBase64EncodedToSubscriberQueues()
    {
        await using var provider = Services(("Publishing:Mode", "Queues"), ("HubStorage", azurite.ConnectionString));
        var raw = new QueueServiceClient(azurite.ConnectionString);
        var dashboard = raw.GetQueueClient(QueueDatasetPublisher.QueueName("dual-carbon-dashboard"));
        var document = Dataset("2024", 2, "complete", ("430104", "energy.totalTce", 3_100_000));
        var cloudEvent = DatasetPublishedEvent.Create(document, [new("430104", "energy.totalTce", 3_050_000, 3_100_000)]);
        try
        {
            await provider.GetRequiredService<IDatasetPublisher>().PublishAsync(cloudEvent, CancellationToken.None);

            var stored = Assert.Single((await dashboard.PeekMessagesAsync(maxMessages: 32)).Value);
            Assert.Equal(Convert.ToBase64String(DatasetPublishedEvent.Serialize(cloudEvent)), stored.MessageText);
        }
        finally
        {
            await foreach (var queue in raw.GetQueuesAsync(prefix: QueueDatasetPublisher.DefaultQueueNamePrefix))
            {
                await raw.DeleteQueueAsync(queue.Name);
            }
        }
    }

    [Fact]
    public void AddPublishing_QueuesWithQueueServiceUriOnly_UsesThatEndpoint()
    {
        // Azure: the section holds service URIs only (serviceUri is the blob endpoint, queueServiceUri the queue endpoint).
        using var provider = Services(
            ("HubStorage:serviceUri", "https://hubstorage.blob.core.windows.net/"),
            ("HubStorage:queueServiceUri", "https://hubstorage.queue.core.windows.net/"));

        ValidateOnStart(provider);
        Assert.Equal(new Uri("https://hubstorage.queue.core.windows.net/"), provider.GetRequiredService<QueueServiceClient>().Uri);
        Assert.IsType<QueueDatasetPublisher>(provider.GetRequiredService<IDatasetPublisher>());
    }

    [Fact]
    public void AddPublishing_QueueConnectionSet_SubscriberQueuesOnThatServiceNotTheHubStorage()
    {
        // The announcements' endpoint apart from the hub's storage: what lets it fail on its own.
        using var provider = Services(
            ("HubStorage", azurite.ConnectionString),
            ("Publishing:QueueConnection",
                "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=dGVzdA==;QueueEndpoint=http://127.0.0.1:10991/devstoreaccount1;"));

        ValidateOnStart(provider);
        Assert.Equal(new Uri("http://127.0.0.1:10991/devstoreaccount1"), provider.GetRequiredService<QueueServiceClient>().Uri);
    }

    [Fact]
    public void AddPublishing_QueueConnectionServiceUri_UsesThatEndpointWithTheDefaultCredential()
    {
        using var provider = Services(
            ("HubStorage:serviceUri", "https://hubstorage.blob.core.windows.net/"),
            ("Publishing:QueueConnection:queueServiceUri", "https://subscribers.queue.core.windows.net/"));

        ValidateOnStart(provider);
        Assert.Equal(new Uri("https://subscribers.queue.core.windows.net/"), provider.GetRequiredService<QueueServiceClient>().Uri);
    }

    [Theory]
    [InlineData("Publishing:RetryMaxAttempts", "0", "RetryMaxAttempts")]
    [InlineData("Publishing:RetryMaxAttempts", "21", "RetryMaxAttempts")]
    [InlineData("Publishing:RetryFirstIntervalSeconds", "0", "RetryFirstIntervalSeconds")]
    public void AddPublishing_AnnouncementRetryOutOfRange_FailsAtStartNamingTheSetting(string key, string value, string named)
    {
        using var provider = Services(("HubStorage", "UseDevelopmentStorage=true"), (key, value));

        var error = Assert.Throws<OptionsValidationException>(() => ValidateOnStart(provider));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPublishing_QueuesWithoutQueueService_FailsAtStartNamingTheSettings()
    {
        using var provider = Services(("HubStorage:serviceUri", "https://hubstorage.blob.core.windows.net/"));

        var error = Assert.Throws<OptionsValidationException>(() => ValidateOnStart(provider));
        Assert.Contains("HubStorage__queueServiceUri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPublishing_ServiceBusWithConnectionString_SendsToTheConfiguredTopic()
    {
        // HubStorage as the app always has it: the per-subscriber delivery log is kept there in every mode.
        await using var provider = Services(
            ("Publishing:Mode", "ServiceBus"), ("Publishing:TopicName", "dataset-published-test"), ("ServiceBus:connectionString", ServiceBusConnectionString),
            ("HubStorage", "UseDevelopmentStorage=true"));

        ValidateOnStart(provider);
        Assert.IsType<ServiceBusDatasetPublisher>(provider.GetRequiredService<IDatasetPublisher>());
        var sender = provider.GetRequiredService<ServiceBusSender>();
        Assert.Equal("dataset-published-test", sender.EntityPath);
        Assert.Equal("hub-test.servicebus.windows.net", sender.FullyQualifiedNamespace);
    }

    [Fact]
    public void AddPublishing_QueuesWithAWebhookSetting_ThatSubscriberTakesItsEventsByWebhook()
    {
        using var provider = Services(("HubStorage", azurite.ConnectionString), ("Publishing:Webhooks:dual-carbon-dashboard", "http://127.0.0.1:7090/events"));

        ValidateOnStart(provider);
        var channels = provider.GetRequiredService<ISubscriberRedelivery>();
        var subscribers = Hub.Reference.Subscribers.Subscribers;
        Assert.Equal("webhook:http://127.0.0.1:7090/events", channels.ChannelOf(subscribers.Single(s => s.Name == "dual-carbon-dashboard")));
        Assert.Equal("queue:sub-carbon-market-desk", channels.ChannelOf(subscribers.Single(s => s.Name == "carbon-market-desk")));
    }

    [Theory]
    [InlineData("Publishing:Webhooks:dual-carbon-dashboard", "http://dashboard.example.org/events", "not an https URL")]
    [InlineData("Publishing:Webhooks:no-such-subscriber", "https://dashboard.example.org/events", "no subscriber")]
    public void AddPublishing_BadWebhookSetting_FailsAtStartNamingIt(string key, string url, string why)
    {
        using var provider = Services(("HubStorage", "UseDevelopmentStorage=true"), (key, url));

        var error = Assert.Throws<OptionsValidationException>(() => ValidateOnStart(provider));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPublishing_ServiceBusWithAWebhookButNoEventGridTopic_FailsAtStartNamingTheSetting()
    {
        using var provider = Services(
            ("Publishing:Mode", "ServiceBus"), ("ServiceBus:connectionString", ServiceBusConnectionString), ("HubStorage", "UseDevelopmentStorage=true"),
            ("Publishing:Webhooks:carbon-market-desk", "https://carbon-desk.example.org/events"));

        var error = Assert.Throws<OptionsValidationException>(() => ValidateOnStart(provider));
        Assert.Contains("EventGrid__topicEndpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPublishing_ServiceBusWithAnEventGridTopic_PublishesThroughBoth()
    {
        await using var provider = Services(
            ("Publishing:Mode", "ServiceBus"), ("ServiceBus:connectionString", ServiceBusConnectionString), ("HubStorage", "UseDevelopmentStorage=true"),
            ("Publishing:Webhooks:carbon-market-desk", "https://carbon-desk.example.org/events"),
            ("EventGrid:topicEndpoint", "https://evgt-hub.chinanorth3-1.eventgrid.azure.cn/api/events"));

        ValidateOnStart(provider);
        Assert.IsType<EventGridDatasetPublisher>(provider.GetRequiredService<IDatasetPublisher>());
        Assert.Equal("webhook:https://carbon-desk.example.org/events",
            provider.GetRequiredService<ISubscriberRedelivery>().ChannelOf(Hub.Reference.Subscribers.Subscribers.Single(s => s.Name == "carbon-market-desk")));
    }

    [Fact]
    public async Task AddPublishing_ServiceBusWithNamespace_UsesTheNamespaceWithTheDefaultCredential()
    {
        // Azure: identity-based, as infra/ sets it.
        await using var provider = Services(("Publishing:Mode", "ServiceBus"), ("ServiceBus:fullyQualifiedNamespace", "hub-test.servicebus.windows.net"));

        ValidateOnStart(provider);
        var sender = provider.GetRequiredService<ServiceBusSender>();
        Assert.Equal("dataset-published", sender.EntityPath);
        Assert.Equal("hub-test.servicebus.windows.net", sender.FullyQualifiedNamespace);
    }

    [Fact]
    public void AddPublishing_ServiceBusWithoutNamespace_FailsAtStartNamingTheSettings()
    {
        using var provider = Services(("Publishing:Mode", "ServiceBus"), ("HubStorage", "UseDevelopmentStorage=true"));

        var error = Assert.Throws<OptionsValidationException>(() => ValidateOnStart(provider));
        Assert.Contains("ServiceBus__fullyQualifiedNamespace", error.Message, StringComparison.Ordinal);
        Assert.Contains("ServiceBus__connectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPublishing_EmptyTopicName_FailsAtStart()
    {
        using var provider =
            Services(("Publishing:Mode", "ServiceBus"), ("Publishing:TopicName", ""),
            ("ServiceBus:connectionString", ServiceBusConnectionString));

        var error = Assert.Throws<OptionsValidationException>(() => ValidateOnStart(provider));
        Assert.Contains("TopicName", error.Message, StringComparison.Ordinal);
    }
}
