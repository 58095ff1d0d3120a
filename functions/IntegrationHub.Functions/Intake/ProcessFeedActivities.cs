using Azure;
using IntegrationHub.Core.Consolidation;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Normalisation;
using IntegrationHub.Core.Validation;
using IntegrationHub.Functions.Consolidation;
using IntegrationHub.Functions.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Intake;

/// <summary>The step of <see cref="ProcessFeedOrchestration"/>. It may run more than once, so each of its parts is idempotent.</summary>
public sealed partial class ProcessFeedActivities(
    FeedStore feeds, FeedValidator validator, PeriodLedger ledger, DatasetStore datasets, ConsolidationDemands demands, TimeProvider clock,
    ILogger<ProcessFeedActivities> logger)
{
    /// <summary>
    /// Records the judged feed in its year's ledger, notes that on its landing blob, and hands each data set it feeds
    /// to its consolidation. The ledger comes first: a consolidation asked for counts only feeds recorded before.
    /// </summary>
    [Function(nameof(RecordFeed))]
    public async Task<FeedRecorded> RecordFeed([ActivityTrigger] FeedRef feed, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(client);
        var normalised = await ReadNormalisedAsync(feed, cancellationToken).ConfigureAwait(false);
        if (normalised is null)
        {
            return new FeedRecorded(feed.FeedId ?? "", true, null, new Dictionary<string, string>());
        }

        var (blob, accepted) = normalised.Value;
        var period = Period.Parse(accepted.Period);
        // The received time decides whether the feed was on time (supply calendar); runs started without one take now.
        var entry = await ledger.RecordAsync(
            period.Year,
            new LedgerEntry(accepted.FeedId, accepted.Source, accepted.Period, accepted.Revision, accepted.SchemaVersion, blob, 0,
                accepted.ProducedAt, feed.ReceivedAt ?? clock.GetUtcNow()),
            cancellationToken).ConfigureAwait(false);

        // Base-year feeds and the comparison sources reach existing data sets of other periods (later quarters' year
        // to date, the next year's early warnings, the base year's comparisons); the others don't need the listing.
        var existing = DatasetPeriods.ReachesOtherPeriods(period, accepted.Source)
            ? (await datasets.ListPeriodsAsync(cancellationToken).ConfigureAwait(false)).Select(Period.Parse)
            : [];
        var affected = DatasetPeriods.AffectedBy(period, accepted.Source, existing).Select(p => p.ToString()).ToList();
        await feeds.RecordLedgerPositionAsync(feed.Source, feed.ContentHash, new LedgerPosition(period.Year, entry.Generation, affected), cancellationToken)
            .ConfigureAwait(false);

        var outcomes = await Task.WhenAll(affected.Select(p => demands.RequestAsync(client, p, cancellationToken))).ConfigureAwait(false);
        var consolidations = affected.Zip(outcomes).ToDictionary(p => p.First, p => p.Second.ToString(), StringComparer.Ordinal);
        LogRecorded(logger, accepted.FeedId, entry.Generation, period.Year, string.Join(", ", consolidations.Select(c => $"{c.Key} {c.Value}")));
        return new FeedRecorded(accepted.FeedId, false, new LedgerRecord(accepted.FeedId, period.Year, entry.Generation, affected), consolidations);
    }

    // The normalised feed and its blob; null for bytes that turn out invalid (landed by an older build without a
    // verdict).
    private async Task<(string Blob, NormalisedFeed Feed)?> ReadNormalisedAsync(FeedRef feed, CancellationToken cancellationToken)
    {
        var feedId = feed.FeedId ?? (await feeds.GetLandedAsync(feed.Source, feed.ContentHash, cancellationToken).ConfigureAwait(false))?.FeedId;
        if (!string.IsNullOrEmpty(feedId))
        {
            var blob = FeedStore.NormalisedPath(feed.Source, feed.Period, feedId);
            try
            {
                return (blob, await feeds.ReadNormalisedAsync(blob, cancellationToken).ConfigureAwait(false));
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Judged by an older build, which normalised inside the run: normalise it here, once.
            }
        }

        // Only bytes an older build landed are judged here: every feed landed now carries its verdict and normal form.
        var body = await feeds.ReadLandedAsync(feed.Source, feed.ContentHash, cancellationToken).ConfigureAwait(false);
        var check = validator.Validate(body.ToMemory(), feed.Source, feed.ContentHash);
        if (check.Feed is not AcceptedFeed accepted)
        {
            LogLegacyInvalid(logger, check.Report.FeedId ?? feed.ContentHash, check.Report.Errors.Count);
            return null;
        }

        var normalised = FeedNormaliser.Normalise(accepted);
        return (await feeds.StoreNormalisedAsync(normalised, cancellationToken).ConfigureAwait(false), normalised);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Feed {FeedId} recorded in ledger {Year} at generation {Generation}; consolidations: {Consolidations}")]
    private static partial void LogRecorded(ILogger logger, string feedId, long generation, int year, string consolidations);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Feed {FeedId}, landed by an older build without a verdict, is invalid ({Errors} error(s)); ops can see it in the reconciliation")]
    private static partial void LogLegacyInvalid(ILogger logger, string feedId, int errors);
}
