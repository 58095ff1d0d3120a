using IntegrationHub.Core;
using IntegrationHub.Core.Parsing;
using IntegrationHub.Functions.Datasets;
using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Functions.Publishing;
using IntegrationHub.Functions.Pull;
using IntegrationHub.Functions.Storage;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions;

public static class HubServiceCollectionExtensions
{
    /// <summary>Every service of the hub, registered once for whichever host runs the functions.</summary>
    public static IServiceCollection AddHubServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IntakeLimits>().Bind(configuration.GetSection(IntakeLimits.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AccessOptions>().Bind(configuration.GetSection(AccessOptions.SectionName));

        // Schemas compiled and reference data validated once, at start-up.
        services.AddSingleton(sp => new HubCore(sp.GetRequiredService<IOptions<IntakeLimits>>().Value));
        services.AddSingleton(sp => sp.GetRequiredService<HubCore>().Validator);

        // Connection string locally (Azurite), service URIs with managed identity in Azure.
        services.AddAzureClients(clients => clients.AddBlobServiceClient(configuration.GetSection(HubSettings.HubStorageSection)));
        services.AddSingleton<FeedStore>();
        services.AddSingleton<FeedIntake>();
        services.AddSingleton<OrchestrationStarter>();
        services.AddSingleton<FeedProcessing>();
        services.AddSingleton<PeriodLedger>();
        services.AddSingleton<DatasetStore>();
        services.AddSingleton(TimeProvider.System);

        services.AddOptions<PullOptions>().Bind(configuration.GetSection(PullOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PullScheduler>();
        services.AddPublishing(configuration);
        services.AddDatasetQueries();
        // Redirects could lead a pull off its allowed host; the department API answers where it is asked.
        services.AddHttpClient(PullActivities.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        return services;
    }
}
