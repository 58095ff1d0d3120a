using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using IntegrationHub.Functions.Storage;

namespace IntegrationHub.Integration.Tests.Storage;

/// <summary>
/// The period ledger on real storage: concurrent recorders each get their own generation and none is lost, a log
/// split into segments still reads in order, a year an older build kept as one document keeps its generations, and a
/// feed recorded twice (an activity run again) counts once.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PeriodLedgerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // Years no other test class uses.
    private const int Concurrent = 2071;
    private const int Segmented = 2072;
    private const int Legacy = 2073;
    private const int Repeated = 2074;
    private const int ReadWhileWritten = 2075;
    private const int Ranged = 2076;
    private const int LongLines = 2077;

    public async Task InitializeAsync()
    {
        await HubStorageInitializer.EnsureContainersAsync(azurite.Blobs, CancellationToken.None);
        foreach (var year in new[] { Concurrent, Segmented, Legacy, Repeated, ReadWhileWritten, Ranged, LongLines })
        {
            await ForgetAsync(year);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task RecordAsync_200FeedsAtOnce_EachGetsItsOwnGenerationAndAllAreRead()
    {
        var ledger = new PeriodLedger(azurite.Blobs);

        var recorded = await Task.WhenAll(Enumerable.Range(1, 200).Select(i => ledger.RecordAsync(Concurrent, Entry(Concurrent, i), CancellationToken.None)));

        // 200 feeds on an empty year: generations 1 to 200, one each, whatever order the service took them in.
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), recorded.Select(e => e.Generation).Order());
        var document = await new PeriodLedger(azurite.Blobs).ReadAsync(Concurrent, CancellationToken.None);
        Assert.Equal(200, document.Generation);
        Assert.Equal(200, document.Entries.Count);
        Assert.Equal(recorded.OrderBy(e => e.Generation).Select(e => (e.FeedId, e.Generation)), document.Entries.Select(e => (e.FeedId, e.Generation)));
        Assert.Equal(200, await new PeriodLedger(azurite.Blobs).ReadGenerationAsync(Concurrent, CancellationToken.None));
    }

    [Fact]
    public async Task RecordAsync_LogFullerThanASegment_OpensTheNextAndGenerationsKeepTheirOrder()
    {
        // Room for two or three lines per segment, so ten feeds need several segments.
        var ledger = new PeriodLedger(azurite.Blobs, segmentBytes: 700);
        var recorded = new List<LedgerEntry>();
        for (var i = 1; i <= 10; i++)
        {
            recorded.Add(await ledger.RecordAsync(Segmented, Entry(Segmented, i), CancellationToken.None));
        }

        var segments = new List<string>();
        await foreach (var blob in
            azurite.Blobs.GetBlobContainerClient(HubContainers.Ledger).GetBlobsAsync(
                new GetBlobsOptions { Prefix = $"log/{Segmented}/" }))
        {
            segments.Add(blob.Name);
        }

        Assert.True(segments.Count >= 3, $"ten feeds in segments of 700 bytes: {string.Join(", ", segments)}");
        Assert.Equal(recorded.Select(e => e.Generation).Order(), recorded.Select(e => e.Generation));
        Assert.Equal(10, recorded.Select(e => e.Generation).Distinct().Count());

        var document = await new PeriodLedger(azurite.Blobs).ReadAsync(Segmented, CancellationToken.None);
        Assert.Equal(recorded.Select(e => (e.FeedId, e.Generation)), document.Entries.Select(e => (e.FeedId, e.Generation)));
        Assert.Equal(recorded[^1].Generation, document.Generation);
        Assert.Equal(recorded[^1].Generation, await new PeriodLedger(azurite.Blobs).ReadGenerationAsync(Segmented, CancellationToken.None));
    }

    [Fact]
    public async Task RecordAsync_YearAnOlderBuildKeptAsOneDocument_KeepsItsFeedsAndNumbersAfterThem()
    {
        var older = new LedgerDocument(Legacy, 5, [Entry(Legacy, 1) with { Generation = 4 }, Entry(Legacy, 2) with { Generation = 5 }]);
        await azurite.Blobs.GetBlobContainerClient(HubContainers.Ledger).GetBlobClient($"{Legacy}.json")
            .UploadAsync(BinaryData.FromObjectAsJson(older, IntegrationHub.Core.HubJson.Options), overwrite: true);

        var ledger = new PeriodLedger(azurite.Blobs);
        var recorded = await ledger.RecordAsync(Legacy, Entry(Legacy, 3), CancellationToken.None);

        Assert.Equal(6, recorded.Generation);
        var document = await ledger.ReadAsync(Legacy, CancellationToken.None);
        Assert.Equal([(Id(Legacy, 1), 4L), (Id(Legacy, 2), 5L), (Id(Legacy, 3), 6L)], document.Entries.Select(e => (e.FeedId, e.Generation)));
        Assert.Equal(6, document.Generation);
        Assert.Contains(Legacy, (await ledger.ReadYearsAsync(Legacy, CancellationToken.None)).Select(d => d.Year));
    }

    [Fact]
    public async Task RecordAsync_SameFeedTwice_CountsOnceAtItsFirstGeneration()
    {
        var ledger = new PeriodLedger(azurite.Blobs);
        var first = await ledger.RecordAsync(Repeated, Entry(Repeated, 1), CancellationToken.None);
        await ledger.RecordAsync(Repeated, Entry(Repeated, 2), CancellationToken.None);
        await ledger.RecordAsync(Repeated, Entry(Repeated, 1), CancellationToken.None);

        var document = await ledger.ReadAsync(Repeated, CancellationToken.None);

        Assert.Equal([(Id(Repeated, 1), first.Generation), (Id(Repeated, 2), 2L)], document.Entries.Select(e => (e.FeedId, e.Generation)));
        // The repeat still moved the generation: a consolidation that read 3 has seen everything recorded.
        Assert.Equal(3, document.Generation);
    }

    [Fact]
    public async Task ReadAsync_WhileFeedsAreRecorded_ReadsAPrefixEachTimeAndEndsWhereAWholeReadEnds()
    {
        var ledger = new PeriodLedger(azurite.Blobs);
        await ledger.RecordAsync(ReadWhileWritten, Entry(ReadWhileWritten, 0), CancellationToken.None);
        var writing = Task.WhenAll(Enumerable.Range(1,
            300).Select(i => ledger.RecordAsync(ReadWhileWritten, Entry(ReadWhileWritten, i), CancellationToken.None)));
        var reads = 0;
        while (!writing.IsCompleted)
        {
            // The same instance each time: it reads only what was appended since its last read.
            var document = await ledger.ReadAsync(ReadWhileWritten, CancellationToken.None);
            Assert.Equal(document.Generation, document.Entries.Count);
            reads++;
        }

        await writing;
        Assert.True(reads > 0);
        var incremental = await ledger.ReadAsync(ReadWhileWritten, CancellationToken.None);
        var whole = await new PeriodLedger(azurite.Blobs).ReadAsync(ReadWhileWritten, CancellationToken.None);
        Assert.Equal(301, incremental.Entries.Count);
        Assert.Equal(whole.Entries, incremental.Entries);
    }

    [Fact]
    public async Task ReadAsync_LogLargerThanTheReadRange_ReadsItInBoundedRangesAndEveryEntryOnce()
    {
        var ledger = new PeriodLedger(azurite.Blobs);
        var recorded = await Task.WhenAll(Enumerable.Range(1, 40).Select(i => ledger.RecordAsync(Ranged, Entry(Ranged, i), CancellationToken.None)));
        var bytes = (await SegmentAsync(Ranged).GetPropertiesAsync()).Value.ContentLength;
        Assert.True(bytes > 5_000, $"40 entries of about 230 bytes, several ranges: {bytes}");

        // A fresh reader whose ranges (1,000 bytes) end inside lines, as the 256 KiB default does on a big year.
        var downloads = new List<(long Asked, long Answered)>();
        var reader = new PeriodLedger(Recording(downloads), readRangeBytes: 1000);
        var document = await reader.ReadAsync(Ranged, CancellationToken.None);

        Assert.Equal(recorded.OrderBy(e => e.Generation).Select(e => (e.FeedId, e.Generation)), document.Entries.Select(e => (e.FeedId, e.Generation)));
        Assert.Equal(40, document.Generation);
        Assert.All(downloads, d => Assert.InRange(d.Answered, 0, 1000));
        Assert.True(downloads.Count >= bytes / 1000, $"{bytes} bytes in {downloads.Count} reads");

        // Appended later: the same reader reads on from the last whole line, in ranges again.
        await ledger.RecordAsync(Ranged, Entry(Ranged, 41), CancellationToken.None);
        downloads.Clear();
        var later = await reader.ReadAsync(Ranged, CancellationToken.None);
        Assert.Equal(41, later.Entries.Count);
        Assert.Equal(Id(Ranged, 41), later.Entries[^1].FeedId);
        Assert.All(downloads, d => Assert.InRange(d.Answered, 0, 1000));
    }

    [Fact]
    public async Task ReadAsync_LineLongerThanTheReadRange_StillReadsIt()
    {
        var ledger = new PeriodLedger(azurite.Blobs);
        for (var i = 1; i <= 3; i++)
        {
            await ledger.RecordAsync(LongLines, Entry(LongLines, i), CancellationToken.None);
        }

        // 100 bytes is a third of one entry.
        var document = await new PeriodLedger(azurite.Blobs, readRangeBytes: 100).ReadAsync(LongLines, CancellationToken.None);

        Assert.Equal([Id(LongLines, 1), Id(LongLines, 2), Id(LongLines, 3)], document.Entries.Select(e => e.FeedId));
    }

    private BlobServiceClient Recording(List<(long Asked, long Answered)> downloads)
    {
        var options = new BlobClientOptions();
        options.AddPolicy(new DownloadRecorder(downloads), HttpPipelinePosition.PerCall);
        return new BlobServiceClient(azurite.ConnectionString, options);
    }

    private BlobClient SegmentAsync(int year) =>
        azurite.Blobs.GetBlobContainerClient(HubContainers.Ledger).GetBlobClient(PeriodLedger.SegmentName(year, 0));

    // Every blob GET with the bytes it asked for (0 when unbounded) and the bytes the answer carried.
    private sealed class DownloadRecorder(List<(long Asked, long Answered)> downloads) : HttpPipelineSynchronousPolicy
    {
        public override void OnReceivedResponse(HttpMessage message)
        {
            if (message.Request.Method != RequestMethod.Get || message.Request.Uri.Query.Contains("comp=", StringComparison.Ordinal))
            {
                return;
            }

            var asked = message.Request.Headers.TryGetValue("x-ms-range", out var range) && range.Contains('-', StringComparison.Ordinal)
                && long.TryParse(range[(range.IndexOf('=', StringComparison.Ordinal) + 1)..range.IndexOf('-', StringComparison.Ordinal)], out var from)
                && long.TryParse(range[(range.IndexOf('-', StringComparison.Ordinal) + 1)..], out var to) ? to - from + 1 : 0;
            var answered = message.Response.Headers.ContentLength ?? 0;
            lock (downloads)
            {
                downloads.Add((asked, message.Response.Status == 416 ? 0 : answered));
            }
        }
    }

    private static string Id(int year, int n) => $"power-grid:{year}-{(n % 12) + 1:D2}:r{n}";

    private static LedgerEntry Entry(int year, int n) =>
        new(Id(year, n), "power-grid", $"{year}-{(n % 12) + 1:D2}", n, "2.0", $"power-grid/{year}-{(n % 12) + 1:D2}/{Id(year, n)}.json", 0);

    private async Task ForgetAsync(int year)
    {
        var container = azurite.Blobs.GetBlobContainerClient(HubContainers.Ledger);
        await container.GetBlobClient($"{year}.json").DeleteIfExistsAsync();
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = $"log/{year}/" }))
        {
            await container.GetBlobClient(blob.Name).DeleteIfExistsAsync();
        }
    }
}
