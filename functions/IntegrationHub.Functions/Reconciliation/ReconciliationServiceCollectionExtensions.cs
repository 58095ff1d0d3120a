using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Functions.Reconciliation;

public static class ReconciliationServiceCollectionExtensions
{
    public static IServiceCollection AddReconciliation(this IServiceCollection services)
    {
        services.AddSingleton<Reconciliation>();
        services.AddSingleton<ReconciliationRuns>();
        return services;
    }
}
