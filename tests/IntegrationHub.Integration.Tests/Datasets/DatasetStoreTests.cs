using System.Security.Cryptography;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using IntegrationHub.Functions.Consolidation;
using IntegrationHub.Functions.Storage;
using IntegrationHub.Integration.Tests.Consolidation;
using static IntegrationHub.Integration.Tests.Publishing.PublishingSamples;

namespace IntegrationHub.Integration.Tests.Datasets;

/// <summary>
/// Data-set versions are written once and the <c>latest</c> pointer moves only from what its mover read, on real Blob
/// storage: what keeps a published version's bytes (and the ETag clients cached) true, and two runs from undoing each other.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DatasetStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // Periods no other test class writes, and earlier than the 2039 ones whose "latest" the query tests expect.
    private const string WriteOnce = "2031-Q1";
    private const string Retried = "2031-Q2";
    private const string Race = "2031-Q3";
    private const string FirstPointer = "2031-Q4";
    private const string Backwards = "2032-Q1";
    private const string MovedMeanwhile = "2032-Q2";
    private const string MovedTwice = "2032-Q3";

    private static readonly string[] Periods = [WriteOnce, Retried, Race, FirstPointer, Backwards, MovedMeanwhile, MovedTwice];

    private readonly DatasetStore store = new(azurite.Blobs);

    public async Task InitializeAsync()
    {
        foreach (var period in Periods)
        {
            await ConsolidationSteps.ForgetDatasetsAsync(azurite.Blobs, period);
        }
    }

    public async Task DisposeAsync()
    {
        // A pointer left behind would count among the published data sets that other classes list.
        foreach (var period in Periods)
        {
            await ConsolidationSteps.ForgetDatasetsAsync(azurite.Blobs, period);
        }
    }

    [Fact]
    public async Task WriteVersion_DifferentDocumentUnderAStoredNumber_IsTakenAndTheStoredBytesStay()
    {
        var first = Dataset(WriteOnce, 1, "partial", ("430104", "energy.totalTce", 600));
        var rival = Dataset(WriteOnce, 1, "complete", ("430104", "energy.totalTce", 650));
        Assert.Equal(VersionWrite.Written, (await store.WriteVersionAsync(first, CancellationToken.None)).Outcome);

        var (outcome, _) = await store.WriteVersionAsync(rival, CancellationToken.None);

        Assert.Equal(VersionWrite.Taken, outcome);
        Assert.Equal(DatasetStore.Serialise(first), await StoredBytes(WriteOnce, 1));
        Assert.Equal([1], await store.ListVersionsAsync(WriteOnce, CancellationToken.None));
    }

    [Fact]
    public async Task WriteVersion_SameDocumentAgain_IsAlreadyThereWithItsHashAndNothingIsRewritten()
    {
        // What a retried BuildDataset does: write the version it wrote before the retry.
        var document = Dataset(Retried, 1, "complete", ("XJNA", "energy.totalTce", 1000));
        var first = await store.WriteVersionAsync(document, CancellationToken.None);
        var before = await Version(Retried, 1).GetPropertiesAsync();

        var again = await store.WriteVersionAsync(document, CancellationToken.None);

        Assert.Equal(VersionWrite.Written, first.Outcome);
        Assert.Equal(VersionWrite.AlreadyThere, again.Outcome);
        var bytes = DatasetStore.Serialise(document);
        Assert.Equal(Sha256(bytes), again.Sha256);
        Assert.Equal(bytes, await StoredBytes(Retried, 1));
        Assert.Equal(before.Value.ETag, (await Version(Retried, 1).GetPropertiesAsync()).Value.ETag);
    }

    [Fact]
    public async Task MovePointer_ETagReadBeforeAnotherWriterMovedIt_IsRefusedAndTheOtherWritersPointerStays()
    {
        var shas = await WriteVersions(Race, 3);
        Assert.True(await store.MovePointerAsync(Pointer(Race, 1, shas[0], 10), expected: null, CancellationToken.None));
        // Two runs read the same pointer; the other one moves it first.
        var read = (await store.GetPointerAsync(Race, CancellationToken.None))!.Value;
        Assert.True(await store.MovePointerAsync(Pointer(Race, 2, shas[1], 11), read.ETag, CancellationToken.None));

        var moved = await store.MovePointerAsync(Pointer(Race, 3, shas[2], 12), read.ETag, CancellationToken.None);

        Assert.False(moved);
        var current = (await store.GetPointerAsync(Race, CancellationToken.None))!.Value.Pointer;
        Assert.Equal((2, shas[1], 11L), (current.Version, current.Sha256, current.GenerationOf(2031)));
    }

    [Fact]
    public async Task MovePointer_FirstPointerOfAPeriodTwice_SecondIsRefusedAndTheFirstStays()
    {
        var shas = await WriteVersions(FirstPointer, 2);
        Assert.True(await store.MovePointerAsync(Pointer(FirstPointer, 1, shas[0], 4), expected: null, CancellationToken.None));

        var moved = await store.MovePointerAsync(Pointer(FirstPointer, 2, shas[1], 5), expected: null, CancellationToken.None);

        Assert.False(moved);
        var current = (await store.GetPointerAsync(FirstPointer, CancellationToken.None))!.Value.Pointer;
        Assert.Equal((1, shas[0]), (current.Version, current.Sha256));
    }

    [Fact]
    public async Task BeginConsolidation_PointerMovedTwiceByOneRun_ReportsThePointerAsTheRunFoundIt()
    {
        var shas = await WriteVersions(MovedTwice, 2);
        var steps = ConsolidationSteps.On(azurite.Blobs, azurite.ConnectionString);
        Assert.Equal(new Dictionary<string, long>(), (await steps.BeginConsolidation(MovedTwice, CancellationToken.None)).Consolidated);
        await steps.MoveLatest(new PointerMove(MovedTwice, 1, shas[0], Generations(MovedTwice, 3)), CancellationToken.None);

        var begun = await steps.BeginConsolidation(MovedTwice, CancellationToken.None);
        await steps.MoveLatest(new PointerMove(MovedTwice, 2, shas[1], Generations(MovedTwice, 8)), CancellationToken.None);
        var again = await steps.MoveLatest(new PointerMove(MovedTwice, 2, shas[1], Generations(MovedTwice, 8)), CancellationToken.None);

        // The move run again answers what it wrote itself; the run's start still says what v1 had taken in.
        Assert.Equal(Generations(MovedTwice, 8), again);
        Assert.Equal(Generations(MovedTwice, 3), begun.Consolidated);
    }

    [Fact]
    public async Task MoveLatest_ToAVersionOlderThanThePointer_FailsNamingBothAndThePointerStays()
    {
        var shas = await WriteVersions(Backwards, 2);
        var steps = ConsolidationSteps.On(azurite.Blobs, azurite.ConnectionString);
        await steps.MoveLatest(new PointerMove(Backwards, 1, shas[0], Generations(Backwards, 3)), CancellationToken.None);
        await steps.MoveLatest(new PointerMove(Backwards, 2, shas[1], Generations(Backwards, 4)), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => steps.MoveLatest(new PointerMove(Backwards, 1, shas[0], Generations(Backwards, 5)), CancellationToken.None));

        Assert.Contains("v2", refused.Message, StringComparison.Ordinal);
        Assert.Contains("v1", refused.Message, StringComparison.Ordinal);
        var current = (await store.GetPointerAsync(Backwards, CancellationToken.None))!.Value.Pointer;
        Assert.Equal((2, shas[1], 4L), (current.Version, current.Sha256, current.GenerationOf(2032)));
    }

    [Fact]
    public async Task MoveLatest_PointerMovedByAnotherRunAfterItWasRead_FailsAndKeepsTheOtherRunsPointer()
    {
        var shas = await WriteVersions(MovedMeanwhile, 3);
        Assert.True(await store.MovePointerAsync(Pointer(MovedMeanwhile, 1, shas[0], 1), expected: null, CancellationToken.None));

        // The other run's move lands between this step's read of the pointer and its write: the real interleaving of
        // two writers, with the other one let in by this step's own storage pipeline just before its write goes out.
        var otherRun = new DatasetStore(azurite.Blobs);
        var interleaved = new BeforeFirstPointerWrite(MovedMeanwhile, async () =>
        {
            var seen = (await otherRun.GetPointerAsync(MovedMeanwhile, CancellationToken.None))!.Value;
            Assert.True(await otherRun.MovePointerAsync(Pointer(MovedMeanwhile, 2, shas[1], 2), seen.ETag, CancellationToken.None));
        });
        var options = new BlobClientOptions();
        options.AddPolicy(interleaved, HttpPipelinePosition.PerCall);
        var steps = ConsolidationSteps.On(new BlobServiceClient(azurite.ConnectionString, options), azurite.ConnectionString);

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(
            () => steps.MoveLatest(new PointerMove(MovedMeanwhile, 3, shas[2], Generations(MovedMeanwhile, 3)), CancellationToken.None));

        Assert.True(interleaved.Fired);
        Assert.Contains(MovedMeanwhile, failed.Message, StringComparison.Ordinal);
        var current = (await store.GetPointerAsync(MovedMeanwhile, CancellationToken.None))!.Value.Pointer;
        Assert.Equal((2, shas[1], 2L), (current.Version, current.Sha256, current.GenerationOf(2032)));
    }

    private static Dictionary<string, long> Generations(string period, long generation) =>
        new(StringComparer.Ordinal) { [period[..4]] = generation, ["2020"] = 0 };

    private static DatasetPointer Pointer(string period, int version, string sha, long generation) =>
        new(period, version, sha, Generations(period, generation));

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Versions 1 to <paramref name="count"/>, each with a different figure; their hashes in order.</summary>
    private async Task<string[]> WriteVersions(string period, int count)
    {
        var shas = new string[count];
        for (var version = 1; version <= count; version++)
        {
            var (outcome, sha) =
                await store.WriteVersionAsync(Dataset(period, version, "partial", ("XJNA", "energy.totalTce", 1000 + version)), CancellationToken.None);
            Assert.Equal(VersionWrite.Written, outcome);
            shas[version - 1] = sha;
        }

        return shas;
    }

    private BlobClient Version(string period, int version) =>
        azurite.Blobs.GetBlobContainerClient(HubContainers.Datasets).GetBlobClient(DatasetStore.VersionPath(period, version));

    private async Task<byte[]> StoredBytes(string period, int version) => (await Version(period, version).DownloadContentAsync()).Value.Content.ToArray();

    /// <summary>Runs another writer once, just before the first write of a period's pointer goes out through this pipeline.</summary>
    private sealed class BeforeFirstPointerWrite(string period, Func<Task> otherWriter) : HttpPipelinePolicy
    {
        private int fired;

        public bool Fired => Volatile.Read(ref fired) == 1;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (TakesTurn(message))
            {
                otherWriter().GetAwaiter().GetResult();
            }

            ProcessNext(message, pipeline);
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (TakesTurn(message))
            {
                await otherWriter();
            }

            await ProcessNextAsync(message, pipeline);
        }

        private bool TakesTurn(HttpMessage message) =>
            message.Request.Method == RequestMethod.Put
            && message.Request.Uri.Path.EndsWith($"/{HubContainers.Datasets}/{period}/latest.json", StringComparison.Ordinal)
            && Interlocked.Exchange(ref fired, 1) == 0;
    }
}
