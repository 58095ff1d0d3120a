using Azure.Core;
using Azure.Storage.Blobs;
using IntegrationHub.Core;
using IntegrationHub.Core.Evolution;
using IntegrationHub.Core.Parsing;
using IntegrationHub.Functions.Access;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Functions.Consolidation;
using IntegrationHub.Functions.Datasets;
using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Health;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Functions.Ops;
using IntegrationHub.Functions.Publishing;
using IntegrationHub.Functions.Pull;
using IntegrationHub.Functions.Receipts;
using IntegrationHub.Functions.Reconciliation;
using IntegrationHub.Functions.Resilience;
using IntegrationHub.Functions.Schemas;
using IntegrationHub.Functions.Storage;
using IntegrationHub.Functions.Supply;
using IntegrationHub.Functions.Telemetry;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions;

public static class HubServiceCollectionExtensions
{
    /// <summary>Every service of the hub, registered once for whichever host runs the functions.</summary>
    /// <param name="requireRegexTimeout">
    /// Refuse to start unless schema <c>pattern</c>s run with a timeout (the entry point calls <c>RegexTimeout.Apply()</c>
    /// first). Only a host inside a test runner turns this off: the runner builds a regex before any test code runs,
    /// after which the process-wide default can no longer be set.
    /// </param>
    public static IServiceCollection AddHubServices(this IServiceCollection services, IConfiguration configuration, bool requireRegexTimeout = true)
    {
        // First, so the Azure SDK's tracing switch is on before any client is built.
        services.AddHubTelemetry(configuration);
        services.AddOptions<IntakeLimits>().Bind(configuration.GetSection(IntakeLimits.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AccessOptions>().Bind(configuration.GetSection(AccessOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccessOptions>>(
            _ => new AccessOptionsValidation(inAzure: HubSettings.RunsInAzure(configuration)));
        services.AddSingleton<RequestRateLimits>();
        services.AddOpsSignIn(configuration);
        services.AddAudit();
        services.AddSingleton<AccessGate>();
        services.AddSingleton(sp => new DailyPushQuota(
            sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<AccessGate>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DailyPushQuota>>()));
        services.AddSingleton<HubRequestPipeline>();

        // Schemas compiled and reference data validated once, at start-up.
        services.AddSingleton(sp => new HubCore(sp.GetRequiredService<IOptions<IntakeLimits>>().Value,
            requireRegexTimeout, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => sp.GetRequiredService<HubCore>().Validator);
        services.AddSingleton(sp => new SchemaDirectory(sp.GetRequiredService<HubCore>().Schemas));

        // The schema evolution gate: the app's own feed schemas pass it or the app does not start; stored feeds are
        // replayed in the background, and a version they prove incompatible is held.
        services.AddSingleton(_ => FeedSchemaSet.Embedded());
        services.AddOptions<SchemaGateOptions>().Bind(configuration.GetSection(SchemaGateOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<SchemaGateOptions>, SchemaGateValidation>();
        services.AddSingleton<HeldFeedSchemaVersions>();
        services.AddSingleton<StoredFeedSchemaCheck>();

        // Connection string locally (Azurite), service URIs with managed identity in Azure. The retry settings apply to
        // every Azure client the factory builds (the queue publisher's too): bounded, so a request answers 503 while
        // storage is away instead of hanging.
        services.AddAzureClients(clients =>
        {
            clients.AddBlobServiceClient(configuration.GetSection(HubSettings.HubStorageSection))
                .ConfigureOptions((blobOptions, sp) => blobOptions.AddPolicy(sp.GetRequiredService<MissingContainerPolicy>(), HttpPipelinePosition.PerCall));
            clients.ConfigureDefaults(StorageRetry.Apply);
        });

        // The containers exist before the first request under either host, and again after one is found missing.
        services.AddSingleton<MissingContainerSignal>();
        services.AddSingleton<MissingContainerPolicy>();
        services.AddSingleton<HubStorageInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<HubStorageInitializer>());
        // After the containers are being prepared: it reads the landing container.
        services.AddHostedService(sp => sp.GetRequiredService<StoredFeedSchemaCheck>());
        services.AddSingleton<FeedStore>();
        services.AddSingleton<FeedIntake>();
        services.AddReceipts(configuration);
        services.AddSingleton<OrchestrationStarter>();
        services.AddSingleton<FeedProcessing>();
        services.AddSingleton<PeriodLedger>();
        services.AddSingleton<DatasetStore>();
        services.AddSingleton<ConsolidationRecords>();
        services.AddSingleton<ConsolidationDemands>();
        services.AddSingleton<ReadinessProbe>();
        services.AddSingleton(TimeProvider.System);

        services.AddOptions<PullOptions>().Bind(configuration.GetSection(PullOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PullScheduler>();
        services.AddSingleton<SupplyReader>();
        services.AddSingleton(sp => new LateFeedRecords(sp.GetRequiredService<BlobServiceClient>()));
        services.AddSingleton<LateFeedAlerts>();
        services.AddPublishing(configuration);
        services.AddDatasetQueries();
        services.AddOps();
        services.AddReconciliation();
        // Redirects could lead a pull off its allowed host, and a host name could resolve to an internal address: the
        // handler follows no redirect and connects only where PullTargets allows.
        services.AddHttpClient(PullActivities.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => PullTargets.CreateHandler(sp.GetRequiredService<IOptionsMonitor<PullOptions>>()));
        return services;
    }
}
