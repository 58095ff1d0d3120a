using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using IntegrationHub.Functions.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Integration.Tests.Telemetry;

/// <summary>
/// The OpenTelemetry registration both hosts share: Azure Monitor is exported to only when Application Insights'
/// connection string is set, and then with the app's managed identity (local auth is off on the component).
/// </summary>
public sealed class TelemetryRegistrationTests
{
    // The shape of a real connection string; nothing is sent in these tests (no provider is built).
    private const string ConnectionString = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://ingest.example.invalid/";

    [Fact]
    public void AddHubTelemetry_WithoutConnectionString_RegistersNoAzureMonitorExporter()
    {
        var services = new ServiceCollection();

        services.AddHubTelemetry(Configuration());

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IConfigureOptions<AzureMonitorExporterOptions>));
        Assert.DoesNotContain(services, d => d.ServiceType.Assembly == typeof(AzureMonitorExporterOptions).Assembly
            || d.ImplementationType?.Assembly == typeof(AzureMonitorExporterOptions).Assembly);
    }

    [Fact]
    public void AddHubTelemetry_BlankConnectionString_RegistersNoAzureMonitorExporter()
    {
        var services = new ServiceCollection();

        services.AddHubTelemetry(Configuration((TelemetryServiceCollectionExtensions.ConnectionStringSetting, "  ")));

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IConfigureOptions<AzureMonitorExporterOptions>));
    }

    [Fact]
    public void AddHubTelemetry_WithConnectionString_ExportsThereWithAManagedIdentityCredential()
    {
        var services = new ServiceCollection();

        services.AddHubTelemetry(Configuration((TelemetryServiceCollectionExtensions.ConnectionStringSetting, ConnectionString)));

        using var provider = services.BuildServiceProvider();
        var exporter = provider.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().Get(Options.DefaultName);
        Assert.Equal(ConnectionString, exporter.ConnectionString);
        Assert.IsType<ManagedIdentityCredential>(exporter.Credential);
    }

    [Fact]
    public void IdentityCredential_WithOrWithoutTheStorageIdentitysClientId_IsAManagedIdentityCredential()
    {
        // The client id itself is inside the credential; what matters here is that no other credential (a developer's
        // CLI login, environment secrets) can ever be picked: Application Insights gets the app's identity or nothing.
        Assert.IsType<ManagedIdentityCredential>(TelemetryServiceCollectionExtensions.IdentityCredential(Configuration()));
        Assert.IsType<ManagedIdentityCredential>(TelemetryServiceCollectionExtensions.IdentityCredential(
            Configuration(("AzureWebJobsStorage:clientId", "11111111-2222-3333-4444-555555555555"))));
    }

    private static IConfiguration Configuration(params (string Name, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Name, s.Value))).Build();
}
