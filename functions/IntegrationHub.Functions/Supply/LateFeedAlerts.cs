using IntegrationHub.Core.Supply;
using IntegrationHub.Functions.Publishing;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Supply;

/// <summary>
/// Announces each missing feed once: a <c>feed-late</c> event per source and period whose due time passed with nothing
/// received. A record per announced cell (<see cref="LateFeedRecords"/>, holding the event as sent) is written after
/// the send, so a crash between the two sends again with the same id (at least once; subscribers dedup by id).
/// </summary>
public sealed partial class LateFeedAlerts(
    SupplyReader reader, IDatasetPublisher publisher, LateFeedRecords records, TimeProvider clock, ILogger<LateFeedAlerts> logger)
{
    /// <returns>The cells announced by this check.</returns>
    public async Task<IReadOnlyList<SupplyCell>> CheckAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var missing = (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)).Where(c => c.State == SupplyState.Missing).ToList();
        if (missing.Count == 0)
        {
            return [];
        }

        var announced = await records.ListNamesAsync(cancellationToken).ConfigureAwait(false);
        var sent = new List<SupplyCell>();
        foreach (var cell in missing.Where(c => !announced.Contains(LateFeedRecords.RecordName(c.Source, c.Period))))
        {
            var lateEvent = FeedLateEvent.Create(cell, now);
            await publisher.PublishFeedLateAsync(lateEvent, cancellationToken).ConfigureAwait(false);
            // False: another instance's check announced it at the same time, with the same id, dropped by subscribers.
            _ = await records.RecordAsync(cell, lateEvent, now, cancellationToken).ConfigureAwait(false);
            LogAnnounced(logger, cell.Source, cell.Period, cell.DueBy, lateEvent.Id!);
            sent.Add(cell);
        }

        return sent;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed {Source} {Period} is late (due by {DueBy}): announced as {EventId}")]
    private static partial void LogAnnounced(ILogger logger, string source, string period, string dueBy, string eventId);
}
