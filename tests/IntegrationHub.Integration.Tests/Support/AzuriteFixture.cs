using Azure.Storage.Blobs;

namespace IntegrationHub.Integration.Tests;

/// <summary>The shared <see cref="AzuriteInstance"/>, started once for every class in the Azurite collection.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteInstance? azurite;

    public string ConnectionString => (azurite ?? throw new InvalidOperationException("Azurite is not started yet.")).ConnectionString;

    public BlobServiceClient Blobs => new(ConnectionString);

    public async Task InitializeAsync() => azurite = await AzuriteInstance.StartAsync();

    public Task DisposeAsync()
    {
        azurite?.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
