using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using IntegrationHub.Functions.Access;
using IntegrationHub.Functions.Resilience;
using IntegrationHub.Functions.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Integration.Tests.Access;

/// <summary>
/// The daily byte quota on real Blob storage (Azurite): the count is one document per department and day, so two
/// instances (two quota objects over the same storage, as two app instances are) count against the same figure.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DailyPushQuotaTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly BlobServiceClient blobs = azurite.Blobs;

    public async Task InitializeAsync()
    {
        await blobs.GetBlobContainerClient(HubContainers.Usage).DeleteIfExistsAsync();
        await HubStorageInitializer.EnsureContainersAsync(blobs, CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private DailyPushQuota Instance(long quota, TimeProvider clock) => new(blobs, () => quota, clock, NullLogger<DailyPushQuota>.Instance);

    [Fact]
    public async Task TwoInstances_TwentyPushesAtOnce_GrantedUntilTheSharedCountReachesTheQuota()
    {
        // 20 pushes of 100 bytes against 1,000 bytes a day, half through each instance: a push is granted while the day's
        // count is under 1,000, so exactly 10 are (0, 100, ..., 900 before them), whichever instance counted them.
        var clock = new FixedClock(new DateTimeOffset(2026, 3, 14, 9, 30, 0, TimeSpan.Zero));
        var first = Instance(1000, clock);
        var second = Instance(1000, clock);

        var decisions =
            await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? first : second).TryReserveAsync("transport", 100, CancellationToken.None)));

        Assert.Equal(10, decisions.Count(d => d.Granted));
        Assert.Equal(new DailyUsage(1000, 10), await first.UsageAsync("transport", new DateOnly(2026, 3, 14), CancellationToken.None));
        // Every refusal waits until midnight UTC: 14.5 hours from 09:30.
        Assert.All(decisions.Where(d => !d.Granted), d => Assert.Equal(TimeSpan.FromHours(14.5), d.RetryAfter));
        // Another department has its own count.
        Assert.True((await second.TryReserveAsync("environment", 100, CancellationToken.None)).Granted);
    }

    [Fact]
    public async Task OneInstance_ThirtyTwoPushesOfOneDepartmentAtOnce_AllCountedWithoutLosingAWriteRace()
    {
        // One instance, 32 pushes of 100 bytes at once (the load that answered 500 when each push raced the others for
        // the count's ETag): every push is granted and counted once, each after the one before it (0, 100, ..., 3,100
        // before them), and the storage never refuses a conditional write, since one instance never races itself.
        var writes = new ConditionalWriteRecorder();
        var options = new BlobClientOptions();
        options.AddPolicy(writes, HttpPipelinePosition.PerCall);
        var quota = new DailyPushQuota(new BlobServiceClient(azurite.ConnectionString, options), () => 1_000_000,
            new FixedClock(new DateTimeOffset(2026, 3, 14, 9, 30, 0, TimeSpan.Zero)), NullLogger<DailyPushQuota>.Instance);

        var decisions = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() =>
            quota.TryReserveAsync("environment", 100, CancellationToken.None))));

        Assert.All(decisions, d => Assert.True(d.Granted));
        Assert.Equal(Enumerable.Range(0, 32).Select(i => i * 100L), decisions.Select(d => d.UsedBefore).Order());
        Assert.Equal(new DailyUsage(3200, 32), await quota.UsageAsync("environment", new DateOnly(2026, 3, 14), CancellationToken.None));
        Assert.Equal(0, writes.Refused);
        Assert.InRange(writes.Sent, 1, 32);
    }

    [Fact]
    public async Task TryReserve_CountChangedByAnotherInstanceUnderEveryAttempt_IsAStorageOutage_NotAnError()
    {
        // Another instance writes the count between every read and write of this one: after its attempts the push is
        // refused as the storage being unavailable (a 503 with Retry-After), not an unhandled 500, and nothing is counted.
        var day = new DateOnly(2026, 3, 14);
        var other = blobs.GetBlobContainerClient(HubContainers.Usage).GetBlobClient(DailyPushQuota.UsagePath("transport", day));
        var options = new BlobClientOptions();
        options.AddPolicy(new BeforeEveryConditionalWrite(() => other.UploadAsync(BinaryData.FromString("""{"bytes":5,"pushes":1}"""), overwrite: true)),
            HttpPipelinePosition.PerCall);
        var quota = new DailyPushQuota(new BlobServiceClient(azurite.ConnectionString, options), () => 1000,
            new FixedClock(new DateTimeOffset(2026, 3, 14, 9, 30, 0, TimeSpan.Zero)), NullLogger<DailyPushQuota>.Instance);

        var thrown = await Assert.ThrowsAsync<DependencyUnavailableException>(() => quota.TryReserveAsync("transport", 100, CancellationToken.None));

        Assert.Equal(DependencyOutage.Storage, DependencyOutage.Of(thrown, CancellationToken.None)?.Dependency);
        Assert.Equal(new DailyUsage(5, 1), await quota.UsageAsync("transport", day, CancellationToken.None));
    }

    [Fact]
    public async Task ThePushThatReachesTheQuota_IsGrantedWhole_TheNextRefused_UntilTheNextUtcDay()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 3, 14, 23, 59, 30, TimeSpan.Zero));
        var quota = Instance(1000, clock);

        Assert.True((await quota.TryReserveAsync("statistics", 900, CancellationToken.None)).Granted);
        // 900 < 1,000: granted, and counted whole (1,400): a body is never cut.
        Assert.True((await quota.TryReserveAsync("statistics", 500, CancellationToken.None)).Granted);
        var refused = await quota.TryReserveAsync("statistics", 1, CancellationToken.None);
        Assert.False(refused.Granted);
        Assert.Equal((1400L, TimeSpan.FromSeconds(30)), (refused.UsedBefore, refused.RetryAfter));

        clock.Now = new DateTimeOffset(2026, 3, 15, 0, 0, 0, TimeSpan.Zero);
        Assert.True((await quota.TryReserveAsync("statistics", 1, CancellationToken.None)).Granted);
        Assert.Equal(new DailyUsage(1400, 2), await quota.UsageAsync("statistics", new DateOnly(2026, 3, 14), CancellationToken.None));
        Assert.Equal(new DailyUsage(1, 1), await quota.UsageAsync("statistics", new DateOnly(2026, 3, 15), CancellationToken.None));
    }

    [Fact]
    public async Task Release_GivesTheBytesBack_ToTheDayTheyWereCountedOn()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 3, 14, 23, 59, 59, TimeSpan.Zero));
        var quota = Instance(1000, clock);
        Assert.True((await quota.TryReserveAsync("power-grid", 300, CancellationToken.None)).Granted);
        var duplicate = await quota.TryReserveAsync("power-grid", 200, CancellationToken.None);

        clock.Now = clock.Now.AddSeconds(2);
        await quota.ReleaseAsync(duplicate, CancellationToken.None);

        Assert.Equal(new DailyUsage(300, 1), await quota.UsageAsync("power-grid", new DateOnly(2026, 3, 14), CancellationToken.None));
    }

    // Counts the conditional writes of the usage documents sent, and those the storage refused (412 or 409).
    private sealed class ConditionalWriteRecorder : HttpPipelineSynchronousPolicy
    {
        private int sent;
        private int refused;

        public int Sent => Volatile.Read(ref sent);

        public int Refused => Volatile.Read(ref refused);

        public override void OnReceivedResponse(HttpMessage message)
        {
            if (message.Request.Method == RequestMethod.Put)
            {
                Interlocked.Increment(ref sent);
                if (message.Response.Status is 409 or 412)
                {
                    Interlocked.Increment(ref refused);
                }
            }
        }
    }

    // Lets another writer change the blob just before each conditional write this client sends.
    private sealed class BeforeEveryConditionalWrite(Func<Task> otherWriter) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Method == RequestMethod.Put)
            {
                await otherWriter();
            }

            await ProcessNextAsync(message, pipeline);
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
