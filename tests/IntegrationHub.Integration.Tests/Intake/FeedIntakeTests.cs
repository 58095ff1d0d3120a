using Azure.Storage.Blobs;
using IntegrationHub.Core;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Functions.Receipts;
using IntegrationHub.Functions.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Integration.Tests.Intake;

/// <summary>Push intake on real Blob storage (Azurite): land first, write-once, quarantine with the reason.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class FeedIntakeTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // The test runner builds regexes before test code runs; see the Core tests' TestCore for why this is opted out here.
    private static readonly HubCore Core = new(requireRegexTimeout: false);

    /// <summary>Signs the receipts of every intake these tests make, with a key that lives as long as the test run.</summary>
    internal static readonly ReceiptIssuer Receipts = new(
        LocalFileReceiptKey.InMemory(), Microsoft.Extensions.Options.Options.Create(new ReceiptOptions { Issuer = "https://hub.test" }));

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
        intake = NewIntake(blobs, NullLogger<FeedIntake>.Instance);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    internal static FeedIntake NewIntake(BlobServiceClient blobs, Microsoft.Extensions.Logging.ILogger<FeedIntake> logger)
    {
        var starter =
            new IntegrationHub.Functions.Durable.OrchestrationStarter(
            blobs, TimeProvider.System, NullLogger<IntegrationHub.Functions.Durable.OrchestrationStarter>.Instance);
        return new FeedIntake(
            new FeedStore(blobs), Core.Validator, new FeedProcessing(starter, NullLogger<FeedProcessing>.Instance), new ConsolidationRecords(blobs),
            new DatasetStore(blobs),
            Receipts, TimeProvider.System, logger);
    }

    private static byte[] Sample(params string[] parts) =>
        File.ReadAllBytes(Path.Combine([RepoPaths.Root, "local-dev", "sample-feeds", .. parts]));

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

        var outcome = await intake.LandAsync("power-grid", body, "push", CancellationToken.None);

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
        var first = await intake.LandAsync("transport", body, "push", CancellationToken.None);

        var second = await intake.LandAsync("transport", body, "push", CancellationToken.None);

        Assert.Equal(IntakeVerdict.Accepted, first.Verdict);
        Assert.Equal(IntakeVerdict.Duplicate, second.Verdict);
        Assert.Equal(first.FeedId, second.FeedId);
        Assert.Single(await BlobNames(HubContainers.Landing));
    }

    [Fact]
    public async Task Receive_SameFeedPushedConcurrently_IsAcceptedExactlyOnce()
    {
        var body = Sample("2024", "environment-2024-07-r0.json");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => intake.LandAsync("environment", body, "push", CancellationToken.None)));

        Assert.Single(outcomes, o => o.Verdict == IntakeVerdict.Accepted);
        Assert.Equal(7, outcomes.Count(o => o.Verdict == IntakeVerdict.Duplicate));
        Assert.Single(outcomes.Select(o => o.FeedId).Distinct());
        Assert.Single(await BlobNames(HubContainers.Landing));
    }

    [Fact]
    public async Task Receive_InvalidFeed_IsQuarantinedWithItsReportAndTheBytesKept()
    {
        var body = Sample("invalid", "nev-exceeds-total.json");

        var outcome = await intake.LandAsync("transport", body, "push", CancellationToken.None);

        Assert.Equal(IntakeVerdict.Rejected, outcome.Verdict);
        var status = await intake.GetStatusAsync(outcome.FeedId, CancellationToken.None);
        Assert.Equal(FeedState.Quarantined, status!.State);
        Assert.Contains(status.Report!.Errors, e => e.Keyword == "rule:nev-le-total");
        Assert.Equal($"transport/{outcome.FeedId}.json", Assert.Single(await BlobNames(HubContainers.Quarantine)));
        var landed = await blobs.GetBlobContainerClient(HubContainers.Landing).GetBlobClient(Assert.Single(await BlobNames(HubContainers.Landing)))
            .DownloadContentAsync();
        Assert.Equal(body, landed.Value.Content.ToArray());
    }

    [Fact]
    public async Task Receive_UnreadableBytes_AreStillLandedAndQuarantined()
    {
        var body = "{\"source\": \"statistics\", \"records\": ["u8.ToArray();

        var outcome = await intake.LandAsync("statistics", body, "push", CancellationToken.None);

        Assert.Equal(IntakeVerdict.Rejected, outcome.Verdict);
        Assert.Equal("parse:invalid-json", Assert.Single(outcome.Report.Errors).Keyword);
        Assert.Single(await BlobNames(HubContainers.Landing));
        Assert.Single(await BlobNames(HubContainers.Quarantine));
    }

    [Fact]
    public async Task ReleaseFromQuarantine_FeedValidNow_KeepsTheReceiptItWasLandedWith()
    {
        var store = new FeedStore(blobs);
        var body = Sample("2024", "transport-2024-06-r0.json");
        var hash = IntegrationHub.Core.Feeds.FeedId.ContentHash(body);
        var report = new IntegrationHub.Core.Validation.ValidationReport { FeedId = "transport-2024-06-r0-x", Period = "2024-06" };
        Assert.NotNull(
            await store.LandJudgedAsync("transport", hash, body, "transport-2024-06-r0-x", FeedState.Quarantined, report, "h.p.s", CancellationToken.None));

        Assert.True(await store.ReleaseFromQuarantineAsync("transport", hash, "transport-2024-06-r0-x", "2024-06", CancellationToken.None));

        // The receipt says what the hub answered when the bytes came (quarantined); releasing them later does not unsay it.
        var landed = await store.GetLandedAsync("transport", hash, CancellationToken.None);
        Assert.Equal(FeedState.Validated, landed!.State);
        Assert.Equal("h.p.s", landed.Receipt);
    }

    [Fact]
    public async Task Receive_SameBytesTwice_TheDuplicateGetsTheFirstReceipt()
    {
        var body = Sample("2024", "environment-2024-06-r0.json");

        var first = await intake.LandAsync("environment", body, "push", CancellationToken.None);
        var again = await intake.LandAsync("environment", body, "push", CancellationToken.None);

        Assert.Equal(IntakeVerdict.Duplicate, again.Verdict);
        Assert.NotNull(first.Receipt);
        Assert.Equal(first.Receipt, again.Receipt);
    }

    [Fact]
    public async Task Land_SameBytesTwice_NeverOverwritesTheFirstWrite()
    {
        var store = new FeedStore(blobs);
        var body = Sample("2024", "statistics-2024-Q4-r0.json");
        var hash = IntegrationHub.Core.Feeds.FeedId.ContentHash(body);

        var report = new IntegrationHub.Core.Validation.ValidationReport { FeedId = "statistics-2024-Q4-r0-x", Period = "2024-Q4" };
        Assert.NotNull(
            await store.LandJudgedAsync(
            "statistics", hash, body, "statistics-2024-Q4-r0-x", FeedState.Validated, report, receipt: null, CancellationToken.None));
        Assert.Null(
            await store.LandJudgedAsync(
            "statistics", hash, "{}"u8.ToArray(), "statistics-2024-Q4-r0-x", FeedState.Validated, report, receipt: null, CancellationToken.None));

        var stored = await blobs.GetBlobContainerClient(HubContainers.Landing).GetBlobClient(FeedStore.LandingPath("statistics", hash)).DownloadContentAsync();
        Assert.Equal(body, stored.Value.Content.ToArray());
    }

    [Fact]
    public async Task Land_AcceptedFeed_LandsWithItsVerdictAndItsNormalisedFormInOneStep()
    {
        // Nothing after intake judges a feed again: the landing blob carries the verdict from its first write, and the
        // normalised form the feed's run records is already stored.
        var body = Sample("2024", "environment-2024-06-r0.json");
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body));
        var expectedId = $"environment-2024-06-r0-{hash[..16]}";

        var outcome = await intake.LandAsync("environment", body, "pull", CancellationToken.None);

        Assert.Equal(expectedId, outcome.FeedId);
        var landing = await blobs.GetBlobContainerClient(HubContainers.Landing).GetBlobClient($"environment/{hash}.json").GetPropertiesAsync();
        Assert.Equal("Validated", landing.Value.Metadata["state"]);
        Assert.Equal(expectedId, landing.Value.Metadata["feedid"]);
        Assert.Equal($"environment/2024-06/{expectedId}.json", Assert.Single(await BlobNames(HubContainers.Normalized)));
        var status = await intake.GetStatusAsync(expectedId, CancellationToken.None);
        Assert.Equal(FeedState.Validated, status!.State);
        Assert.Equal("2024-06", status.Period);
        Assert.Empty(await BlobNames(HubContainers.Quarantine));
    }

    [Fact]
    public async Task GetStatus_UnknownFeedId_IsNull()
    {
        Assert.Null(await intake.GetStatusAsync("transport-2024-06-r0-0000000000000000", CancellationToken.None));
        Assert.Null(await intake.GetStatusAsync("nonsense", CancellationToken.None));
    }

    [Fact]
    public async Task Land_EachBodyTaggedWithItsVerdict_ForTheRetentionRules_AndReleaseTagsItValidatedFirst()
    {
        // Lifecycle rules match blob index tags, not metadata: a quarantined body must carry state=Quarantined, a valid
        // one must not, and a body released from quarantine must lose the tag that would have it deleted.
        var invalid = await intake.LandAsync("transport", Sample("invalid", "nev-exceeds-total.json"), "push", CancellationToken.None);
        var valid = await intake.LandAsync("power-grid", Sample("2024", "power-grid-2024-06-r0.json"), "push", CancellationToken.None);
        var landing = blobs.GetBlobContainerClient(HubContainers.Landing);

        Assert.Equal("Quarantined", (await landing.GetBlobClient(FeedStore.LandingPath("transport", invalid.ContentHash)).GetTagsAsync()).Value.Tags["state"]);
        Assert.Equal("Validated", (await landing.GetBlobClient(FeedStore.LandingPath("power-grid", valid.ContentHash)).GetTagsAsync()).Value.Tags["state"]);

        Assert.True(
            await new FeedStore(blobs).ReleaseFromQuarantineAsync("transport", invalid.ContentHash, invalid.FeedId, invalid.Period, CancellationToken.None));
        Assert.Equal("Validated", (await landing.GetBlobClient(FeedStore.LandingPath("transport", invalid.ContentHash)).GetTagsAsync()).Value.Tags["state"]);
    }

    [Fact]
    public async Task BodyNamingAnotherSource_StoredUnderTheUrlsFolder_FoundByItsIdAndUnderThatFolderOnly()
    {
        // A transport feed pushed to power-grid's URL: quarantined (rule:source-matches-url), its id names transport,
        // its bytes and report are under power-grid/. Looking it up by id alone, or under power-grid, finds it.
        var body = Sample("2024", "transport-2024-06-r0.json");
        var outcome = await intake.LandAsync("power-grid", body, "push", CancellationToken.None);
        Assert.Equal(IntakeVerdict.Rejected, outcome.Verdict);
        Assert.StartsWith("transport-2024-06-r0-", outcome.FeedId, StringComparison.Ordinal);
        Assert.Equal($"power-grid/{outcome.ContentHash}.json", Assert.Single(await BlobNames(HubContainers.Landing)));

        var byId = await intake.GetStatusAsync(outcome.FeedId, CancellationToken.None);
        var underFolder = await intake.GetStatusAsync("power-grid", outcome.FeedId, CancellationToken.None);

        Assert.Equal((FeedState.Quarantined, "power-grid"), (byId!.State, byId.Source));
        Assert.Contains(byId.Report!.Errors, e => e.Keyword == "rule:source-matches-url");
        Assert.Equal($"landing/power-grid/{outcome.ContentHash}.json", underFolder!.LandingBlob);
        Assert.Null(await intake.GetStatusAsync("transport", outcome.FeedId, CancellationToken.None));
    }

    [Fact]
    public async Task QuarantinePages_OneListingEach_ReportMetadataCarriesTheBodysHashPeriodAndErrorCount_EveryFeedOnce()
    {
        var store = new FeedStore(blobs);
        var expected = new List<string>();
        foreach (var name in new[] { "nev-exceeds-total.json", "chargers-exceed-spaces.json", "green-exceeds-new.json", "empty-records.json",
            "duplicate-area-code.json" })
        {
            var outcome = await intake.LandAsync("transport", Sample("invalid", name), "push", CancellationToken.None);
            expected.Add(outcome.FeedId);
        }

        var seen = new List<QuarantineReportEntry>();
        string? marker = null;
        var pages = 0;
        do
        {
            (var entries, marker) = await store.ListQuarantinePageAsync("transport", marker, 2, CancellationToken.None);
            Assert.True(entries.Count <= 2, $"a page of 2 listed {entries.Count}");
            seen.AddRange(entries);
            pages++;
        }
        while (marker is not null);

        // Five reports, two a page: three pages; every feed once, in name order.
        Assert.Equal(3, pages);
        Assert.Equal(expected.Order(StringComparer.Ordinal), seen.Select(e => e.FeedId));
        foreach (var entry in seen)
        {
            var status = await intake.GetStatusAsync(entry.FeedId, CancellationToken.None);
            Assert.Equal(FeedStore.LandingPath("transport", entry.ContentHash!), status!.LandingBlob["landing/".Length..]);
            Assert.Equal(status.Period, entry.Period);
            Assert.Equal(status.Report!.Errors.Count + status.Report.ErrorsNotListed, entry.Errors);
        }
    }

    [Fact]
    public async Task Receive_PeriodInNonAsciiCharacters_IsQuarantinedWithItsReport_NotAStorageFailure()
    {
        // Metadata travels as HTTP headers, which must be ASCII: such a period used to fail the landing write (and every retry).
        var body = System.Text.Encoding.UTF8.GetBytes("{\"source\":\"transport\",\"period\":\"二〇二四年一月\"}");

        var outcome = await intake.LandAsync("transport", body, "push", CancellationToken.None);

        Assert.Equal(IntakeVerdict.Rejected, outcome.Verdict);
        var status = await intake.GetStatusAsync(outcome.FeedId, CancellationToken.None);
        Assert.Equal(FeedState.Quarantined, status!.State);
        Assert.Equal("二〇二四年一月", status.Report!.Period);
        Assert.Null(status.Period);
    }
}
