using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using CloudNative.CloudEvents;
using IntegrationHub.Core;
using IntegrationHub.Functions.Publishing;
using IntegrationHub.Functions.Storage;
using IntegrationHub.Functions.Supply;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Integration.Tests.Supply;

/// <summary>
/// <c>GET /api/supply</c> and the hourly late-feed check read the calendar through one reader (as the app registers
/// them: singletons): they answer the same cells, and the second reads only what the ledger gained in between.
/// </summary>
public sealed class SupplyReaderTests : IAsyncLifetime
{
    private static readonly HubCore Core = new(requireRegexTimeout: false);

    // 20 March 2025, noon in China: power grid's February was due by 10 March.
    private static readonly DateTimeOffset Now = new(2025, 3, 20, 12, 0, 0, TimeSpan.FromHours(8));

    private readonly List<(long From, long Bytes)> downloads = [];
    private AzuriteInstance azurite = null!;

    public async Task InitializeAsync()
    {
        // Its own storage: the calendar reads every ledger year, and the shared one holds other classes' feeds.
        azurite = await AzuriteInstance.StartAsync();
        await HubStorageInitializer.EnsureContainersAsync(new BlobServiceClient(azurite.ConnectionString), CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        azurite.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task RouteThenCheck_SameLedger_SameMissingCellsAndTheSecondReadsOnlyWhatWasAppended()
    {
        var blobs = new BlobServiceClient(azurite.ConnectionString);
        var writer = new PeriodLedger(blobs);
        await writer.RecordAsync(2024, Entry("power-grid", "2024-12", China(2025, 1, 5)), CancellationToken.None);
        await writer.RecordAsync(2025, Entry("power-grid", "2025-01", China(2025, 2, 8)), CancellationToken.None);

        var clock = new FixedClock(Now);
        var reader = new SupplyReader(Core, new PeriodLedger(Recording()), clock);
        var publisher = new LatePublisher();
        var alerts = new LateFeedAlerts(reader, publisher, new LateFeedRecords(blobs), clock, NullLogger<LateFeedAlerts>.Instance);
        var route = new SupplyFunctions(Core, reader, alerts);

        var first = await SupplyAsync(route, "power-grid");
        // Hand-read from the rules (day 10 of the next month, China time): December and January received on time,
        // February missing since 11 March, March not due yet.
        Assert.Equal("received", first["2024-12"]);
        Assert.Equal("received", first["2025-01"]);
        Assert.Equal("missing", first["2025-02"]);
        Assert.Equal("pending", first["2025-03"]);

        downloads.Clear();
        var announced = await alerts.CheckAsync(CancellationToken.None);

        // The check announces exactly the cells the route shows missing (every source), and read no log again.
        var everyMissing = (await SupplyAsync(route, null)).Where(c => c.Value == "missing").Select(c => c.Key)
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(everyMissing, announced.Select(c => $"{c.Source} {c.Period}").Order(StringComparer.Ordinal));
        Assert.Contains("power-grid 2025-02", everyMissing);
        Assert.DoesNotContain("power-grid 2025-01", everyMissing);
        Assert.Empty(downloads);

        // February arrives late: the next reader downloads the 2025 log from where it had read it, and only that.
        var log2025 = blobs.GetBlobContainerClient(HubContainers.Ledger).GetBlobClient(PeriodLedger.SegmentName(2025, 0));
        var before = (await log2025.GetPropertiesAsync()).Value.ContentLength;
        await writer.RecordAsync(2025, Entry("power-grid", "2025-02", China(2025, 3, 12)), CancellationToken.None);
        var after = (await log2025.GetPropertiesAsync()).Value.ContentLength;
        downloads.Clear();

        var later = await SupplyAsync(route, "power-grid");

        Assert.Equal("late", later["2025-02"]);
        Assert.Equal([(before, after - before)], downloads);
    }

    private static async Task<Dictionary<string, string>> SupplyAsync(SupplyFunctions route, string? source)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = source is null ? QueryString.Empty : QueryString.Create("source", source);
        var answer = Assert.IsType<FileContentResult>(await route.GetSupply(context.Request, CancellationToken.None));
        using var body = JsonDocument.Parse(answer.FileContents);
        return body.RootElement.GetProperty("cells").EnumerateArray().ToDictionary(
            c => (source is null ? c.GetProperty("source").GetString() + " " : "") + c.GetProperty("period").GetString(),
            c => c.GetProperty("state").GetString()!, StringComparer.Ordinal);
    }

    // 09:00 China time on that day.
    private static DateTimeOffset China(int year, int month, int day) => new(year, month, day, 9, 0, 0, TimeSpan.FromHours(8));

    private static LedgerEntry Entry(string source, string period, DateTimeOffset receivedAt)
    {
        var id = $"{source}-{period}-r1";
        return new LedgerEntry(id, source, period, 1, "2.0", $"{source}/{period}/{id}.json", 0, ReceivedAt: receivedAt);
    }

    private BlobServiceClient Recording()
    {
        var options = new BlobClientOptions();
        options.AddPolicy(new DownloadRecorder(downloads), HttpPipelinePosition.PerCall);
        return new BlobServiceClient(azurite.ConnectionString, options);
    }

    // Every blob download (a GET that is not a listing or a property read): where it started and what it carried.
    private sealed class DownloadRecorder(List<(long From, long Bytes)> downloads) : HttpPipelineSynchronousPolicy
    {
        public override void OnReceivedResponse(HttpMessage message)
        {
            if (message.Request.Method != RequestMethod.Get || message.Request.Uri.Query.Contains("comp=", StringComparison.Ordinal))
            {
                return;
            }

            var from = message.Request.Headers.TryGetValue("x-ms-range", out var range)
                ? long.Parse(range[(range.IndexOf('=', StringComparison.Ordinal) + 1)..range.IndexOf('-', StringComparison.Ordinal)],
                    System.Globalization.CultureInfo.InvariantCulture)
                : 0;
            lock (downloads)
            {
                downloads.Add((from, message.Response.Status == 416 ? 0 : message.Response.Headers.ContentLength ?? 0));
            }
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }

    private sealed class LatePublisher : IDatasetPublisher
    {
        public Task PublishAsync(CloudEvent dataSetEvent, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task PublishFeedLateAsync(CloudEvent feedLateEvent, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
