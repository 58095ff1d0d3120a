using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Normalisation;
using IntegrationHub.Functions.Consolidation;
using IntegrationHub.Functions.Storage;

namespace IntegrationHub.Integration.Tests.Consolidation;

/// <summary>
/// BuildDataset on real storage: a built data set that breaks its own published schema is never stored, so no
/// consumer can be served it; the run fails with the place and the rule for ops to act on.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BuildDatasetTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // Periods (and ledger years) no other test class uses, earlier than the 2039 ones whose "latest" the query tests expect.
    // Refused has a year of its own: since data set 2.0 a quarter also reads its year's earlier quarters and the
    // previous year's (year-to-date early warnings), so a refused feed in 2033-Q1 would reach the other two periods.
    private const string Refused = "2035-Q1";
    private const string Conforming = "2033-Q2";
    private const string Rerun = "2033-Q3";

    private readonly DatasetStore datasets = new(azurite.Blobs);

    public async Task InitializeAsync()
    {
        await HubStorageInitializer.EnsureContainersAsync(azurite.Blobs, CancellationToken.None);
        await ConsolidationSteps.ForgetDatasetsAsync(azurite.Blobs, Refused);
        await ConsolidationSteps.ForgetDatasetsAsync(azurite.Blobs, Conforming);
        await ConsolidationSteps.ForgetDatasetsAsync(azurite.Blobs, Rerun);
    }

    public async Task DisposeAsync()
    {
        await ConsolidationSteps.ForgetDatasetsAsync(azurite.Blobs, Refused);
        await ConsolidationSteps.ForgetDatasetsAsync(azurite.Blobs, Conforming);
        await ConsolidationSteps.ForgetDatasetsAsync(azurite.Blobs, Rerun);
    }

    [Fact]
    public async Task BuildDataset_InputOfASchemaVersionTheDataSetCannotCarry_FailsNamingPointerAndRuleAndStoresNothing()
    {
        // The data set's inputs[].schemaVersion is MAJOR.MINOR. The schema catalog refuses to start with a feed schema
        // named otherwise, but a ledger entry recorded before that check (or repaired by hand) can still name one.
        await RecordStatisticsFeed(Refused, schemaVersion: "1.0.1");
        var steps = ConsolidationSteps.On(azurite.Blobs, azurite.ConnectionString);
        var generations = await steps.ReadLedgerGenerations(Refused, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<InvalidDataException>(
            () => steps.BuildDataset(new BuildRequest(Refused, generations, DateTime.UtcNow), CancellationToken.None));

        Assert.Contains(Refused, refused.Message, StringComparison.Ordinal);
        Assert.Contains("/inputs/0/schemaVersion", refused.Message, StringComparison.Ordinal);
        Assert.Contains("pattern", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await datasets.ListVersionsAsync(Refused, CancellationToken.None));
        Assert.Null(await datasets.GetPointerAsync(Refused, CancellationToken.None));
    }

    [Fact]
    public async Task BuildDataset_SameFeedOfSchemaVersionOnePointZero_StoresVersionOne()
    {
        // The control: the same feed under the contract's own version builds and is stored.
        await RecordStatisticsFeed(Conforming, schemaVersion: "1.0");
        var steps = ConsolidationSteps.On(azurite.Blobs, azurite.ConnectionString);
        var generations = await steps.ReadLedgerGenerations(Conforming, CancellationToken.None);

        var built = await steps.BuildDataset(new BuildRequest(Conforming, generations, DateTime.UtcNow), CancellationToken.None);

        Assert.True(built.IsNew);
        Assert.Equal(1, built.Version);
        var stored = (await datasets.GetVersionAsync(Conforming, 1, CancellationToken.None))!.ToDocument();
        Assert.Equal("1.0", Assert.Single(stored.Inputs).SchemaVersion);
    }

    [Fact]
    public async Task BuildDataset_LedgerMovedByAnOlderRevisionOnly_IsUnchangedWithoutReadingAFeed()
    {
        var inForce = await RecordStatisticsFeed(Rerun, schemaVersion: "1.0", revision: 1, hashDigit: '8');
        var steps = ConsolidationSteps.On(azurite.Blobs, azurite.ConnectionString);
        var first = await steps.ReadLedgerGenerations(Rerun, CancellationToken.None);
        var v1 = await steps.BuildDataset(new BuildRequest(Rerun, first, DateTime.UtcNow), CancellationToken.None);
        await steps.MoveLatest(new PointerMove(Rerun, v1.Version, v1.Sha256, first), CancellationToken.None);

        // A late revision 0 moves the ledger but not the feed in force; the in-force feed's stored form is gone, so a
        // run that read the feeds again would fail here.
        await RecordStatisticsFeed(Rerun, schemaVersion: "1.0", revision: 0, hashDigit: '9');
        await azurite.Blobs.GetBlobContainerClient(HubContainers.Normalized).DeleteBlobAsync(inForce);
        var second = await steps.ReadLedgerGenerations(Rerun, CancellationToken.None);
        Assert.NotEqual(first["2033"], second["2033"]);

        var rerun = await steps.BuildDataset(new BuildRequest(Rerun, second, DateTime.UtcNow), CancellationToken.None);

        Assert.False(rerun.IsNew);
        Assert.Equal(v1.Version, rerun.Version);
        Assert.Equal(v1.Sha256, rerun.Sha256);
        Assert.Equal([v1.Version], await datasets.ListVersionsAsync(Rerun, CancellationToken.None));
    }

    /// <summary>A statistics feed of the quarter as intake leaves it: normalised, stored and recorded in its year's ledger.</summary>
    /// <returns>The normalised feed's blob name.</returns>
    private async Task<string> RecordStatisticsFeed(string period, string schemaVersion, int revision = 0, char hashDigit = '7')
    {
        var feedId = FeedId.Create(FeedSource.Statistics, period, revision, new string(hashDigit, 64));
        var feed = new NormalisedFeed(
            feedId, FeedSource.Statistics, period, revision, schemaVersion, new DateTimeOffset(2033, 8, 20, 9, 0, 0, TimeSpan.FromHours(8)),
            "xjna-stats-platform",
            [
                new NormalisedRecord("430104001", new Dictionary<string, double>(StringComparer.Ordinal)
                {
                    ["gdp10kCny"] = 52_000,
                    ["gdpConstant2020_10kCny"] = 47_500,
                    ["energy.industry.raw-coal"] = 1_800,
                }, null),
            ]);
        var blob = await new FeedStore(azurite.Blobs).StoreNormalisedAsync(feed, CancellationToken.None);
        await new PeriodLedger(azurite.Blobs).RecordAsync(
            Period.Parse(period).Year, new LedgerEntry(feedId, feed.Source, period, revision, schemaVersion, blob, 0, feed.ProducedAt), CancellationToken.None);
        return blob;
    }
}
