using Azure.Storage.Blobs;
using IntegrationHub.Functions.Access;
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

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
