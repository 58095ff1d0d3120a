using IntegrationHub.Core;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Supply;
using IntegrationHub.Functions.Storage;

namespace IntegrationHub.Functions.Supply;

/// <summary>
/// The supply calendar as of the hub's clock: the reference rules over the period ledger's feeds. The one reader of
/// it, for <c>GET /api/supply</c> and the late-feed check alike (a singleton over the singleton ledger), so the two
/// cannot disagree, and whichever reads second reads only what the ledger's logs gained since.
/// </summary>
public sealed class SupplyReader(HubCore core, PeriodLedger ledger, TimeProvider clock)
{
    /// <summary>Every cell from each rule's first period to the period under way.</summary>
    public async Task<IReadOnlyList<SupplyCell>> ReadAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rules = core.Reference.Supply.Rules;
        var firstYear = rules.Min(r => Period.Parse(r.FirstPeriod).Year);
        // The ledger keeps a period's feeds under the period's year; years before every rule's first are history.
        var feeds = (await ledger.ReadYearsAsync(firstYear, cancellationToken).ConfigureAwait(false))
            .SelectMany(d => d.Entries)
            .Select(e => new SuppliedFeed(e.Source, e.Period, e.FeedId, e.Revision, e.ReceivedAt)).ToList();

        return SupplyCalendar.Build(rules, feeds, now);
    }
}
