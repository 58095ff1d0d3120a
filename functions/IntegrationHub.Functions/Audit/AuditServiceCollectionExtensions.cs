using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationHub.Functions.Audit;

public static class AuditServiceCollectionExtensions
{
    // Try: every folder that writes or reads the log may ask for it.
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<AuditReader>();
        return services;
    }
}
