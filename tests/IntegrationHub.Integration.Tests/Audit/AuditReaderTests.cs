using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Core;
using IntegrationHub.Functions.Ops;
using IntegrationHub.Functions.Storage;
using IntegrationHub.Functions.Access;

namespace IntegrationHub.Integration.Tests.Audit;

/// <summary>
/// Reading the audit log on real Blob storage: newest first across months and a month's parts, a page at a time, filtered
/// on the hub's side, without downloading a month. The log is written here in 2080, a year no other test writes (the
/// request pipeline tests write from 2090 on); every read is bounded to it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AuditReaderTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2080, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly AuditFilter Year2080 = AuditFilter.None with { From = Start, To = Start.AddYears(1).AddTicks(-1) };

    // Blob, entries: written in this order, so later blobs hold later entries. Part 10 of February comes after part 2
    // (names sort "02-10" before "02-2"); March is the biggest, with lines crossing many 256 KiB ranges.
    private static readonly (string Blob, int Count)[] Layout =
        [("2080/01.jsonl", 1500), ("2080/01-2.jsonl", 1500), ("2080/02.jsonl", 40), ("2080/02-2.jsonl", 30), ("2080/02-10.jsonl", 20), ("2080/03.jsonl", 9000)];

    private static readonly SemaphoreSlim Written = new(1, 1);
    private static List<AuditEntry>? log;

    private readonly CountingPolicy counter = new();

    public async Task InitializeAsync()
    {
        await Written.WaitAsync();
        try
        {
            log ??= await WriteLogAsync(azurite.Blobs);
        }
        finally
        {
            Written.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ReadAsync_PagedThroughWithTokens_EveryEntryOnceNewestFirstAcrossPartsAndMonths()
    {
        var read = await ReadAllAsync(Year2080, limit: 700);

        Assert.Equal(log!.Count, read.Count);
        Assert.Equal(log.AsEnumerable().Reverse().Select(e => e.Target), read.Select(e => e.Target));
    }

    [Fact]
    public async Task ReadAsync_FilteredByActionActorOutcomeAndTime_OnlyThoseNewestFirst()
    {
        var filter = Year2080 with
        {
            Actions = new HashSet<string>(["REWIND"], StringComparer.OrdinalIgnoreCase),
            Actors = new HashSet<string>(["ops"], StringComparer.OrdinalIgnoreCase),
            Outcomes = new HashSet<string>(["refused"], StringComparer.OrdinalIgnoreCase),
            From = Start.AddSeconds(1000),
            To = Start.AddMonths(2).AddSeconds(7000),
        };

        var read = await ReadAllAsync(filter, limit: 7);

        // By hand: entry i is a rewind when i % 97 == 0, refused when i is odd, by ops unless i % 5 == 0. The range holds
        // January from entry 1000 on (its second 1000), all 90 of February and March's first 7001 (3090 … 10090). There
        // the multiples 97k have k = 11 … 104; odd k: 47; less the 9 odd multiples of 5 (15, 25, … 95): 38, from
        // 97 × 103 = 9991 down to 97 × 11 = 1067.
        var expected = Enumerable.Range(1000, 9091).Where(i => i % 97 == 0 && i % 2 == 1 && i % 5 != 0).Reverse().Select(i => $"instance-{i}").ToList();
        Assert.Equal(38, expected.Count);
        Assert.Equal(("instance-9991", "instance-1067"), (expected[0], expected[^1]));
        Assert.Equal(expected, read.Select(e => e.Target));
    }

    [Fact]
    public async Task ReadAsync_FirstPageOfABigMonth_DownloadsAFewRangesNotTheMonth()
    {
        var blobs = new BlobServiceClient(azurite.ConnectionString, Counted());
        var march = await blobs.GetBlobContainerClient(HubContainers.Audit).GetBlobClient("2080/03.jsonl").GetPropertiesAsync();

        var page = await new AuditReader(blobs).ReadAsync(Year2080, 50, null, CancellationToken.None);

        Assert.Equal(log!.TakeLast(50).Reverse().Select(e => e.Target), page.Entries.Select(e => e.Target));
        Assert.NotNull(page.ContinuationToken);
        Assert.True(march.Value.ContentLength > 4 * AuditReader.ChunkBytes,
            $"March should be far bigger than a range; it has {march.Value.ContentLength} bytes.");
        Assert.True(counter.Downloaded <= AuditReader.ChunkBytes, $"One range should hold the newest 50 lines; {counter.Downloaded} bytes were downloaded.");
    }

    [Fact]
    public async Task ReadAsync_FilterMatchingNothing_StopsAtTheByteBudgetWithATokenThenGoesOn()
    {
        const long budget = 1024 * 1024;
        var nobody = Year2080 with { Actors = new HashSet<string>(["nobody"], StringComparer.Ordinal) };
        var reader = new AuditReader(new BlobServiceClient(azurite.ConnectionString, Counted())) { BytesPerAnswer = budget };
        var perAnswer = new List<long>();
        AuditPosition? after = null;
        do
        {
            var before = counter.Downloaded;
            var page = await reader.ReadAsync(nobody, 10, after, CancellationToken.None);
            perAnswer.Add(counter.Downloaded - before);
            Assert.Empty(page.Entries);
            after = page.ContinuationToken is { } token && AuditPosition.TryParse(token, out var next) ? next : null;
        }
        while (after is not null && perAnswer.Count < 100);

        // Each answer stops once it has read the budget (the range it was in finishes it); together they read the whole log.
        var total = await LogBytesAsync();
        Assert.True(perAnswer.Count >= total / budget, $"{perAnswer.Count} answers for {total} bytes with a budget of {budget}.");
        Assert.All(perAnswer, bytes => Assert.True(bytes <= budget + (2 * AuditReader.ChunkBytes), $"One answer read {bytes} bytes."));
        Assert.True(perAnswer.Sum() >= total, $"Every byte of the log should have been read: {perAnswer.Sum()} of {total}.");
    }

    private async Task<long> LogBytesAsync()
    {
        long total = 0;
        foreach (var (blob, _) in Layout)
        {
            total += (await azurite.Blobs.GetBlobContainerClient(HubContainers.Audit).GetBlobClient(blob).GetPropertiesAsync()).Value.ContentLength;
        }

        return total;
    }

    private async Task<List<AuditEntry>> ReadAllAsync(AuditFilter filter, int limit)
    {
        var reader = new AuditReader(azurite.Blobs);
        var entries = new List<AuditEntry>();
        AuditPosition? after = null;
        for (var pages = 0; pages < 1000; pages++)
        {
            var page = await reader.ReadAsync(filter, limit, after, CancellationToken.None);
            Assert.True(page.Entries.Count <= limit);
            entries.AddRange(page.Entries);
            if (page.ContinuationToken is null)
            {
                return entries;
            }

            Assert.True(AuditPosition.TryParse(page.ContinuationToken, out after), page.ContinuationToken);
        }

        throw new InvalidOperationException("The continuation tokens should come to an end.");
    }

    private BlobClientOptions Counted()
    {
        var options = new BlobClientOptions();
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        return options;
    }

    // The log: entry i in its blob's month, one a second from the month's start (a month's second part goes on from its
    // first), with details of varying length so that lines cross range edges.
    private static async Task<List<AuditEntry>> WriteLogAsync(BlobServiceClient blobs)
    {
        var options = new JsonSerializerOptions(HubJson.Options) { WriteIndented = false };
        var container = blobs.GetBlobContainerClient(HubContainers.Audit);
        await container.CreateIfNotExistsAsync();
        var entries = new List<AuditEntry>();
        var i = 0;
        var second = 0;
        var month = "";
        foreach (var (name, count) in Layout)
        {
            if (name[..7] != month)
            {
                (month, second) = (name[..7], 0);
            }

            var monthStart = DateTimeOffset.ParseExact(month, "yyyy/MM", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            var blob = container.GetAppendBlobClient(name);
            await blob.DeleteIfExistsAsync();
            await blob.CreateAsync();
            var text = new StringBuilder();
            for (var n = 0; n < count; n++, i++, second++)
            {
                var entry = new AuditEntry(
                    monthStart.AddSeconds(second), i % 5 == 0 ? "transport" : "ops", "primary",
                        i % 97 == 0 ? "rewind" : "replay", string.Create(CultureInfo.InvariantCulture, $"instance-{i}"),
                    i % 2 == 1 ? "refused" : "accepted", i % 2 == 1 ? 409 : 202, new string('x', (i * 37) % 700));
                entries.Add(entry);
                text.Append(JsonSerializer.Serialize(entry, options)).Append('\n');
            }

            // Blocks of at most 4 MiB, each of whole lines, as the hub appends them.
            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            for (var offset = 0; offset < bytes.Length;)
            {
                var end = Math.Min(bytes.Length, offset + (3 * 1024 * 1024));
                end = end == bytes.Length ? end : Array.LastIndexOf(bytes, (byte)'\n', end - 1) + 1;
                using var block = new MemoryStream(bytes, offset, end - offset);
                await blob.AppendBlockAsync(block);
                offset = end;
            }
        }

        return entries;
    }

    // Counts the bytes of blob content downloaded (the bodies of successful range reads).
    private sealed class CountingPolicy : HttpPipelineSynchronousPolicy
    {
        private long downloaded;

        public long Downloaded => Interlocked.Read(ref downloaded);

        public override void OnReceivedResponse(HttpMessage message)
        {
            if (message.Request.Method == RequestMethod.Get && message.Response.Status is 200 or 206
                && message.Response.Headers.ContentLength is { } length && !message.Request.Uri.Query.Contains("comp=list", StringComparison.Ordinal))
            {
                Interlocked.Add(ref downloaded, length);
            }
        }
    }
}
