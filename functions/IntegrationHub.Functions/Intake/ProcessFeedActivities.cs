using IntegrationHub.Core.Consolidation;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Normalisation;
using IntegrationHub.Functions.Storage;
using Microsoft.Azure.Functions.Worker;

namespace IntegrationHub.Functions.Intake;

/// <summary>The steps of <see cref="ProcessFeedOrchestration"/>. Each may run more than once, so each is idempotent.</summary>
public sealed class ProcessFeedActivities(FeedIntake intake, FeedStore feeds, PeriodLedger ledger, DatasetStore datasets)
{
    [Function(nameof(ValidateFeed))]
    public async Task<FeedVerdict> ValidateFeed([ActivityTrigger] FeedRef feed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var outcome = await intake.DecideLandedAsync(feed.Source, feed.ContentHash, cancellationToken).ConfigureAwait(false);
        return new FeedVerdict(outcome.FeedId, outcome.Feed is not null, outcome.Report.Errors.Count, outcome.Report.Warnings.Count);
    }

    /// <returns>The normalised feed's blob name.</returns>
    [Function(nameof(NormaliseFeed))]
    public async Task<string> NormaliseFeed([ActivityTrigger] FeedRef feed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var outcome = await intake.DecideLandedAsync(feed.Source, feed.ContentHash, cancellationToken).ConfigureAwait(false);
        var accepted = outcome.Feed ?? throw new InvalidOperationException($"Feed {outcome.FeedId} is not valid; it cannot be normalised.");
        return await feeds.StoreNormalisedAsync(FeedNormaliser.Normalise(accepted), cancellationToken).ConfigureAwait(false);
    }

    [Function(nameof(RecordInLedger))]
    public async Task<LedgerRecord> RecordInLedger([ActivityTrigger] string normalisedBlob, CancellationToken cancellationToken)
    {
        var feed = await feeds.ReadNormalisedAsync(normalisedBlob, cancellationToken).ConfigureAwait(false);
        var period = Period.Parse(feed.Period);
        var entry = await ledger.RecordAsync(
            period.Year, new LedgerEntry(feed.FeedId, feed.Source, feed.Period, feed.Revision, feed.SchemaVersion, normalisedBlob, 0, feed.ProducedAt), cancellationToken).ConfigureAwait(false);

        // Base-year feeds and the comparison sources reach existing data sets of other periods (later quarters' year
        // to date, the next year's early warnings, the base year's comparisons); the others don't need the listing.
        var existing = DatasetPeriods.ReachesOtherPeriods(period, feed.Source)
            ? (await datasets.ListPeriodsAsync(cancellationToken).ConfigureAwait(false)).Select(Period.Parse)
            : [];
        var affected = DatasetPeriods.AffectedBy(period, feed.Source, existing).Select(p => p.ToString()).ToList();
        return new LedgerRecord(feed.FeedId, period.Year, entry.Generation, affected);
    }

    [Function(nameof(MarkConsolidated))]
    public Task MarkConsolidated([ActivityTrigger] ConsolidatedFeed feed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        return feeds.MarkConsolidatedAsync(feed.Source, feed.ContentHash, feed.DatasetVersions, cancellationToken);
    }
}
