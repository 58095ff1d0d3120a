using System.Text;
using Azure.Storage.Blobs.Specialized;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Functions.Ops;
using IntegrationHub.Functions.Resilience;
using IntegrationHub.Functions.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using IntegrationHub.Functions.Access;

namespace IntegrationHub.Integration.Tests.Audit;

/// <summary>
/// The write side of the audit log on real Blob storage: what a line keeps of caller text, and what happens to an ops
/// action when its line cannot be written. Each test writes in a month of its own.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AuditLogTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static int months;

    private readonly FixedClock clock = new(new DateTimeOffset(2150, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(Interlocked.Increment(ref months)));
    private AuditLog audit = null!;

    public async Task InitializeAsync()
    {
        await azurite.Blobs.GetBlobContainerClient(HubContainers.Audit).CreateIfNotExistsAsync();
        audit = new AuditLog(azurite.Blobs, clock, NullLogger<AuditLog>.Instance);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("feed-1\r\n{\"actor\":\"ops\"}", "feed-1{\"actor\":\"ops\"}")]
    [InlineData("a\u0000b\u001bc\u007fd\u202Ee\u2028f", "abcdef")]
    [InlineData("运输-2024-06", "运输-2024-06")]
    public void Cap_StripsControlAndFormatCharacters(string value, string kept)
    {
        Assert.Equal(kept, AuditText.Cap(value, 256));
    }

    [Fact]
    public void Cap_LongerThanTheCap_CutToItWithAMark_NeverSplittingASurrogatePair()
    {
        Assert.Equal("abcdefghi…", AuditText.Cap("abcdefghijklmnop", 10));
        Assert.Equal("abcdefghij", AuditText.Cap("abcdefghij", 10));

        // Eight letters and an emoji (two chars) would end in half a pair at nine characters: the pair goes whole.
        Assert.Equal("abcdefgh…", AuditText.Cap("abcdefgh😀xyz", 10));
    }

    [Fact]
    public async Task Record_CallerTextInEveryField_WrittenCappedOnOneLine()
    {
        var longText = "line1\nline2 " + new string('z', 3000);

        await audit.RecordAsync(new OpsActor("ops", "primary"), "purge\n", longText, "done", 200, longText, CancellationToken.None);

        var text = await MonthTextAsync();
        Assert.Equal(1, text.Count(c => c == '\n'));
        var entry = Assert.Single(await ReadAsync());
        Assert.Equal("purge", entry.Action);
        Assert.Equal(256, entry.Target.Length);
        Assert.StartsWith("line1line2 zzz", entry.Target, StringComparison.Ordinal);
        Assert.Equal(1024, entry.Detail!.Length);
        Assert.EndsWith("z…", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_SignedInPerson_ObjectIdAsActorAndTheirNameCappedOnOneLine()
    {
        // A name comes from the token's claims: whatever the directory holds, so it is capped like any caller text.
        var name = "Li\nWei " + new string('w', 500);

        await audit.RecordAsync(new OpsActor("3a1f6f0e-0d7e-4a3b-8c51-6b2b3e0f9a01", "entra-id", name), "purge",
            "pull:transport:2024-06", "done", 200, null, CancellationToken.None);

        var text = await MonthTextAsync();
        Assert.Equal(1, text.Count(c => c == '\n'));
        var entry = Assert.Single(await ReadAsync());
        Assert.Equal("3a1f6f0e-0d7e-4a3b-8c51-6b2b3e0f9a01", entry.Actor);
        Assert.Equal("entra-id", entry.KeySlot);
        Assert.Equal(64, entry.Name!.Length);
        Assert.StartsWith("LiWei www", entry.Name, StringComparison.Ordinal);
        Assert.EndsWith("w…", entry.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordBefore_AuditLogCannotBeWritten_ThrowsAnAuditLogOutage_AndWritesNothing()
    {
        // A lease held by someone else: every append without its id is refused, as a locked or broken log would be.
        await audit.RecordAsync(new OpsActor("ops", "primary"), "warm-up", "x", "done", 200, null, CancellationToken.None);
        var blob = azurite.Blobs.GetBlobContainerClient(HubContainers.Audit).GetAppendBlobClient(MonthBlob());
        var lease = blob.GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(-1));
        try
        {
            var refused = await Assert.ThrowsAsync<DependencyUnavailableException>(() =>
                audit.RecordBeforeAsync(new OpsActor("ops", "primary"), "purge", "feed:transport:2024-06:abc", null, CancellationToken.None));

            // The request pipeline answers it 503, naming the audit log; nothing about the storage goes to the caller.
            var outage = DependencyOutage.Of(refused, CancellationToken.None);
            Assert.Equal(DependencyOutage.AuditLog, outage?.Dependency);

            // The outcome of something that already happened is logged, not thrown.
            await audit.RecordAsync(new OpsActor("ops", "primary"), "purge", "feed:transport:2024-06:abc", "done", 200, null, CancellationToken.None);
        }
        finally
        {
            await lease.ReleaseAsync();
        }

        Assert.Equal(["warm-up"], (await ReadAsync()).Select(e => e.Action));
    }

    [Fact]
    public async Task RecordBefore_Written_AsRequestedWithNoStatusYet()
    {
        await audit.RecordBeforeAsync(new OpsActor("ops", "secondary"), "terminate", "pull:transport:2024-06", "maintenance", CancellationToken.None);

        var entry = Assert.Single(await ReadAsync());
        Assert.Equal(("ops", "secondary", "terminate", "pull:transport:2024-06", "requested", 0, "maintenance"),
            (entry.Actor, entry.KeySlot, entry.Action, entry.Target, entry.Outcome, entry.Status, entry.Detail));
    }

    private string MonthBlob() => clock.GetUtcNow().ToString("yyyy/MM", System.Globalization.CultureInfo.InvariantCulture) + ".jsonl";

    private async Task<string> MonthTextAsync()
    {
        var content = await azurite.Blobs.GetBlobContainerClient(HubContainers.Audit).GetBlobClient(MonthBlob()).DownloadContentAsync();
        return Encoding.UTF8.GetString(content.Value.Content.ToArray());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    // What ops read back through the audit route's reader, newest first.
    private async Task<IReadOnlyList<AuditEntry>> ReadAsync() =>
        (await new AuditReader(azurite.Blobs).ReadAsync(AuditFilter.None with { From = clock.GetUtcNow() }, 10, null, CancellationToken.None)).Entries;
}
