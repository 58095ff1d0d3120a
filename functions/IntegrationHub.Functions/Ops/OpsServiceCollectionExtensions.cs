using IntegrationHub.Functions.Audit;
using IntegrationHub.Functions.Consolidation;
using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Functions.Publishing;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Functions.Ops;

public static class OpsServiceCollectionExtensions
{
    public static IServiceCollection AddOps(this IServiceCollection services)
    {
        services.AddSingleton<TaskHubHistory>();
        services.AddSingleton<ReplayRecords>();
        services.AddSingleton<EarlierRuns>();
        services.AddAudit();
        services.AddSingleton<OpsInstances>();
        services.AddSingleton<FeedReprocessing>();
        services.AddSingleton<Reconsolidation>();
        services.AddSingleton<SubscriberRedelivery>();
        return services;
    }
}
