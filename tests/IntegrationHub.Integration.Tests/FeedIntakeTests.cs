using Azure.Storage.Blobs;
using IntegrationHub.Core;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Functions.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Integration.Tests;

/// <summary>Push intake on real Blob storage (Azurite): land first, write-once, quarantine with the reason.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class FeedIntakeTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // The test runner builds regexes before test code runs; see the Core tests' TestCore for why this is opted out here.
    private static readonly HubCore Core = new(requireRegexTimeout: false);

    private readonly BlobServiceClient blobs = azurite.Blobs;
    private FeedIntake intake = null!;

    public async Task InitializeAsync()
    {
        // Each test class works in its own storage state: wipe the hub's containers first.
        foreach (var name in HubContainers.All)
        {
            await blobs.GetBlobContainerClient(name).DeleteIfExistsAsync();
        }

        var store = new FeedStore(blobs);
        await HubStorageInitializer.EnsureContainersAsync(blobs, CancellationToken.None);
        intake = new FeedIntake(store, Core.Validator, NullLogger<FeedIntake>.Instance);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static byte[] Sample(params string[] parts) =>
        File.ReadAllBytes(Path.Combine([AzuriteFixture.RepoRoot(), "local-dev", "sample-feeds", .. parts]));

    private async Task<List<string>> BlobNames(string container)
    {
        var names = new List<string>();
        await foreach (var item in blobs.GetBlobContainerClient(container).GetBlobsAsync())
        {
            names.Add(item.Name);
        }

        return names;
    }

    [Fact]
    public async Task Receive_ValidFeed_LandsTheExactBytesAndRecordsItValidated()
    {
        var body = Sample("2024", "power-grid-2024-06-r0.json");

        var outcome = await intake.ReceiveAsync("power-grid", body, CancellationToken.None);

        Assert.Equal(IntakeVerdict.Accepted, outcome.Verdict);
        var landed = Assert.Single(await BlobNames(HubContainers.Landing));
        Assert.StartsWith("power-grid/", landed, StringComparison.Ordinal);
        var stored = await blobs.GetBlobContainerClient(HubContainers.Landing).GetBlobClient(landed).DownloadContentAsync();
        Assert.Equal(body, stored.Value.Content.ToArray());
        var status = await intake.GetStatusAsync(outcome.FeedId, CancellationToken.None);
        Assert.Equal(FeedState.Validated, status!.State);
        Assert.Empty(await BlobNames(HubContainers.Quarantine));
    }

    [Fact]
    public async Task Receive_SameBytesAgain_IsADuplicateWithTheSameIdAndNothingNewStored()
    {
        var body = Sample("2024", "transport-2024-06-r0.json");
        var first = await intake.ReceiveAsync("transport", body, CancellationToken.None);

        var second = await intake.ReceiveAsync("transport", body, CancellationToken.None);

        Assert.Equal(IntakeVerdict.Accepted, first.Verdict);
        Assert.Equal(IntakeVerdict.Duplicate, second.Verdict);
        Assert.Equal(first.FeedId, second.FeedId);
        Assert.Single(await BlobNames(HubContainers.Landing));
    }

    [Fact]
    public async Task Receive_SameBytesAgain_LogsADuplicateWithoutClaimingNothingStarted()
    {
        // The push function still makes sure the feed's run exists and starts it when storage lost it (a power loss
        // on the local stack), so the intake's own line must not say that nothing started.
        var lines = new List<string>();
        var logged = new FeedIntake(new FeedStore(blobs), Core.Validator, new ListLogger<FeedIntake>(lines));
        var body = Sample("2024", "transport-2024-06-r0.json");
        await logged.ReceiveAsync("transport", body, CancellationToken.None);

        var second = await logged.ReceiveAsync("transport", body, CancellationToken.None);

        Assert.Equal(IntakeVerdict.Duplicate, second.Verdict);
        var line = Assert.Single(lines, l => l.Contains("received again", StringComparison.Ordinal));
        Assert.Equal($"Feed {second.FeedId} from transport received again; its verdict was recorded before", line);
    }

    private sealed class ListLogger<T>(List<string> lines) : Microsoft.Extensions.Logging.ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (lines)
            {
                lines.Add(formatter(state, exception));
            }
        }
    }

    [Fact]
    public async Task Receive_SameFeedPushedConcurrently_IsAcceptedExactlyOnce()
    {
        var body = Sample("2024", "environment-2024-07-r0.json");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => intake.ReceiveAsync("environment", body, CancellationToken.None)));

        Assert.Single(outcomes, o => o.Verdict == IntakeVerdict.Accepted);
        Assert.Equal(7, outcomes.Count(o => o.Verdict == IntakeVerdict.Duplicate));
        Assert.Single(outcomes.Select(o => o.FeedId).Distinct());
        Assert.Single(await BlobNames(HubContainers.Landing));
    }

    [Fact]
    public async Task Receive_InvalidFeed_IsQuarantinedWithItsReportAndTheBytesKept()
    {
        var body = Sample("invalid", "nev-exceeds-total.json");

        var outcome = await intake.ReceiveAsync("transport", body, CancellationToken.None);

        Assert.Equal(IntakeVerdict.Rejected, outcome.Verdict);
        var status = await intake.GetStatusAsync(outcome.FeedId, CancellationToken.None);
        Assert.Equal(FeedState.Quarantined, status!.State);
        Assert.Contains(status.Report!.Errors, e => e.Keyword == "rule:nev-le-total");
        Assert.Equal($"transport/{outcome.FeedId}.json", Assert.Single(await BlobNames(HubContainers.Quarantine)));
        var landed = await blobs.GetBlobContainerClient(HubContainers.Landing).GetBlobClient(Assert.Single(await BlobNames(HubContainers.Landing))).DownloadContentAsync();
        Assert.Equal(body, landed.Value.Content.ToArray());
    }

    [Fact]
    public async Task Receive_UnreadableBytes_AreStillLandedAndQuarantined()
    {
        var body = "{\"source\": \"statistics\", \"records\": ["u8.ToArray();

        var outcome = await intake.ReceiveAsync("statistics", body, CancellationToken.None);

        Assert.Equal(IntakeVerdict.Rejected, outcome.Verdict);
        Assert.Equal("parse:invalid-json", Assert.Single(outcome.Report.Errors).Keyword);
        Assert.Single(await BlobNames(HubContainers.Landing));
        Assert.Single(await BlobNames(HubContainers.Quarantine));
    }

    [Fact]
    public async Task Land_SameBytesTwice_NeverOverwritesTheFirstWrite()
    {
        var store = new FeedStore(blobs);
        var body = Sample("2024", "statistics-2024-Q4-r0.json");
        var hash = IntegrationHub.Core.Feeds.FeedId.ContentHash(body);

        Assert.True(await store.LandAsync("statistics", hash, body, CancellationToken.None));
        Assert.False(await store.LandAsync("statistics", hash, "{}"u8.ToArray(), CancellationToken.None));

        var stored = await blobs.GetBlobContainerClient(HubContainers.Landing).GetBlobClient(FeedStore.LandingPath("statistics", hash)).DownloadContentAsync();
        Assert.Equal(body, stored.Value.Content.ToArray());
    }

    [Fact]
    public async Task GetStatus_LandedButNotYetJudged_IsReceivedUnderTheIdItsBytesGive_AndThenValidatedUnderTheSameId()
    {
        // A pulled feed is landed by one step and judged by the next: in between, its id is asked for and must be known.
        var store = new FeedStore(blobs);
        var body = Sample("2024", "environment-2024-06-r0.json");
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body));
        var expectedId = $"environment-2024-06-r0-{hash[..16]}";
        Assert.True(await store.LandAsync("environment", hash, body, CancellationToken.None));

        var received = await intake.GetStatusAsync(expectedId, CancellationToken.None);

        Assert.NotNull(received);
        Assert.Equal(FeedState.Received, received.State);
        Assert.Equal(expectedId, received.FeedId);
        Assert.Equal("2024-06", received.Period);
        Assert.Equal($"{HubContainers.Landing}/environment/{hash}.json", received.LandingBlob);
        Assert.Null(received.Report);
        Assert.Empty(await BlobNames(HubContainers.Quarantine));

        // The same hash with another period or revision is another feed: not this one.
        Assert.Null(await intake.GetStatusAsync($"environment-2024-05-r0-{hash[..16]}", CancellationToken.None));
        Assert.Null(await intake.GetStatusAsync($"environment-2024-06-r1-{hash[..16]}", CancellationToken.None));

        var decided = await intake.DecideLandedAsync("environment", hash, CancellationToken.None);
        Assert.Equal(expectedId, decided.FeedId);
        Assert.Equal(FeedState.Validated, (await intake.GetStatusAsync(expectedId, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task GetStatus_UnknownFeedId_IsNull()
    {
        Assert.Null(await intake.GetStatusAsync("transport-2024-06-r0-0000000000000000", CancellationToken.None));
        Assert.Null(await intake.GetStatusAsync("nonsense", CancellationToken.None));
    }
}
