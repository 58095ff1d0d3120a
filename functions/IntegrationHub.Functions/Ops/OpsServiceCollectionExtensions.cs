using Microsoft.Extensions.DependencyInjection;
using IntegrationHub.Functions.Access;

namespace IntegrationHub.Functions.Ops;

public static class OpsServiceCollectionExtensions
{
    /// <summary>The ops services: instance queries and actions, feed reprocessing, reconciliation, re-consolidation, the task hub's history, replay records and the audit log.</summary>
    public static IServiceCollection AddOps(this IServiceCollection services)
    {
        services.AddSingleton<TaskHubHistory>();
        services.AddSingleton<ReplayRecords>();
        services.AddSingleton<EarlierRuns>();
        services.AddSingleton<AuditReader>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<OpsInstances>();
        services.AddSingleton<FeedReprocessing>();
        services.AddSingleton<Reconciliation>();
        services.AddSingleton<ReconciliationRuns>();
        services.AddSingleton<Reconsolidation>();
        services.AddSingleton<SubscriberRedelivery>();
        return services;
    }
}
