using IntegrationHub.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationHub.Functions.Datasets;

public static class DatasetQueryServiceCollectionExtensions
{
    /// <summary>The query API's services; needs <see cref="HubCore"/> and <c>DatasetStore</c> registered.</summary>
    public static IServiceCollection AddDatasetQueries(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => sp.GetRequiredService<HubCore>().Reference);
        services.TryAddSingleton<DatasetQueries>();
        return services;
    }
}
