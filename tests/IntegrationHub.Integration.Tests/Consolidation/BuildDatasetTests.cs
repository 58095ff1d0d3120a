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
    // Periods (and a ledger year) no other test class uses, earlier than the 2039 ones whose "latest" the query tests expect.
    private const string Refused = "2033-Q1";
    private const string Conforming = "2033-Q2";

    private readonly DatasetStore datasets = new(azurite.Blobs);

    public async Task InitializeAsync()
    {
        await new FeedStore(azurite.Blobs).EnsureContainersAsync(CancellationToken.None);
        await ConsolidationSteps.ForgetDatasetsAsync(azurite.Blobs, Refused);
        await ConsolidationSteps.ForgetDatasetsAsync(azurite.Blobs, Conforming);
    }

    public async Task DisposeAsync()
    {
        await ConsolidationSteps.ForgetDatasetsAsync(azurite.Blobs, Refused);
        await ConsolidationSteps.ForgetDatasetsAsync(azurite.Blobs, Conforming);
    }

    [Fact]
    public async Task BuildDataset_InputOfASchemaVersionTheDataSetCannotCarry_FailsNamingPointerAndRuleAndStoresNothing()
    {
        // SchemaCatalog takes any feed schema file whose name parses as a version, 1.0.1 included, while the data
        // set's inputs[].schemaVersion is MAJOR.MINOR: a feed validated against such a schema reaches the build.
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

    /// <summary>A statistics feed of the quarter as intake leaves it: normalised, stored and recorded in its year's ledger.</summary>
    private async Task RecordStatisticsFeed(string period, string schemaVersion)
    {
        var feedId = FeedId.Create(FeedSource.Statistics, period, 0, new string('7', 64));
        var feed = new NormalisedFeed(
            feedId, FeedSource.Statistics, period, 0, schemaVersion, new DateTimeOffset(2033, 8, 20, 9, 0, 0, TimeSpan.FromHours(8)), "xjna-stats-platform",
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
            Period.Parse(period).Year, new LedgerEntry(feedId, feed.Source, period, 0, schemaVersion, blob, 0, feed.ProducedAt), CancellationToken.None);
    }
}
