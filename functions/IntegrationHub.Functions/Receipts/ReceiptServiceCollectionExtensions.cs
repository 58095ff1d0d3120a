using Azure.Security.KeyVault.Keys;
using Azure.Security.KeyVault.Keys.Cryptography;
using IntegrationHub.Functions.Resilience;
using IntegrationHub.Functions.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Receipts;

public static class ReceiptServiceCollectionExtensions
{
    /// <summary>The receipt key (Key Vault when <c>Receipts__KeyId</c> is set, else the local key file) and the issuer.</summary>
    public static IServiceCollection AddReceipts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReceiptOptions>().Bind(configuration.GetSection(ReceiptOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReceiptOptions>>(_ => new ReceiptOptionsValidation(HubSettings.RunsInAzure(configuration)));
        services.AddSingleton<IReceiptKey>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ReceiptOptions>>().Value;
            if (options.KeyId is { Length: > 0 } keyId)
            {
                var identifier = new KeyVaultKeyIdentifier(new Uri(keyId));
                var credential = TelemetryServiceCollectionExtensions.IdentityCredential(configuration);
                var keyOptions = new KeyClientOptions();
                var cryptographyOptions = new CryptographyClientOptions();
                StorageRetry.Apply(keyOptions);
                StorageRetry.Apply(cryptographyOptions);
                return new KeyVaultReceiptKey(
                    new KeyClient(identifier.VaultUri, credential, keyOptions), identifier.Name,
                    kid => new CryptographyClient(kid, credential, cryptographyOptions), sp.GetRequiredService<TimeProvider>());
            }

            var path = options.LocalKeyFile is { Length: > 0 } file ? file : ReceiptOptions.DefaultLocalKeyFile;
            return LocalFileReceiptKey.Open(path, sp.GetRequiredService<ILoggerFactory>().CreateLogger<LocalFileReceiptKey>());
        });
        services.AddSingleton<ReceiptIssuer>();
        services.AddHostedService<ReceiptKeyAtStart>();
        return services;
    }

    // Opens (locally: creates) the key when the host starts, so its log line comes then, not at the first push.
    private sealed class ReceiptKeyAtStart(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = services.GetRequiredService<IReceiptKey>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
