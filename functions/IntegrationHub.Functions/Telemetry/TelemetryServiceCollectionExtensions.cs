using System.Diagnostics;
using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace IntegrationHub.Functions.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>Application Insights' connection string; the exporter is added only when it is set.</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// Client id of a user-assigned managed identity: the one the app's storage connection uses
    /// (<c>AzureWebJobsStorage__clientId</c>). Unset, the app's system-assigned identity sends telemetry.
    /// </summary>
    public const string IdentityClientIdSetting = "AzureWebJobsStorage:clientId";

    /// <summary>
    /// The Azure SDK's ActivitySources ("Azure.*") are experimental and off unless this switch is on. It is read once,
    /// at the SDK's first call, so the app's project file sets it too (a runtimeconfig option, before any code runs).
    /// </summary>
    public const string AzureSdkActivitySwitch = "Azure.Experimental.EnableActivitySource";

    /// <summary>
    /// OpenTelemetry for whichever host runs the functions: the hub's source and meter, HTTP and Azure SDK calls as
    /// dependencies, and the worker's defaults. Exported to Azure Monitor only when <see cref="ConnectionStringSetting"/>
    /// is set, with the app's managed identity, since Application Insights accepts only Entra-authenticated telemetry.
    /// </summary>
    public static IServiceCollection AddHubTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        AppContext.SetSwitch(AzureSdkActivitySwitch, isEnabled: true);

        var telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing
                .AddSource(HubTelemetry.Name)
                .AddSource("Azure.*")
                .AddHttpClientInstrumentation(http => http.FilterHttpRequestMessage = _ => !IsAzureSdkCall(Activity.Current)))
            .WithMetrics(metrics => metrics
                .AddMeter(HubTelemetry.Name)
                .AddHttpClientInstrumentation());

        if (AzureMonitorConnectionString(configuration) is { } connectionString)
        {
            var credential = IdentityCredential(configuration);
            telemetry.UseAzureMonitorExporter(exporter =>
            {
                exporter.ConnectionString = connectionString;
                exporter.Credential = credential;
            });
        }

        return services;
    }

    /// <summary>The connection string when telemetry is to be exported; null when it is not set.</summary>
    public static string? AzureMonitorConnectionString(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[ConnectionStringSetting] is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value : null;
    }

    /// <summary>The app's managed identity: the user-assigned one the storage connection names, else the system-assigned one.</summary>
    public static TokenCredential IdentityCredential(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new ManagedIdentityCredential(configuration[IdentityClientIdSetting] is { Length: > 0 } clientId
            ? ManagedIdentityId.FromUserAssignedClientId(clientId)
            : ManagedIdentityId.SystemAssigned);
    }

    // An Azure SDK call is traced by the SDK itself, with the service's names; its HTTP request would be a second span
    // of the same call. The filter sees the request's own activity, whose parent is then the SDK's.
    private static bool IsAzureSdkCall(Activity? current) =>
        current is not null && (FromAzureSdk(current) || (current.Parent is { } parent && FromAzureSdk(parent)));

    private static bool FromAzureSdk(Activity activity) => activity.Source.Name.StartsWith("Azure.", StringComparison.Ordinal);
}
