using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using IntegrationHub.Core;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Publishing;

public static class PublishingServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="PublishingOptions"/> (validated at start-up) and the <see cref="IDatasetPublisher"/> of the configured
    /// mode. Needs <see cref="HubCore"/> (the subscribers) and logging from the host, and in Queues mode the hub's
    /// <see cref="BlobServiceClient"/>, where events too large for a queue message are stored for their claim check.
    /// </summary>
    public static IServiceCollection AddPublishing(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PublishingOptions>()
            .Bind(configuration.GetSection(PublishingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PublishingOptions>>(new ClientSettingsValidation(configuration));

        services.AddSingleton<IValidateOptions<PublishingOptions>>(
            sp => new WebhookSettingsValidation(sp.GetRequiredService<HubCore>(), configuration));
        services.AddSingleton(sp => new SubscriberDeliveryLog(
            sp.GetRequiredService<BlobServiceClient>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        var mode = configuration.GetSection(PublishingOptions.SectionName).Get<PublishingOptions>()?.Mode ?? PublishingMode.Queues;
        if (mode == PublishingMode.ServiceBus)
        {
            // fullyQualifiedNamespace with the managed identity in Azure, or a connection string.
            services.AddAzureClients(clients => clients.AddServiceBusClient(configuration.GetSection(PublishingOptions.ServiceBusSection)));
            // One sender for the app's lifetime: it keeps its AMQP link open between sends.
            services.AddSingleton(sp => sp.GetRequiredService<ServiceBusClient>()
                .CreateSender(sp.GetRequiredService<IOptions<PublishingOptions>>().Value.TopicName));
            // Subscribers with a webhook have no Service Bus subscription (infra/): Event Grid pushes to them.
            services.AddSingleton(sp => new ServiceBusDatasetPublisher(
                sp.GetRequiredService<ServiceBusSender>(), sp.GetRequiredService<ILogger<ServiceBusDatasetPublisher>>(),
                [.. Subscribers(sp).Where(s => s.Webhook is null)], sp.GetRequiredService<SubscriberDeliveryLog>()));
            var eventGridEndpoint = configuration[$"{PublishingOptions.EventGridSection}:topicEndpoint"];
            if (string.IsNullOrWhiteSpace(eventGridEndpoint))
            {
                services.AddSingleton<IDatasetPublisher>(sp => sp.GetRequiredService<ServiceBusDatasetPublisher>());
                services.AddSingleton<ISubscriberRedelivery>(sp => sp.GetRequiredService<ServiceBusDatasetPublisher>());
            }
            else
            {
                // The managed identity (EventGrid Data Sender on the topic): the topic has no access keys.
                services.AddAzureClients(clients => clients.AddEventGridPublisherClient(new Uri(eventGridEndpoint)));
                services.AddSingleton(sp => new EventGridDatasetPublisher(
                    sp.GetRequiredService<ServiceBusDatasetPublisher>(), sp.GetRequiredService<Azure.Messaging.EventGrid.EventGridPublisherClient>(),
                    Subscribers(sp), sp.GetRequiredService<ILogger<EventGridDatasetPublisher>>(), sp.GetRequiredService<SubscriberDeliveryLog>()));
                services.AddSingleton<IDatasetPublisher>(sp => sp.GetRequiredService<EventGridDatasetPublisher>());
                services.AddSingleton<ISubscriberRedelivery>(sp => sp.GetRequiredService<EventGridDatasetPublisher>());
            }
        }
        else
        {
            AddQueueServiceClient(services, PublishingOptions.QueueSection(configuration));
            services.AddSingleton(sp =>
            {
                var retry = sp.GetRequiredService<IOptions<PublishingOptions>>().Value.WebhookRetry;
                // No redirects: a webhook is called at the URL the reference data names, never one an answer names.
                var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
                {
                    Timeout = Timeout.InfiniteTimeSpan,
                };
                return new WebhookOutbox(
                    sp.GetRequiredService<QueueServiceClient>(), sp.GetRequiredService<BlobServiceClient>(), http, retry,
                    sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILogger<WebhookOutbox>>(),
                    sp.GetRequiredService<SubscriberDeliveryLog>());
            });
            services.AddSingleton(sp => new QueueDatasetPublisher(
                sp.GetRequiredService<QueueServiceClient>(),
                sp.GetRequiredService<BlobServiceClient>(),
                sp.GetRequiredService<IOptions<PublishingOptions>>().Value.Effective(sp.GetRequiredService<HubCore>().Reference.Subscribers.Subscribers),
                sp.GetRequiredService<ILogger<QueueDatasetPublisher>>(),
                deliveries: sp.GetRequiredService<SubscriberDeliveryLog>(),
                webhooks: sp.GetRequiredService<WebhookOutbox>()));
            services.AddSingleton<IDatasetPublisher>(sp => sp.GetRequiredService<QueueDatasetPublisher>());
            services.AddSingleton<ISubscriberRedelivery>(sp => sp.GetRequiredService<QueueDatasetPublisher>());
        }

        return services;
    }

    // The subscribers' queue service (PublishingOptions.QueueSection, by default the hub's storage): from the section's
    // connection string locally (Azurite), else from queueServiceUri with the default credential. Not
    // AddQueueServiceClient(section): in Azure the section's serviceUri is the blob endpoint, which that method would
    // take.
    private static void AddQueueServiceClient(IServiceCollection services, IConfigurationSection storage)
    {
        var connectionString = PublishingOptions.ConnectionStringOf(storage);
        var serviceUri = storage[PublishingOptions.QueueServiceUriKey];
        services.AddAzureClients(clients =>
        {
            if (connectionString is not null)
            {
                clients.AddClient<QueueServiceClient, QueueClientOptions>(options => new QueueServiceClient(connectionString, Base64(options)));
            }
            else if (!string.IsNullOrWhiteSpace(serviceUri))
            {
                clients.AddClient<QueueServiceClient, QueueClientOptions>((options, credential) =>
                    new QueueServiceClient(new Uri(serviceUri), credential, Base64(options)));
            }

            // Neither: start-up validation reports the missing setting.
        });
    }

    private static QueueClientOptions Base64(QueueClientOptions options)
    {
        options.MessageEncoding = QueueMessageEncoding.Base64;
        return options;
    }

    // The subscribers file with this deployment's webhook settings applied.
    private static IReadOnlyList<Core.Reference.Subscriber> Subscribers(IServiceProvider sp) =>
        sp.GetRequiredService<IOptions<PublishingOptions>>().Value.Effective(sp.GetRequiredService<HubCore>().Reference.Subscribers.Subscribers);

    // Webhook URLs (file and settings): known subscribers, https or loopback.
    private sealed class WebhookSettingsValidation(HubCore core, IConfiguration configuration) : IValidateOptions<PublishingOptions>
    {
        public ValidateOptionsResult Validate(string? name, PublishingOptions options)
        {
            var subscribers = core.Reference.Subscribers.Subscribers;
            var problem = options.WebhookProblem(subscribers)
                ?? (options.Mode == PublishingMode.ServiceBus && options.Effective(subscribers).Any(s => s.Webhook is not null)
                    && string.IsNullOrWhiteSpace(configuration[$"{PublishingOptions.EventGridSection}:topicEndpoint"])
                        ? $"Some subscribers take webhooks, but no Event Grid topic is configured: set {PublishingOptions.EventGridSection}__topicEndpoint."
                        : null);
            return problem is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problem);
        }
    }

    // Checks the client settings of the chosen mode, which live outside the Publishing section.
    private sealed class ClientSettingsValidation(IConfiguration configuration) : IValidateOptions<PublishingOptions>
    {
        public ValidateOptionsResult Validate(string? name, PublishingOptions options) =>
            options.ProblemWith(configuration) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
