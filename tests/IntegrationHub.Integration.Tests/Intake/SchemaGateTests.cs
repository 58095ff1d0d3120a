using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using IntegrationHub.Core;
using IntegrationHub.Core.Evolution;
using IntegrationHub.Core.Parsing;
using IntegrationHub.Functions;
using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Functions.Resilience;
using IntegrationHub.Functions.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Integration.Tests.Intake;

/// <summary>
/// The schema evolution gate in the app: its own schemas checked with the start-up validation (a breaking minor stops
/// the start), and the feeds it stored replayed after start-up (a minor they prove incompatible is held at intake).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SchemaGateTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly HubCore Core = new(requireRegexTimeout: false);

    private readonly BlobServiceClient blobs = azurite.Blobs;

    public async Task InitializeAsync()
    {
        foreach (var name in HubContainers.All)
        {
            await blobs.GetBlobContainerClient(name).DeleteIfExistsAsync();
        }

        await HubStorageInitializer.EnsureContainersAsync(blobs, CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string RepoSchema(string path) => File.ReadAllText(Path.Combine(RepoPaths.Root, "schemas", "feeds", path));

    /// <summary>The repository's transport 1.0, and its 1.1 with <paramref name="change"/> made to it.</summary>
    private static FeedSchemaSet TransportWith(Action<JsonObject> change)
    {
        var next = JsonNode.Parse(RepoSchema("transport/1.1.schema.json"))!.AsObject();
        change(next);
        return FeedSchemaSet.FromFiles(
            [("transport/1.0.schema.json", RepoSchema("transport/1.0.schema.json")), ("transport/1.1.schema.json", next.ToJsonString())]);
    }

    private static ServiceProvider Hub(FeedSchemaSet? schemas = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("HubStorage", "UseDevelopmentStorage=true")]).Build();
        var services = new ServiceCollection().AddLogging().AddHubServices(configuration, requireRegexTimeout: false);
        if (schemas is not null)
        {
            services.AddSingleton(schemas);
        }

        return services.BuildServiceProvider();
    }

    [Fact]
    public void Start_TheAppsOwnSchemas_PassAndTheAppStarts()
    {
        using var provider = Hub();

        provider.GetRequiredService<IStartupValidator>().Validate();
        // The stored-feed check is one of the services the host starts.
        Assert.Contains(provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s is StoredFeedSchemaCheck);
    }

    [Fact]
    public void Start_AMinorThatMakesAFieldRequired_RefusesToStartNamingPointerAndRule()
    {
        var required = 0;
        var schemas = TransportWith(s =>
        {
            var list = s["$defs"]!["record"]!["required"]!.AsArray();
            required = list.Count;
            list.Add("transitBoardings10k");
        });
        using var provider = Hub(schemas);

        var refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(
            $"refused  required-added at /$defs/record/required/{required}: 'records[].transitBoardings10k' is required from 1.1 on", refused.Message,
            StringComparison.Ordinal);
        Assert.Contains("REFUSED  transport 1.1", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoredFeeds_OneValidUnder10ButNot11_HoldsTransport11AndIntakeAnswersItsFeeds503()
    {
        var store = new FeedStore(blobs);
        var intake = NewIntake(new HeldFeedSchemaVersions());
        var stored = await intake.LandAsync("transport", Sample("2020", "transport-2020-01-r0.json"), "push", CancellationToken.None);
        Assert.Equal(IntakeVerdict.Accepted, stored.Verdict);
        // "xjna-transport-tocc" (19 characters) was a valid producer under 1.0; this 1.1 allows 8.
        var schemas = TransportWith(s => s["properties"]!["producer"]!["maxLength"] = 8);
        var held = new HeldFeedSchemaVersions();
        var check = new StoredFeedSchemaCheck(store, schemas, held, Options.Create(new SchemaGateOptions()), Options.Create(new IntakeLimits()),
            NullLogger<StoredFeedSchemaCheck>.Instance);

        var report = await check.RunAsync(CancellationToken.None);

        // The schema's own 1.0 example breaks too; the stored feed is reported by its id.
        var replay =
            Assert.Single(report.Findings, f => f.Rule == EvolutionRules.FeedNoLongerValid && f.Message.StartsWith("stored feed", StringComparison.Ordinal));
        Assert.Equal("/properties/producer/maxLength", replay.Pointer);
        Assert.StartsWith(
            $"stored feed {stored.FeedId} is valid under 1.0 but not under 1.1: at /producer maxLength", replay.Message, StringComparison.Ordinal);
        Assert.True(held.IsHeld("transport", "1.1", out _));
        Assert.Equal([("transport", "1.1")], held.Versions);

        // A feed judged by 1.1 is not landed but answered 503 by the gate.
        var heldIntake = NewIntake(held);
        var unavailable = await Assert.ThrowsAsync<DependencyUnavailableException>(
            () => heldIntake.LandAsync("transport", Sample("2024", "transport-2024-06-r0.json"), "push", CancellationToken.None));
        Assert.Equal(DependencyOutage.SchemaGate, unavailable.Dependency);
        Assert.Single(await Names(HubContainers.Landing));
        // 1.0 is not held: a 1.0 feed (the stored one's correction) is still taken.
        var correction = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(Sample("2020", "transport-2020-01-r0.json"))
            .Replace("\"revision\": 0", "\"revision\": 1", StringComparison.Ordinal));
        Assert.Equal(IntakeVerdict.Accepted, (await heldIntake.LandAsync("transport", correction, "push", CancellationToken.None)).Verdict);
    }

    private FeedIntake NewIntake(HeldFeedSchemaVersions held)
    {
        var starter = new OrchestrationStarter(blobs, TimeProvider.System, NullLogger<OrchestrationStarter>.Instance);
        return new FeedIntake(
            new FeedStore(blobs), Core.Validator, new FeedProcessing(starter, NullLogger<FeedProcessing>.Instance), new ConsolidationRecords(blobs),
            new DatasetStore(blobs), FeedIntakeTests.Receipts, TimeProvider.System, NullLogger<FeedIntake>.Instance, held);
    }

    private static byte[] Sample(params string[] parts) =>
        File.ReadAllBytes(Path.Combine([RepoPaths.Root, "local-dev", "sample-feeds", .. parts]));

    private async Task<List<string>> Names(string container)
    {
        var names = new List<string>();
        await foreach (var item in blobs.GetBlobContainerClient(container).GetBlobsAsync())
        {
            names.Add(item.Name);
        }

        return names;
    }
}
